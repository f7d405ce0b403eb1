"""Check raw answers against the questionnaire and apply branching; shared by web and API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import MAX_PROBLEMS, AnswerError, did_you_mean, shorten, valid_list
from .model import NONE_CODE, Answers, AnswerValue, Question, Questionnaire, QuestionType


def parse_answers(questionnaire: Questionnaire, raw: Any) -> dict[str, AnswerValue]:
    """Turn JSON-like answers into model values; raise AnswerError naming every problem.

    single: a code string; multiple: a list of codes; scale: an integer. `None` means unanswered.
    """
    if not isinstance(raw, Mapping):
        raise AnswerError([(None, "'answers' must be an object mapping question ids to answers")])
    problems: list[tuple[str | None, str]] = []
    more = 0  # problems past MAX_PROBLEMS: counted, not described
    parsed: dict[str, AnswerValue] = {}
    for qid, value in raw.items():
        question = questionnaire.by_id.get(qid) if isinstance(qid, str) else None
        if question is None:
            if len(problems) >= MAX_PROBLEMS:
                more += 1
                continue
            problems.append((shorten(qid), f"Unknown question '{shorten(qid)}'.{did_you_mean(qid, questionnaire.by_id)} "
                                           f"Valid questions: {valid_list(questionnaire.by_id)}"))
            continue
        if value is None:
            continue
        kind = question.type
        if type(value) is str and kind is QuestionType.SINGLE and value in question.code_set:
            parsed[qid] = value  # the common cases, valid as sent; anything else takes the checks below
            continue
        if type(value) is int and kind is QuestionType.SCALE and question.minimum <= value <= question.maximum:  # type: ignore[operator]
            parsed[qid] = value
            continue
        if type(value) is list and kind is QuestionType.MULTIPLE and value and all(type(code) is str for code in value):
            codes = frozenset(value)
            if codes <= question.code_set and (len(codes) == 1 or NONE_CODE not in codes):
                parsed[qid] = codes
                continue
        try:
            parsed[qid] = parse_value(question, value)
        except ValueError as exc:
            problems.append((qid, str(exc)))
    if problems:
        raise AnswerError(problems[:MAX_PROBLEMS], more + max(0, len(problems) - MAX_PROBLEMS))
    return parsed


def parse_value(question: Question, value: Any) -> AnswerValue:
    """One answer, checked against its question; ValueError says what would be valid."""
    qid = question.id
    if question.type is QuestionType.SCALE:
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)  # JSON does not tell 7 from 7.0
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"'{qid}' takes a whole number from {question.minimum} to {question.maximum}, "
                             f"not {_show(value)}")
        if not question.minimum <= value <= question.maximum:  # type: ignore[operator]
            raise ValueError(f"{value} is out of range for '{qid}' (valid: {question.minimum} to {question.maximum})")
        return value
    if question.type is QuestionType.SINGLE:
        if not isinstance(value, str):
            raise ValueError(f"'{qid}' takes one answer code as a string, one of: {valid_list(question.codes)}")
        _check_code(question, value)
        return value
    if not isinstance(value, list):
        raise ValueError(f"'{qid}' takes a list of answer codes from: {valid_list(question.codes)}")
    if not value:
        raise ValueError(f"'{qid}' needs at least one answer code; use [\"{NONE_CODE}\"] if none apply"
                         if NONE_CODE in question.codes else f"'{qid}' needs at least one answer code")
    for code in value:
        if not isinstance(code, str):
            raise ValueError(f"'{qid}' takes answer codes as strings, not {_show(code)}")
        _check_code(question, code)
    codes = frozenset(value)
    if NONE_CODE in codes and len(codes) > 1:
        raise ValueError(f"'{qid}': \"{NONE_CODE}\" cannot be combined with other answers")
    return codes


def _check_code(question: Question, code: str) -> None:
    if code not in question.code_set:
        raise ValueError(f"'{shorten(code)}' is not an answer to '{question.id}'.{did_you_mean(code, question.codes)} "
                         f"Valid answers: {valid_list(question.codes)}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def visible_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, AnswerValue]:
    """Drop answers to questions that branching hides, exactly as the web flow does.

    show_if only reads earlier questions, so one pass in order decides every question. A code
    whose option branching hides is dropped too; an answer left with no code is dropped.
    """
    kept: dict[str, AnswerValue] = {}
    for qid, shown_if, options_shown_if in questionnaire.branching:
        if qid in answers and (shown_if is None or shown_if(kept)):
            value = answers[qid]
            hidden = options_shown_if.hidden_codes(kept) if options_shown_if is not None else None
            if hidden:
                if isinstance(value, frozenset):
                    value = value - hidden
                if value in hidden or value == frozenset():
                    continue
            kept[qid] = value
    return kept


def is_shown(question: Question, answers: Answers) -> bool:
    """Whether a question is asked, given the (already pruned) earlier answers."""
    return question.show_if is None or question.show_if.predicate(answers)


def to_json(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Answers as JSON values, multiple-choice codes in the questionnaire's option order."""
    result: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.id in answers:
            result[question.id] = value_to_json(question, answers[question.id])
    return result


def value_to_json(question: Question, value: AnswerValue) -> Any:
    """One answer as a JSON value: multiple-choice codes in the question's option order."""
    return [c for c in question.codes if c in value] if isinstance(value, frozenset) else value
