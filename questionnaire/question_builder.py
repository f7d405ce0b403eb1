"""The questionnaire from questions.yaml: pages, questions, options, groups, show_if; called by loader.load_content."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .condition_parser import ConditionContext, parse_condition
from .conditions import Condition
from .errors import ContentError, did_you_mean, valid_list
from .model import (
    NONE_CODE,
    Option,
    OptionGroup,
    Page,
    Perspective,
    Question,
    Questionnaire,
    QuestionType,
    Source,
)
from .yamlfile import LineDict


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
    if "show_if" not in raw and not any("show_if" in o for o in raw.get("options", [])):
        return question

    def forbid(other: Question) -> str | None:
        if other.id == qid:
            return f"show_if refers to '{qid}' itself, which forms a cycle"
        if page_of[other.id] == page_index:
            return (f"show_if reads '{other.id}', which is on the same page; it may only read questions "
                    f"on earlier pages so the form works without JavaScript")
        return None

    def branching(raw_show_if: Any, line: int | None) -> Condition | None:
        later = _later_references(raw_show_if, all_ids, {**earlier, qid: question})
        if later:
            # An id that exists but comes later gets its own message rather than "unknown".
            error(f"show_if refers to '{later}', which comes later in the questionnaire; show_if may only "
                  f"read questions on earlier pages (a later reference can form a cycle)",
                  getattr(raw_show_if, "line", None))
            return None
        ctx = ConditionContext(label, qid, {**earlier, qid: question}, errors, forbid=forbid)
        return parse_condition(raw_show_if, ctx, line)

    condition = None
    if "show_if" in raw:
        condition = branching(raw["show_if"], raw.key_lines.get("show_if"))
        if condition is None:
            return None
    # An option may have its own show_if (for example "pregnant" only from age 4): same rules.
    shown_options = []
    for option, raw_option in zip(options, raw.get("options", []), strict=True):
        if "show_if" in raw_option:
            option_condition = branching(raw_option["show_if"], raw_option.key_lines.get("show_if"))
            if option_condition is None:
                return None
            option = dataclasses.replace(option, show_if=option_condition)
        shown_options.append(option)
    return Question(**{**question.__dict__, "show_if": condition, "options": tuple(shown_options)})


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
