"""Content text per locale: every patient-facing string has a key; translations record their source.

English lives in the content files themselves. Other languages live in `locales/<lang>.yaml`:

    language: es
    name: Español
    strings:
      question.has_pump.text: {text: "¿Tiene ...?", source: 1a2b3c4d5e6f}

`source` is the short hash of the English text the translation was made from, so a changed
English text shows up as a stale translation instead of silently keeping old wording.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator

from .model import (
    EMERGENCY_NUMBER_PLACEHOLDER,
    SCALE_ANSWER,
    Content,
    Option,
    OptionGroup,
    Page,
    Question,
    Questionnaire,
    QuestionType,
    Rule,
    RuleSet,
)
from .pages import page_strings, rewrite_page
from .summary import clinician_strings

DEFAULT_LOCALE = "en"


def source_hash(text: str) -> str:
    """Short, stable fingerprint of an English string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def question_strings(question: Question) -> Iterator[tuple[str, str]]:
    prefix = f"question.{question.id}"
    yield f"{prefix}.text", question.text
    if question.caregiver_text:
        yield f"{prefix}.caregiver_text", question.caregiver_text
    if question.help:
        yield f"{prefix}.help", question.help
    if question.caregiver_help:
        yield f"{prefix}.caregiver_help", question.caregiver_help
    for group in question.groups:
        yield f"{prefix}.group.{group.id}", group.label
        if group.caregiver_label:
            yield f"{prefix}.caregiver_group.{group.id}", group.caregiver_label
    for option in question.options:
        yield f"{prefix}.option.{option.code}", option.label
        if option.caregiver_label:
            yield f"{prefix}.caregiver_option.{option.code}", option.caregiver_label
    for value, label in sorted(question.scale_labels.items()):
        yield f"{prefix}.label.{value}", label


def rule_strings(rule: Rule) -> Iterator[tuple[str, str]]:
    yield f"rule.{rule.id}.title", rule.title
    if rule.caregiver_title:
        yield f"rule.{rule.id}.caregiver_title", rule.caregiver_title
    yield f"rule.{rule.id}.guidance", rule.guidance
    if rule.caregiver_guidance:
        yield f"rule.{rule.id}.caregiver_guidance", rule.caregiver_guidance
    for number, text in enumerate(rule.questions_to_ask, start=1):
        yield f"rule.{rule.id}.question.{number}", text
    for number, text in enumerate(rule.caregiver_questions_to_ask, start=1):
        yield f"rule.{rule.id}.caregiver_question.{number}", text


def content_strings(content: Content) -> dict[str, str]:
    """Every patient-facing content string by key, in English, in questionnaire order."""
    strings: dict[str, str] = {}
    for page in content.questionnaire.pages:
        strings[f"page.{page.id}.title"] = page.title
        if page.caregiver_title:
            strings[f"page.{page.id}.caregiver_title"] = page.caregiver_title
        for question in page.questions:
            strings.update(question_strings(question))
    ruleset = content.ruleset
    for rule in (*ruleset.rules, *([ruleset.fallback] if ruleset.fallback else [])):
        strings.update(rule_strings(rule))
    strings["ruleset.disclaimer"] = ruleset.disclaimer
    if any(q.type is QuestionType.SCALE for q in content.questionnaire.questions):
        strings["answer.scale"] = SCALE_ANSWER  # "8 out of 10" when an answer is read back
    for info_page in content.info_pages.values():
        strings.update(page_strings(info_page))
    strings.update(clinician_strings(content.clinician_summary))
    return strings


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[a-z_]+\}", text))


def check_translation(key: str, english: str, translated: str) -> str | None:
    """A problem with one translation that would mislead a patient, or None."""
    if (EMERGENCY_NUMBER_PLACEHOLDER in english) != (EMERGENCY_NUMBER_PLACEHOLDER in translated):
        return f"must keep {EMERGENCY_NUMBER_PLACEHOLDER} exactly where the English has it"
    if _placeholders(english) != _placeholders(translated) or "{" in re.sub(r"\{[a-z_]+\}", "", translated):
        return f"must have the same placeholders as the English: {', '.join(_placeholders(english)) or 'none'}"
    return None


