"""The questionnaire as a FHIR R4 Questionnaire: one group per page, one item per question."""

from __future__ import annotations

from typing import Any

from ..model import NONE_CODE, Content, Page, Question, QuestionType
from .branching import branching
from .settings import FhirSettings, translations

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"


def page_link_id(page: Page) -> str:
    """Page groups get `page-<id>`: question ids never hold a hyphen, so the two cannot clash."""
    return f"page-{page.id}"


def with_text(target: dict[str, Any], field: str, text: str, content: Content, key: str) -> dict[str, Any]:
    """Set `field` to the English text and `_field` to its translations, where there are any."""
    target[field] = text
    translated = translations(content, key)
    if translated:
        target[f"_{field}"] = translated
    return target


def _display_item(link_id: str, text: str, control: str, content: Content, key: str | None,
                  translated: dict[str, Any] | None = None) -> dict[str, Any]:
    control_code = {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": control}]}
    item: dict[str, Any] = {"linkId": link_id, "type": "display",
                            "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": control_code}]}
    if key is not None:
        return with_text(item, "text", text, content, key)
    item["text"] = text
    if translated:
        item["_text"] = translated
    return item


def _scale_legend(question: Question, content: Content) -> dict[str, Any] | None:
    """Scale anchor labels ("0: No spasms") as one legend, translated line by line."""
    if not question.scale_labels:
        return None
    points = sorted(question.scale_labels.items())
    english = "\n".join(f"{value}: {label}" for value, label in points)
    languages = []
    for language, locale in sorted(content.locales.items()):
        lines = [(value, locale.strings.get(f"question.{question.id}.label.{value}")) for value, _ in points]
        if any(found is not None for _, found in lines):
            text = "\n".join(f"{value}: {found.text if found else label}"
                             for (value, found), (_, label) in zip(lines, points, strict=True))
            languages.append({"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [
                {"url": "lang", "valueCode": language}, {"url": "content", "valueString": text}]})
    return _display_item(f"{question.id}-scale", english, "legend", content, None,
                         {"extension": languages} if languages else None)


def question_item(question: Question, content: Content, settings: FhirSettings,
                  with_branching: bool = True) -> dict[str, Any]:
    """One question: `choice` (repeating for multiple) with codings, or `integer` with min and max."""
    item = with_text({"linkId": question.id}, "text", question.text, content, f"question.{question.id}.text")
    item["required"] = True
    if question.type is QuestionType.SCALE:
        item["type"] = "integer"
        item["extension"] = [{"url": MIN_VALUE, "valueInteger": question.minimum},
                             {"url": MAX_VALUE, "valueInteger": question.maximum}]
    else:
        item["type"] = "choice"
        if question.type is QuestionType.MULTIPLE:
            item["repeats"] = True
        item["answerOption"] = [_option(question, code, label, content, settings)
                                for code, label in ((o.code, o.label) for o in question.options)]
    if question.show_if is not None and with_branching:
        branching(question.show_if, settings).apply(item)
    children = []
    if question.help:
        children.append(_display_item(f"{question.id}-help", question.help, "help", content,
                                      f"question.{question.id}.help"))
    legend = _scale_legend(question, content) if question.type is QuestionType.SCALE else None
    if legend is not None:
        children.append(legend)
    if children:
        item["item"] = children
    return item


def _option(question: Question, code: str, label: str, content: Content, settings: FhirSettings) -> dict[str, Any]:
    coding = with_text({"system": settings.code_system(question), "code": code}, "display", label, content,
                       f"question.{question.id}.option.{code}")
    option: dict[str, Any] = {"valueCoding": coding}
    if question.type is QuestionType.MULTIPLE and code == NONE_CODE:
        option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return option


def _page_item(page: Page, content: Content, settings: FhirSettings) -> dict[str, Any]:
    group = with_text({"linkId": page_link_id(page)}, "text", page.title, content, f"page.{page.id}.title")
    group["type"] = "group"
    first = page.questions[0].show_if if page.questions else None
    shared = first is not None and all(question.show_if == first for question in page.questions)
    if shared and first is not None:
        # Every question on the page has the same branching: say it once, on the group.
        branching(first, settings).apply(group)
    group["item"] = [question_item(question, content, settings, with_branching=not shared)
                     for question in page.questions]
    return group


def build_questionnaire(content: Content, settings: FhirSettings | None = None) -> dict[str, Any]:
    """The whole questionnaire as a FHIR R4 Questionnaire resource (a JSON-ready dict).

    Give the English content (with its locales): English is the base text and every locale
    becomes a translation extension.
    """
    settings = settings or FhirSettings()
    ruleset = content.ruleset
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "language": content.language,
        "url": settings.canonical,
        "version": ruleset.version,
        "name": "ItbConversation",
        "title": "Pump therapy: prepare for your visit",
        "status": "active",
        "subjectType": ["Patient"],
        "description": ruleset.disclaimer,
        "item": [_page_item(page, content, settings) for page in content.questionnaire.pages],
    }
    description = translations(content, "ruleset.disclaimer")
    if description:
        resource["_description"] = description
    return resource
