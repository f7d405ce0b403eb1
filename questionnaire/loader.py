"""Load and validate a content directory into frozen model objects, or report every error."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import schemas
from .clinics import load_clinics, load_emergency_numbers
from .errors import ContentError, ContentErrors, did_you_mean, valid_list
from .i18n import check_translation, content_strings
from .model import (
    Content,
    Level,
    Locale,
    Rule,
    RuleSet,
    Source,
    Topic,
    Translation,
)
from .pages import load_info_pages
from .question_builder import _build_questionnaire
from .rule_builder import _build_rules
from .schema_errors import schema_errors
from .summary import load_clinician_rows
from .topics import load_topics
from .yamlfile import MAX_FILE_BYTES, MAX_RULES_FILE_BYTES, LineDict, content_files, path_label, read_yaml

DEFAULT_CONTENT_DIR = Path(__file__).parent / "content"
QUESTIONS_FILE = "questions.yaml"
RULESET_FILE = "ruleset.yaml"
RULES_DIR = "rules"
LOCALES_DIR = "locales"
SCENARIOS_DIR = "scenarios"



def load_content(directory: Path | str | None = None, legacy_topics: tuple[Topic, ...] = ()) -> Content:
    """Load questions and rules from `directory`; raise ContentErrors listing every problem.

    `legacy_topics`: the topics to assume when ruleset.yaml declares none, which only content
    written before rule set 2.0.0 does (`rules diff` against an older version passes the newer
    content's topics; the app itself never does, so shipped content must declare them).
    """
    root = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    errors: list[ContentError] = []
    digest = hashlib.sha256()

    def read(path: Path, schema: dict[str, Any], max_bytes: int = MAX_FILE_BYTES) -> Any:
        label = path_label(path)
        try:
            document = read_yaml(path, label, max_bytes)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            return None
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        problems = schema_errors(document, schema, label)
        errors.extend(problems)
        return None if problems else document

    questions_doc = read(root / QUESTIONS_FILE, schemas.QUESTIONS_FILE)
    ruleset_doc = read(root / RULESET_FILE, schemas.RULESET_FILE)
    rule_paths = content_files(root / RULES_DIR, path_label, errors)
    if not rule_paths:
        errors.append(ContentError(path_label(root / RULES_DIR), None, None, "no rule files (*.yaml) found"))
    rule_docs = [(path, read(path, schemas.RULES_FILE, MAX_RULES_FILE_BYTES)) for path in rule_paths]

    questionnaire = None
    if questions_doc is not None:
        questionnaire = _build_questionnaire(questions_doc, path_label(root / QUESTIONS_FILE), errors)
    rules: list[Rule] = []
    topics = load_topics(ruleset_doc, path_label(root / RULESET_FILE), errors) if ruleset_doc is not None else {}
    if ruleset_doc is not None and "topics" not in ruleset_doc:
        if legacy_topics:
            topics = {topic.id: topic for topic in legacy_topics}
        else:
            errors.append(ContentError(path_label(root / RULESET_FILE), ruleset_doc.line, None,
                                       "the file: 'topics' is a required property"))
    if questionnaire is not None:
        seen: dict[str, Source] = {}
        for path, document in rule_docs:
            if document is not None:
                rules.extend(_build_rules(document, path_label(path), questionnaire, topics, seen, errors))
    locale_docs = [(path, read(path, schemas.LOCALE_FILE, MAX_RULES_FILE_BYTES))
                   for path in content_files(root / LOCALES_DIR, path_label, errors)]
    content_files(root / SCENARIOS_DIR, path_label, errors)  # read by `rules test`; a stray .yml stops start-up too
    numbers = load_emergency_numbers(root, path_label, errors)
    clinics = load_clinics(root, numbers, {"en", *(path.stem for path, _ in locale_docs)}, path_label, errors)
    info_pages = load_info_pages(root, path_label, errors)
    clinician = load_clinician_rows(root, questionnaire, path_label, errors) if questionnaire else ()
    if errors or questionnaire is None or ruleset_doc is None:
        raise ContentErrors(errors)
    content = Content(questionnaire=questionnaire, ruleset=_build_ruleset(ruleset_doc, rules, digest.hexdigest(),
                                                                        path_label(root / RULESET_FILE), topics),
                      info_pages=info_pages, clinician_summary=clinician)
    locales = _build_locales(locale_docs, content_strings(content), errors)
    if errors:
        raise ContentErrors(errors)
    return dataclasses.replace(content, locales=locales, clinics=clinics, emergency_numbers=numbers)


def _build_locales(documents: list[tuple[Path, Any]], english: Mapping[str, str],
                   errors: list[ContentError]) -> dict[str, Locale]:
    """Translations must name real strings and keep the emergency-number placeholder."""
    locales: dict[str, Locale] = {}
    for path, document in documents:
        if document is None:
            continue
        label = path_label(path)
        language = document["language"]
        if path.stem != language:
            errors.append(ContentError(label, document.line, language,
                                       f"the file for language '{language}' must be named {language}.yaml"))
        strings: dict[str, Translation] = {}
        for key, entry in document["strings"].items():
            line = document["strings"].key_lines.get(key)
            if key not in english:
                errors.append(ContentError(label, line, key, f"no content string has this key.{did_you_mean(key, english)}"))
                continue
            problem = check_translation(key, english[key], entry["text"])
            if problem:
                errors.append(ContentError(label, line, key, problem))
            strings[key] = Translation(text=entry["text"], source=entry["source"])
        locales[language] = Locale(language=language, name=document["name"], strings=strings, source=Source(label, 1))
    return locales


def _build_ruleset(document: LineDict, rules: list[Rule], sha256: str, label: str,
                   topics: Mapping[str, Topic]) -> RuleSet:
    fallbacks = [rule for rule in rules if rule.fallback]
    if len(fallbacks) > 1:
        raise ContentErrors([ContentError(str(r.source.file), r.source.line, r.id,
                                          "only one rule may be the fallback") for r in fallbacks])
    return RuleSet(version=document["version"], sha256=sha256, disclaimer=document["disclaimer"],
                   rules=tuple(rule for rule in rules if not rule.fallback),
                   fallback=fallbacks[0] if fallbacks else None,
                   interrupt=_interrupt_levels(document, label), topics=tuple(topics.values()))


def _interrupt_levels(document: LineDict, label: str) -> tuple[Level, ...]:
    """`interrupt`: the levels the flow shows at once; each must be a level (none when the key is absent)."""
    raw = document.get("interrupt", [])
    valid = [level.value for level in Level]
    unknown = [value for value in raw if value not in valid]
    if unknown:
        line = document.key_lines.get("interrupt", document.line)
        raise ContentErrors([ContentError(label, line, "interrupt",
                                          f"interrupt: unknown level '{value}'. Valid levels: {valid_list(valid)}."
                                          f"{did_you_mean(value, valid)}") for value in unknown])
    return tuple(Level(value) for value in raw)