def missing(content: Content, language: str) -> list[str]:
    """Keys with no translation in `language`."""
    strings = content.locales[language].strings if language in content.locales else {}
    return [key for key in content_strings(content) if key not in strings]


def stale(content: Content, language: str) -> list[str]:
    """Keys whose English changed after the translation was made."""
    if language not in content.locales:
        return []
    strings = content.locales[language].strings
    return [key for key, english in content_strings(content).items()
            if key in strings and strings[key].source != source_hash(english)]


def localize(content: Content, language: str) -> Content:
    """The same content with text in `language` where translated (English where not).

    Ids, codes, conditions and the rule set's version and hash are unchanged: only words differ.
    """
    if language == DEFAULT_LOCALE or language not in content.locales:
        return content
    strings = content.locales[language].strings

    def tr(key: str, english: str) -> str:
        found = strings.get(key)
        return found.text if found else english

    def tr_optional(key: str, english: str | None) -> str | None:
        return tr(key, english) if english else None

    def question(q: Question) -> Question:
        prefix = f"question.{q.id}"
        return dataclasses.replace(
            q,
            text=tr(f"{prefix}.text", q.text),
            help=tr_optional(f"{prefix}.help", q.help),
            caregiver_text=tr_optional(f"{prefix}.caregiver_text", q.caregiver_text),
            caregiver_help=tr_optional(f"{prefix}.caregiver_help", q.caregiver_help),
            options=tuple(Option(o.code, tr(f"{prefix}.option.{o.code}", o.label),
                                 tr_optional(f"{prefix}.caregiver_option.{o.code}", o.caregiver_label), o.group)
                          for o in q.options),
            groups=tuple(OptionGroup(g.id, tr(f"{prefix}.group.{g.id}", g.label),
                                     tr_optional(f"{prefix}.caregiver_group.{g.id}", g.caregiver_label))
                         for g in q.groups),
            scale_labels={v: tr(f"{prefix}.label.{v}", label) for v, label in q.scale_labels.items()},
            scale_answer=tr("answer.scale", q.scale_answer),
        )

    def rule(r: Rule) -> Rule:
        return dataclasses.replace(r, title=tr(f"rule.{r.id}.title", r.title),
                                   guidance=tr(f"rule.{r.id}.guidance", r.guidance),
                                   caregiver_title=tr_optional(f"rule.{r.id}.caregiver_title", r.caregiver_title),
                                   caregiver_guidance=tr_optional(f"rule.{r.id}.caregiver_guidance",
                                                                  r.caregiver_guidance),
                                   questions_to_ask=tuple(tr(f"rule.{r.id}.question.{n}", text)
                                                          for n, text in enumerate(r.questions_to_ask, start=1)),
                                   caregiver_questions_to_ask=tuple(
                                       tr(f"rule.{r.id}.caregiver_question.{n}", text)
                                       for n, text in enumerate(r.caregiver_questions_to_ask, start=1)))

    pages = tuple(Page(p.id, tr(f"page.{p.id}.title", p.title), tuple(question(q) for q in p.questions),
                       tr_optional(f"page.{p.id}.caregiver_title", p.caregiver_title))
                  for p in content.questionnaire.pages)
    questionnaire = Questionnaire(pages=pages, by_id={q.id: q for p in pages for q in p.questions},
                                  perspective=content.questionnaire.perspective)
    ruleset = content.ruleset
    localized_ruleset = RuleSet(
        version=ruleset.version, sha256=ruleset.sha256,
        disclaimer=tr("ruleset.disclaimer", ruleset.disclaimer),
        rules=tuple(rule(r) for r in ruleset.rules),
        fallback=rule(ruleset.fallback) if ruleset.fallback else None,
        interrupt=ruleset.interrupt,
    )
    return dataclasses.replace(content, questionnaire=questionnaire, ruleset=localized_ruleset, language=language,
                               info_pages={pid: rewrite_page(p, tr) for pid, p in content.info_pages.items()})
