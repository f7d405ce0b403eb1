"""Split a condition into an `or` of smaller ones, so each part is searched over fewer questions.

"Is A and (B or C) ever true?" is "is A and B, or A and C, ever true?". A part reads only the
questions its own atoms name (and what their branching depends on), so its search space is the
product of far fewer domains: an invariant promising that no rule on a topic fires becomes one
small search per rule instead of one search over every question those rules read together.
Negations are pushed inward (De Morgan) only as far as a split needs; atoms are left as they are.
Exact, like the search: the parts' `or` is the condition, on every answer set. A part whose own
tests of one question no answer can pass is never true, and is not searched (`no_answer_passes`).
"""

from __future__ import annotations

from itertools import product
from typing import Any

from ...conditions import All, Any_, Atom, Condition, Not
from ...interpreters import Interpreter
from ...model import NONE_CODE, Question, Questionnaire, QuestionType

MAX_PARTS = 256  # a condition that would split into more is searched whole (a split only ever saves time)

_parts = Interpreter[list[Condition]]("solver_split")
_negated_parts = Interpreter[list[Condition]]("solver_split_negated")


def disjuncts(condition: Condition) -> list[Condition]:
    """Conditions whose `or` is exactly `condition` (none when it is `any: []`, never true)."""
    return _parts(condition)


@_parts.register(Atom)
def _atom(atom: Atom) -> list[Condition]:
    return [atom]


@_parts.register(Any_)
def _any(condition: Any_) -> list[Condition]:
    return _union([_parts(item) for item in condition.items], condition)


@_parts.register(All)
def _all(condition: All) -> list[Condition]:
    return _product([_parts(item) for item in condition.items])


@_parts.register(Not)
def _not(condition: Not) -> list[Condition]:
    return _negated_parts(condition.item)


@_negated_parts.register(Atom)
def _not_atom(atom: Atom) -> list[Condition]:
    return [Not(atom)]


@_negated_parts.register(Any_)
def _not_any(condition: Any_) -> list[Condition]:  # not (a or b) = not a and not b
    return _product([_negated_parts(item) for item in condition.items])


@_negated_parts.register(All)
def _not_all(condition: All) -> list[Condition]:  # not (a and b) = not a or not b
    return _union([_negated_parts(item) for item in condition.items], Not(condition))


@_negated_parts.register(Not)
def _not_not(condition: Not) -> list[Condition]:
    return _parts(condition.item)


def _union(alternatives: list[list[Condition]], whole: Condition) -> list[Condition]:
    parts = [part for option in alternatives for part in option]
    return parts if len(parts) <= MAX_PARTS else [whole]


def _product(factors: list[list[Condition]]) -> list[Condition]:
    """`and` over factors that are each an `or` of parts; a factor that would make too many is kept whole."""
    chosen: list[list[Condition]] = []
    size = 1
    for parts in sorted(factors, key=len):
        if not parts:
            return []  # `and` with something never true is never true
        if size * len(parts) <= MAX_PARTS:
            chosen.append(parts)
            size *= len(parts)
        else:
            chosen.append([_or(parts)])
    return [_and(combination) for combination in product(*chosen)]


def _or(parts: list[Condition]) -> Condition:
    return parts[0] if len(parts) == 1 else Any_(tuple(parts))


def _and(items: tuple[Condition, ...]) -> Condition:
    flat: list[Condition] = []
    for item in items:
        flat.extend(item.items if isinstance(item, All) else (item,))
    return flat[0] if len(flat) == 1 else All(tuple(flat))


def no_answer_passes(questionnaire: Questionnaire, condition: Condition) -> bool:
    """True when some question has no answer (unanswered included) that passes every test `condition` makes of it
    directly (its own `and` items that are atoms or negated atoms).

    Then no answer set makes `condition` true, whatever else holds: "A and not A" on a question near
    the end of the form is seen at once, not after every combination of the questions before it."""
    tests: dict[str, list[Condition]] = {}
    for item in condition.items if isinstance(condition, All) else (condition,):
        atom = item.item if isinstance(item, Not) else item
        if isinstance(atom, Atom):
            tests.setdefault(atom.question_id, []).append(item)
    for qid, on_question in tests.items():
        candidates = _candidates(questionnaire.by_id[qid]) if qid in questionnaire.by_id else None
        if candidates is not None and not any(all(test.predicate(answers) for test in on_question)
                                              for answers in ({qid: value} if value is not None else {}
                                                              for value in candidates)):
            return True
    return False


def _candidates(question: Question) -> list[Any] | None:
    """Every answer a question can have, None for unanswered; None when there are too many to list."""
    if question.type is QuestionType.SCALE:
        return [None, *question.values]
    if question.type is QuestionType.SINGLE:
        return [None, *question.codes]
    plain = [c for c in question.codes if c != NONE_CODE]
    if len(plain) > 10:
        return None
    subsets = [frozenset(c for bit, c in enumerate(plain) if mask >> bit & 1) for mask in range(1, 2**len(plain))]
    return [None, *([frozenset({NONE_CODE})] if NONE_CODE in question.codes else []), *subsets]
