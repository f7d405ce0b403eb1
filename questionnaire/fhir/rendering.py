"""How items should look in an SDC renderer: help text with the scale anchors, item controls, "none" alone.

R4's item-control codes have no `legend`, so a scale's anchor labels ("0 = No spasms") join its
help text, one per line, as the app shows them above the choices. A multiple-choice question's
"none" gets a `questionnaire-constraint` (FHIRPath) as well as `optionExclusive`, so a renderer
that only checks constraints still flags "none" chosen with other answers.
"""

from __future__ import annotations

from typing import Any

from ..model import NONE_CODE, Content, Question, QuestionType
from ..model.text import text_key
from .settings import TRANSLATION

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint"
CONTROLS = {QuestionType.SINGLE: "radio-button", QuestionType.MULTIPLE: "check-box"}


def item_control(code: str) -> dict[str, Any]:
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]}}


def _help_text(question: Question, lookup: Any) -> str | None:
    """Help and anchors in one language; `lookup(key, english)` gives the words (English when untranslated)."""
    lines = [lookup(text_key(question, "help"), question.help)] if question.help else []
    lines += [f"{value} = {lookup(text_key(question, 'scale_labels', entry=value), label)}"
              for value, label in sorted(question.scale_labels.items())]
    return "\n".join(lines) or None


def help_item(question: Question, content: Content) -> dict[str, Any] | None:
    """The `display` child with item control `help`, translated for every locale that has any of its words."""
    english = _help_text(question, lambda _key, text: text)
    if english is None:
        return None
    item: dict[str, Any] = {"linkId": f"{question.id}-help", "type": "display", "text": english,
                            "extension": [item_control("help")]}
    found = []
    for language, locale in sorted(content.locales.items()):
        strings = locale.strings
        keys = [text_key(question, "help")] * bool(question.help) + [
            text_key(question, "scale_labels", entry=value) for value in question.scale_labels]
        if any(key in strings for key in keys):
            text = _help_text(question, lambda key, fallback, s=strings: s[key].text if key in s else fallback)
            found.append({"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": language},
                                                            {"url": "content", "valueString": text}]})
    if found:
        item["_text"] = {"extension": found}
    return item


def constraint_key(question: Question) -> str:
    """An `id` (letters, digits, '-', '.'): question ids may hold underscores."""
    return f"{question.id.replace('_', '-')}-none-alone"


def none_alone(question: Question) -> dict[str, Any] | None:
    """The FHIRPath rule that "none" stands alone, on the item of a multiple question that has "none"."""
    if question.type is not QuestionType.MULTIPLE or NONE_CODE not in question.code_set:
        return None
    label = question.label_for(NONE_CODE)
    return {"url": CONSTRAINT, "extension": [
        {"url": "key", "valueId": constraint_key(question)},
        {"url": "severity", "valueCode": "error"},
        {"url": "expression", "valueString": f"answer.where(value.code = '{NONE_CODE}').exists() "
                                              f"implies answer.count() = 1"},
        {"url": "human", "valueString": f"Choose \"{label}\" on its own, or the answers that apply."},
    ]}
