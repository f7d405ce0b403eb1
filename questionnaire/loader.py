"""Load and validate a content directory into frozen model objects, or report every error."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from . import schemas
from .clinics import load_clinics, load_emergency_numbers
from .condition_parser import ConditionContext, parse_condition
from .errors import ContentError, ContentErrors, did_you_mean, valid_list
from .i18n import check_translation, content_strings
from .model import (
    EMERGENCY_NUMBER_PLACEHOLDER,
    NONE_CODE,
    Content,
    Level,
    Locale,
    Option,
    OptionGroup,
    Page,
    Perspective,
    Question,
    Questionnaire,
    QuestionType,
    Reference,
    Rule,
    RuleSet,
    Source,
    Topic,
    Translation,
)
from .pages import load_info_pages
from .rule_checks import rule_problems
from .schema_errors import schema_errors
from .summary import load_clinician_rows
from .yamlfile import MAX_FILE_BYTES, MAX_RULES_FILE_BYTES, LineDict, content_files, read_yaml

DEFAULT_CONTENT_DIR = Path(__file__).parent / "content"
QUESTIONS_FILE = "questions.yaml"
RULESET_FILE = "ruleset.yaml"
RULES_DIR = "rules"
LOCALES_DIR = "locales"
SCENARIOS_DIR = "scenarios"


def _label(path: Path) -> str:
    """A path as people will recognise it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def load_content(directory: Path | str | None = None) -> Content:
    """Load questions and rules from `directory`; raise ContentErrors listing every problem."""
    root = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    errors: list[ContentError] = []
    digest = hashlib.sha256()

    def read(path: Path, schema: dict[str, Any], max_bytes: int = MAX_FILE_BYTES) -> Any:
        label = _label(path)
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
    rule_paths = content_files(root / RULES_DIR, _label, errors)
    if not rule_paths:
        errors.append(ContentError(_label(root / RULES_DIR), None, None, "no rule files (*.yaml) found"))
    rule_docs = [(path, read(path, schemas.RULES_FILE, MAX_RULES_FILE_BYTES)) for path in rule_paths]

    questionnaire = None
    if questions_doc is not None:
        questionnaire = _build_questionnaire(questions_doc, _label(root / QUESTIONS_FILE), errors)
    rules: list[Rule] = []
    if questionnaire is not None:
        seen: dict[str, Source] = {}
        for path, document in rule_docs:
            if document is not None:
                rules.extend(_build_rules(document, _label(path), questionnaire, seen, errors))
    locale_docs = [(path, read(path, schemas.LOCALE_FILE, MAX_RULES_FILE_BYTES))
                   for path in content_files(root / LOCALES_DIR, _label, errors)]
    content_files(root / SCENARIOS_DIR, _label, errors)  # read by `rules test`; a stray .yml stops start-up too
    numbers = load_emergency_numbers(root, _label, errors)
    clinics = load_clinics(root, numbers, {"en", *(path.stem for path, _ in locale_docs)}, _label, errors)
    info_pages = load_info_pages(root, _label, errors)
    clinician = load_clinician_rows(root, questionnaire, _label, errors) if questionnaire else ()
    if errors or questionnaire is None or ruleset_doc is None:
        raise ContentErrors(errors)
    content = Content(questionnaire=questionnaire, ruleset=_build_ruleset(ruleset_doc, rules, digest.hexdigest(),
                                                                        _label(root / RULESET_FILE)),
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
        label = _label(path)
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


def _build_questionnaire(document: Any, label: str, errors: list[ContentError]) -> Questionnaire | None:
    pages: list[Page] = []
    by_id: dict[str, Question] = {}
    page_of: dict[str, int] = {}
    page_ids: dict[str, int] = {}
    all_ids = {q["id"] for p in document["pages"] for q in p["questions"]}
    start_errors = len(errors)
    for page_index, raw_page in enumerate(document["pages"]):
        if raw_page["id"] in page_ids:
            errors.append(ContentError(label, raw_page.line, raw_page["id"],
                                       f"duplicate page id (first on line {page_ids[raw_page['id']]})"))
        page_ids.setdefault(raw_page["id"], raw_page.line)
        questions = []
        for raw in raw_page["questions"]:
            question = _build_question(raw, raw_page["id"], label, by_id, page_of, page_index, all_ids, errors)
            if question is not None:
                questions.append(question)
                by_id[question.id] = question
                page_of[question.id] = page_index
        pages.append(Page(id=raw_page["id"], title=raw_page["title"], questions=tuple(questions),
                          caregiver_title=raw_page.get("caregiver_title")))
    perspective = _build_perspective(document, label, by_id, errors)
    if len(errors) > start_errors:
        return None
    return Questionnaire(pages=tuple(pages), by_id=by_id, perspective=perspective)


def _build_perspective(document: LineDict, label: str, by_id: Mapping[str, Question],
                       errors: list[ContentError]) -> Perspective | None:
    """The answer that switches to caregiver wording must be a real code of a single-choice question."""
    raw = document.get("perspective")
    if raw is None:
        return None
    qid, code = raw["question"], raw["code"]
    question = by_id.get(qid)
    if question is None:
        errors.append(ContentError(label, raw.line, qid,
                                   f"perspective names an unknown question.{did_you_mean(qid, by_id)}"))
        return None
    if question.type is not QuestionType.SINGLE:
        errors.append(ContentError(label, raw.line, qid, "the perspective question must be a 'single' question"))
        return None
    if code not in question.codes:
        errors.append(ContentError(label, raw.line, qid, f"perspective code '{code}' is not an answer to '{qid}'. "
                                                         f"Valid answers: {valid_list(question.codes)}."
                                                         f"{did_you_mean(code, question.codes)}"))
        return None
    return Perspective(question=qid, code=code)


def _build_question(raw: LineDict, page_id: str, label: str, earlier: Mapping[str, Question],
                    page_of: Mapping[str, int], page_index: int, all_ids: set[str],
                    errors: list[ContentError]) -> Question | None:
    qid = raw["id"]

    def error(message: str, line: int | None = None) -> None:
        errors.append(ContentError(label, line or raw.line, qid, message))

    if qid in earlier:
        error(f"duplicate question id (first at {earlier[qid].source})")
        return None
    qtype = QuestionType(raw["type"])
    options: tuple[Option, ...] = ()
    minimum = maximum = None
    scale_labels: dict[int, str] = {}
    if qtype is QuestionType.SCALE:
        minimum, maximum = raw["min"], raw["max"]
        if minimum >= maximum:
            error(f"scale min ({minimum}) must be below max ({maximum})")
            return None
        for key, text in raw.get("labels", {}).items():
            if not minimum <= int(key) <= maximum:
                error(f"label for {key} is outside the scale (valid: {minimum} to {maximum})",
                      raw["labels"].key_lines.get(key))
            scale_labels[int(key)] = text
    else:
        codes = [option["code"] for option in raw["options"]]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            error(f"duplicate answer code(s): {', '.join(duplicates)}")
        options = tuple(Option(code=o["code"], label=o["label"], caregiver_label=o.get("caregiver_label"),
                               group=o.get("group")) for o in raw["options"])
    groups = _build_groups(raw, options, error)
    question = Question(id=qid, type=qtype, text=raw["text"], help=raw.get("help"), page_id=page_id,
                        source=Source(label, raw.line), options=options, minimum=minimum,
                        maximum=maximum, scale_labels=scale_labels, caregiver_text=raw.get("caregiver_text"),
                        caregiver_help=raw.get("caregiver_help"), groups=groups)
    if "show_if" not in raw:
        return question

    def forbid(other: Question) -> str | None:
        if other.id == qid:
            return f"show_if refers to '{qid}' itself, which forms a cycle"
        if page_of[other.id] == page_index:
            return (f"show_if reads '{other.id}', which is on the same page; it may only read questions "
                    f"on earlier pages so the form works without JavaScript")
        return None

    raw_show_if = raw["show_if"]
    later = _later_references(raw_show_if, all_ids, {**earlier, qid: question})
    if later:
        # An id that exists but comes later gets its own message rather than "unknown".
        error(f"show_if refers to '{later}', which comes later in the questionnaire; show_if may only "
              f"read questions on earlier pages (a later reference can form a cycle)",
              getattr(raw_show_if, "line", None))
        return None
    ctx = ConditionContext(label, qid, {**earlier, qid: question}, errors, forbid=forbid)
    condition = parse_condition(raw_show_if, ctx, raw.key_lines.get("show_if"))
    if condition is None:
        return None
    return Question(**{**question.__dict__, "show_if": condition})


def _build_groups(raw: LineDict, options: tuple[Option, ...], error: Any) -> tuple[OptionGroup, ...]:
    """Option groups: known ids, each used, each listed in one run; "none" stays ungrouped."""
    raw_groups = raw.get("groups", [])
    groups = tuple(OptionGroup(id=g["id"], label=g["label"], caregiver_label=g.get("caregiver_label"))
                   for g in raw_groups)
    ids = [group.id for group in groups]
    for group, raw_group in zip(groups, raw_groups, strict=True):
        if ids.count(group.id) > 1:
            error(f"duplicate option group id '{group.id}'", raw_group.line)
        if not any(option.group == group.id for option in options):
            error(f"option group '{group.id}' has no options (add `group: {group.id}` to some)", raw_group.line)
    finished: set[str] = set()
    previous = None
    for option, raw_option in zip(options, raw.get("options", []), strict=True):
        line = raw_option.key_lines.get("group", raw_option.line)
        if option.group is not None and option.group not in ids:
            error(f"option '{option.code}' names unknown group '{option.group}'. Valid groups: "
                  f"{valid_list(ids) if ids else 'none (add `groups:` to the question)'}."
                  f"{did_you_mean(option.group, ids)}", line)
        elif option.group is not None and option.code == NONE_CODE:
            error(f"option '{NONE_CODE}' excludes every other answer, so it stays ungrouped", line)
        elif option.group is not None and option.group in finished:
            error(f"option '{option.code}' is in group '{option.group}', whose options must be listed together",
                  line)
        if previous is not None and option.group != previous:
            finished.add(previous)
        previous = option.group
    return groups


def _later_references(raw: Any, all_ids: set[str], earlier: Mapping[str, Question]) -> str | None:
    """A question id referenced in raw that is defined later in the file, if any."""
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            qid = node.get("question")
            if isinstance(qid, str) and qid in all_ids and qid not in earlier:
                return qid
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _build_rules(document: Any, label: str, questionnaire: Questionnaire, seen: dict[str, Source],
                 errors: list[ContentError]) -> list[Rule]:
    rules = []
    for raw in document["rules"]:
        problems = schema_errors(raw, schemas.RULE, label)
        if problems:
            errors.extend(problems)
            if isinstance(raw.get("id"), str):
                seen.setdefault(raw["id"], Source(label, raw.line))
            continue
        rule = _build_rule(raw, label, questionnaire, seen, errors)
        seen.setdefault(raw["id"], Source(label, raw.line))
        if rule is not None:
            rules.append(rule)
    return rules


def _build_rule(raw: LineDict, label: str, questionnaire: Questionnaire, seen: Mapping[str, Source],
                errors: list[ContentError]) -> Rule | None:
    rid = raw["id"]
    before = len(errors)

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(label, raw.key_lines.get(key, raw.line) if key else raw.line, rid, message))

    if rid in seen:
        error(f"duplicate rule id (first at {seen[rid]})", "id")
    level, topic = Level(raw["level"]), Topic(raw["topic"])
    if level in (Level.EMERGENCY, Level.URGENT) and not raw["references"]:
        error(f"{level.value} rules need at least one reference (a source for the advice)", "references")
    try:
        reviewed_on = date.fromisoformat(raw["reviewed_on"])
    except ValueError:
        error(f"reviewed_on '{raw['reviewed_on']}' is not a real date (YYYY-MM-DD)", "reviewed_on")
        reviewed_on = date.min
    _check_placeholders(raw, error)
    for key, message in rule_problems(raw):
        error(message, key)
    fallback = bool(raw.get("fallback", False))
    condition = None
    if fallback:
        if "when" in raw:
            error("a fallback rule has no 'when': it shows when no other rule applies", "when")
        if level is not Level.INFO or topic is not Topic.GENERAL:
            error("the fallback rule must have level 'info' and topic 'general'", "level")
    elif "when" not in raw:
        error("missing 'when' (the condition for showing this rule); only the fallback rule has none")
    else:
        ctx = ConditionContext(label, rid, questionnaire.by_id, errors)
        condition = parse_condition(raw["when"], ctx, raw.key_lines.get("when"))
    if len(errors) > before:
        return None
    references = tuple(Reference(title=r["title"], url=r.get("url")) for r in raw["references"])
    return Rule(id=rid, level=level, topic=topic, title=raw["title"], guidance=raw["guidance"],
                when=condition, rationale=raw["rationale"], references=references, owner=raw["owner"],
                reviewed_by=raw["reviewed_by"], reviewed_on=reviewed_on, source=Source(label, raw.line),
                fallback=fallback, caregiver_title=raw.get("caregiver_title"),
                caregiver_guidance=raw.get("caregiver_guidance"),
                questions_to_ask=tuple(raw.get("questions_to_ask", ())),
                caregiver_questions_to_ask=tuple(raw.get("caregiver_questions_to_ask", ())))


