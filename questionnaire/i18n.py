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
    Question,
    Questionnaire,
    QuestionType,
    Rule,
)
from .model.text import texts, translated
from .pages import page_strings, rewrite_page

DEFAULT_LOCALE = "en"


def source_hash(text: str) -> str:
    """Short, stable fingerprint of an English string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def question_strings(question: Question) -> Iterator[tuple[str, str]]:
    """A question's texts by key, as its fields declare them (model.text)."""
    return texts(question)


def rule_strings(rule: Rule) -> Iterator[tuple[str, str]]:
    return texts(rule)


def content_strings(content: Content) -> dict[str, str]:
    """Every patient-facing content string by key, in English, in questionnaire order."""
    strings: dict[str, str] = {}
    for page in content.questionnaire.pages:
        strings.update(texts(page))
        for question in page.questions:
            strings.update(texts(question))
    ruleset = content.ruleset
    for rule in ruleset.all_rules:
        strings.update(texts(rule))
    for topic in ruleset.topics:
        strings.update(texts(topic))
    strings.update(texts(ruleset))
    if any(q.type is QuestionType.SCALE for q in content.questionnaire.questions):
        strings["answer.scale"] = SCALE_ANSWER  # "8 out of 10" when an answer is read back
    for info_page in content.info_pages.values():
        strings.update(page_strings(info_page))
    for row in content.clinician_summary:  # locales/*.yaml `clinician.<row id>.label`
        strings.update(texts(row))
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

    topics = {t.id: translated(t, tr) for t in content.ruleset.topics}

    def rule(r: Rule) -> Rule:
        return dataclasses.replace(translated(r, tr), topic=topics.get(r.topic.id, r.topic))

    pages = tuple(dataclasses.replace(translated(p, tr), questions=tuple(translated(q, tr) for q in p.questions))
                  for p in content.questionnaire.pages)
    questionnaire = Questionnaire(pages=pages, by_id={q.id: q for p in pages for q in p.questions},
                                  perspective=content.questionnaire.perspective)
    ruleset = content.ruleset
    localized_ruleset = dataclasses.replace(
        translated(ruleset, tr), rules=tuple(rule(r) for r in ruleset.rules),
        fallback=rule(ruleset.fallback) if ruleset.fallback else None, topics=tuple(topics.values()))
    return dataclasses.replace(content, questionnaire=questionnaire, ruleset=localized_ruleset, language=language,
                               info_pages={pid: rewrite_page(p, tr) for pid, p in content.info_pages.items()},
                               clinician_summary=tuple(translated(row, tr) for row in content.clinician_summary))
