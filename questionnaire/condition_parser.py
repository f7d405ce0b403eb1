"""Turn a condition written in YAML into Condition objects, reporting every mistake found."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import (
    ALL_OPERATORS,
    COMBINATORS,
    OPERATORS_BY_TYPE,
    All,
    Answered,
    Any_,
    Between,
    Condition,
    Equals,
    IncludesAll,
    IncludesAny,
    Not,
    OneOf,
)
from .errors import ContentError, did_you_mean, valid_list
from .model import Question, QuestionType

MAX_CONDITION_DEPTH = 12


@dataclass
class ConditionContext:
    """Where a condition is written and which questions it may read."""

    file: str
    ident: str
    questions: Mapping[str, Question]
    errors: list[ContentError]
    # Returns a message when the question may not be read from here (e.g. a later page).
    forbid: Callable[[Question], str | None] = field(default=lambda _q: None)

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(ContentError(self.file, line, self.ident, message))


def _line(raw: Any, fallback: int | None) -> int | None:
    return getattr(raw, "line", None) or fallback


def parse_condition(raw: Any, ctx: ConditionContext, line: int | None, depth: int = 1) -> Condition | None:
    """Parse one condition; on any error record it in ctx and return None."""
    line = _line(raw, line)
    if depth > MAX_CONDITION_DEPTH:
        ctx.error(line, f"condition is nested more than {MAX_CONDITION_DEPTH} levels deep; simplify it")
        return None
    if not isinstance(raw, Mapping) or not raw:
        ctx.error(line, "a condition must be a mapping such as {question: has_pump, equals: \"yes\"} "
                        "or {all: [...]}, {any: [...]}, {not: ...}")
        return None
    combinators = [key for key in raw if key in COMBINATORS]
    if combinators:
        if len(raw) != 1:
            ctx.error(line, f"'{combinators[0]}' must stand alone in its mapping; found keys: "
                            f"{valid_list(raw)}")
            return None
        key = combinators[0]
        return _parse_combinator(key, raw[key], ctx, line, depth)
    if "question" not in raw:
        unknown = next(iter(raw))
        ctx.error(line, f"unknown condition key '{unknown}'; a condition is all, any, not, or an atom "
                        f"with 'question' and one operator.{did_you_mean(unknown, (*COMBINATORS, 'question'))}")
        return None
    return _parse_atom(raw, ctx, line)


def _parse_combinator(key: str, value: Any, ctx: ConditionContext, line: int | None, depth: int) -> Condition | None:
    if key == "not":
        inner = parse_condition(value, ctx, line, depth + 1)
        return Not(inner) if inner is not None else None
    if not isinstance(value, list) or not value:
        ctx.error(line, f"'{key}' needs a non-empty list of conditions")
        return None
    items = [parse_condition(item, ctx, _line(value, line), depth + 1) for item in value]
    if any(item is None for item in items):
        return None
    parsed = tuple(item for item in items if item is not None)
    return All(parsed) if key == "all" else Any_(parsed)


def _parse_atom(raw: Mapping[str, Any], ctx: ConditionContext, line: int | None) -> Condition | None:
    qid = raw["question"]
    operators = [key for key in raw if key != "question"]
    unknown = [key for key in operators if key not in ALL_OPERATORS]
    if unknown:
        ctx.error(line, f"unknown operator '{unknown[0]}'; valid operators: {valid_list(ALL_OPERATORS)}."
                        f"{did_you_mean(unknown[0], ALL_OPERATORS)}")
        return None
    if len(operators) != 1:
        ctx.error(line, f"a condition on '{qid}' needs exactly one operator, found "
                        f"{len(operators)}: {valid_list(operators) or 'none'}")
        return None
    if not isinstance(qid, str) or qid not in ctx.questions:
        known = ctx.questions.keys()
        ctx.error(line, f"unknown question id '{qid}'.{did_you_mean(qid, known)} "
                        f"Valid ids: {valid_list(known)}")
        return None
    question = ctx.questions[qid]
    forbidden = ctx.forbid(question)
    if forbidden:
        ctx.error(line, forbidden)
        return None
    operator = operators[0]
    allowed = OPERATORS_BY_TYPE[question.type]
    if operator not in allowed:
        ctx.error(line, f"operator '{operator}' does not fit {question.type.value} question '{qid}'; "
                        f"use one of: {valid_list(allowed)}")
        return None
    return _build_atom(question, operator, raw[operator], ctx, line)


def _build_atom(question: Question, operator: str, value: Any, ctx: ConditionContext, line: int | None) -> Condition | None:
    if operator == "answered":
        if not isinstance(value, bool):
            ctx.error(line, f"'answered' takes true or false, not {value!r}")
            return None
        return Answered(question.id, value)
    if question.type is QuestionType.SCALE:
        return _build_numeric(question, operator, value, ctx, line)
    if operator == "equals":
        code = _check_codes(question, [value], ctx, line)
        return Equals(question.id, code[0]) if code else None
    if not isinstance(value, list) or not value:
        ctx.error(line, f"'{operator}' on '{question.id}' needs a non-empty list of answer codes, e.g. "
                        f"[{question.codes[0]}]")
        return None
    codes = _check_codes(question, value, ctx, line)
    if codes is None:
        return None
    kind = {"one_of": OneOf, "includes_any": IncludesAny, "includes_all": IncludesAll}[operator]
    return kind(question.id, values=frozenset(codes))


def _check_codes(question: Question, values: list[Any], ctx: ConditionContext, line: int | None) -> list[str] | None:
    ok = True
    for value in values:
        if not isinstance(value, str) or value not in question.codes:
            ok = False
            hint = " (quote it: \"yes\")" if isinstance(value, bool) else ""
            ctx.error(line, f"'{value}' is not an answer code of '{question.id}'{hint}. Valid codes: "
                            f"{valid_list(question.codes)}.{did_you_mean(value, question.codes)}")
    return [str(v) for v in values] if ok else None


def _build_numeric(question: Question, operator: str, value: Any, ctx: ConditionContext,
                   line: int | None) -> Condition | None:
    low_limit, high_limit = question.minimum, question.maximum
    numbers = value if operator == "between" else [value]
    if operator == "between" and (not isinstance(value, list) or len(value) != 2):
        ctx.error(line, f"'between' on '{question.id}' takes two numbers [low, high], e.g. [{low_limit}, {high_limit}]")
        return None
    for number in numbers:
        if not isinstance(number, int) or isinstance(number, bool):
            ctx.error(line, f"'{operator}' on scale '{question.id}' takes whole numbers, not {number!r}")
            return None
        if low_limit is not None and high_limit is not None and not low_limit <= number <= high_limit:
            ctx.error(line, f"{number} is outside the range of scale '{question.id}' "
                            f"(valid: {low_limit} to {high_limit})")
            return None
    if operator == "equals":
        return Equals(question.id, value)
    if operator == "at_least":
        return Between(question.id, low=value)
    if operator == "at_most":
        return Between(question.id, high=value)
    low, high = numbers
    if low > high:
        ctx.error(line, f"'between' on '{question.id}' has low {low} above high {high}")
        return None
    return Between(question.id, low=low, high=high)