def _check_placeholders(raw: LineDict, error: Any) -> None:
    for key in ("title", "guidance", "caregiver_title", "caregiver_guidance"):
        if key not in raw:
            continue
        text = raw[key].replace(EMERGENCY_NUMBER_PLACEHOLDER, "")
        if "{" in text or "}" in text:
            error(f"{key} has a placeholder other than {EMERGENCY_NUMBER_PLACEHOLDER}; "
                  f"it is the only one filled in", key)
    caregiver = raw.get("caregiver_guidance")
    if caregiver is not None and (EMERGENCY_NUMBER_PLACEHOLDER in raw["guidance"]) != (
            EMERGENCY_NUMBER_PLACEHOLDER in caregiver):
        error(f"caregiver_guidance must keep {EMERGENCY_NUMBER_PLACEHOLDER} when guidance has it", "caregiver_guidance")


def _build_ruleset(document: LineDict, rules: list[Rule], sha256: str, label: str) -> RuleSet:
    fallbacks = [rule for rule in rules if rule.fallback]
    if len(fallbacks) > 1:
        raise ContentErrors([ContentError(str(r.source.file), r.source.line, r.id,
                                          "only one rule may be the fallback") for r in fallbacks])
    return RuleSet(version=document["version"], sha256=sha256, disclaimer=document["disclaimer"],
                   rules=tuple(rule for rule in rules if not rule.fallback),
                   fallback=fallbacks[0] if fallbacks else None,
                   interrupt=_interrupt_levels(document, label))


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
