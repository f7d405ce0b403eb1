"""The questionnaire as a FHIR R4 Questionnaire: one group per page, one item per question."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from ..conditions import Any_, Condition
from ..i18n import localize
from ..model import NONE_CODE, Content, Option, Page, Question, QuestionType
from ..model.text import prefix_of, text_key
from .branching import branching, fhirpath
from .rendering import CONTROLS, help_item, item_control, none_alone
from .settings import TRANSLATION, FhirSettings, Publication, translations

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
# The SDC profiles whose rules the Questionnaire follows: core SDC, behaviour (enableWhenExpression,
# constraint, min/max, optionExclusive) and rendering (itemControl, translations).
PROFILES = (f"{SDC}sdc-questionnaire", f"{SDC}sdc-questionnaire-behave", f"{SDC}sdc-questionnaire-render")
OPTIONS_TOGGLE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerOptionsToggleExpression"


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


def question_item(question: Question, content: Content, settings: FhirSettings,
                  with_branching: bool = True) -> dict[str, Any]:
    """One question: `choice` (repeating for multiple) with codings, or `integer` with min and max."""
    item = with_text({"linkId": question.id}, "text", question.text, content, text_key(question, "text"))
    item["required"] = True
    extensions: list[dict[str, Any]] = []
    if question.type is QuestionType.SCALE:
        item["type"] = "integer"
        extensions += [{"url": MIN_VALUE, "valueInteger": question.minimum},
                       {"url": MAX_VALUE, "valueInteger": question.maximum}]
    else:
        item["type"] = "choice"
        extensions.append(item_control(CONTROLS[question.type]))
        if question.type is QuestionType.MULTIPLE:
            item["repeats"] = True
        constraint = none_alone(question)
        if constraint is not None:
            extensions.append(constraint)
        item["answerOption"] = [_option(question, option, content, settings) for option in question.options]
    if with_branching:
        extensions += [_option_toggle(question, option, item["answerOption"][index]["valueCoding"], content)
                       for index, option in enumerate(question.options) if option.show_if is not None]
    item["extension"] = extensions
    if question.show_if is not None and with_branching:
        branching(question.show_if, content.questionnaire, settings).apply(item)
    shown_help = help_item(question, content)
    if shown_help is not None:
        item["item"] = [shown_help]
    return item


def _option_toggle(question: Question, option: Option, coding: dict[str, Any],
                   content: Content) -> dict[str, Any]:
    """An option's own show_if as SDC answerOptionsToggleExpression: offered only while it holds."""
    assert option.show_if is not None
    return {"url": OPTIONS_TOGGLE, "extension": [
        {"url": "option", "valueCoding": {k: v for k, v in coding.items() if k in ("system", "code", "display")}},
        {"url": "expression", "valueExpression": {"language": "text/fhirpath",
                                                  "expression": fhirpath(option.show_if, content.questionnaire)}},
    ]}


def _option(question: Question, option: Option, content: Content, settings: FhirSettings) -> dict[str, Any]:
    code = option.code
    coding = with_text({"system": settings.code_system(question), "code": code}, "display", option.label, content,
                       text_key(option, "label", prefix_of(question)))
    answer: dict[str, Any] = {"valueCoding": coding}
    if question.type is QuestionType.MULTIPLE and code == NONE_CODE:
        answer["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return answer


def _group_condition(page: Page) -> tuple[Condition | None, bool]:
    """The condition under which the page shows anything, and whether it is every question's own.

    When every question on the page has one, the page shows when any of them does (else a renderer
    shows an empty heading); when they all share the same one, it is said once, on the group.
    """
    conditions: list[Condition] = []
    for question in page.questions:
        if question.show_if is None:
            return None, False
        if question.show_if not in conditions:
            conditions.append(question.show_if)
    if not conditions:
        return None, False
    if len(conditions) == 1:
        return conditions[0], True
    return Any_(tuple(conditions)), False


def _deduplicated(item: dict[str, Any]) -> None:
    terms = item.get("enableWhen")
    if terms:
        unique = [term for index, term in enumerate(terms) if term not in terms[:index]]
        item["enableWhen"] = unique
        if len(unique) == 1:
            item.pop("enableBehavior", None)


def _page_item(page: Page, content: Content, settings: FhirSettings) -> dict[str, Any]:
    group = with_text({"linkId": page_link_id(page)}, "text", page.title, content, text_key(page, "title"))
    group["type"] = "group"
    condition, shared = _group_condition(page)
    if condition is not None:
        branching(condition, content.questionnaire, settings).apply(group)
        _deduplicated(group)
    group["item"] = [question_item(question, content, settings, with_branching=not shared)
                     for question in page.questions]
    return group


def _narrative(title: str, content: Content) -> dict[str, Any]:
    pages = "".join(f"<li>{escape(page.title)}</li>" for page in content.questionnaire.pages)
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p><b>{escape(title)}</b></p>'
                                          f"<p>{escape(content.ruleset.disclaimer)}</p><ol>{pages}</ol></div>"}


def build_questionnaire(content: Content, settings: FhirSettings | None = None,
                        publication: Publication | None = None, language: str | None = None) -> dict[str, Any]:
    """The whole questionnaire as a FHIR R4 Questionnaire resource (a JSON-ready dict).

    Give the English content (with its locales): English is the base text and every locale
    becomes a translation extension. With `language` (one of the locales), the text is in that
    language instead and carries no translations, for renderers that cannot pick one.
    """
    settings = settings or FhirSettings()
    publication = publication or Publication()
    titles = dict(publication.titles)
    title = publication.title
    if language is not None and language != content.language and language in content.locales:
        content = dataclasses.replace(localize(content, language), locales={})
        title = titles.get(language, title)
        titles = {}
    ruleset = content.ruleset
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": settings.questionnaire_id,
        "meta": {"profile": list(PROFILES)},
        "language": content.language,
        "text": _narrative(title, content),
        "url": settings.canonical,
        "version": ruleset.version,
        "name": "ItbConversation",
        "title": title,
        "status": "active",
        "experimental": publication.experimental,
        "subjectType": ["Patient"],
        "publisher": publication.publisher,
        "description": ruleset.disclaimer,
        "item": [_page_item(page, content, settings) for page in content.questionnaire.pages],
    }
    if publication.date:
        resource["date"] = publication.date
    if publication.copyright:
        resource["copyright"] = publication.copyright
    translated_titles = [{"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": code},
                                                            {"url": "content", "valueString": text}]}
                         for code, text in sorted(titles.items()) if code != content.language]
    if translated_titles:
        resource["_title"] = {"extension": translated_titles}
    description = translations(content, text_key(content.ruleset, "disclaimer"))
    if description:
        resource["_description"] = description
    return resource
