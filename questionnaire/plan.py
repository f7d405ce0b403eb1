"""A rule set compiled into a plan: every distinct one-question test is decided once per submission.

Conditions are pure and every atom tests one question, so any part of a condition that looks at
a single question (an atom, or an `all`/`any`/`not` of atoms over the same question) is a
*leaf*. Equal leaves are shared by all the rules that use them. Per submission the plan builds a
truth list with one entry per distinct leaf, a question at a time:

- a single-choice or scale question has few possible answers, so for each answer (and for "not
  answered") the truth of all its leaves is worked out at start-up: one dict look-up per question;
- a multiple-choice answer is a set of codes: with few codes, every possible set is in such a
  table too; otherwise `includes_any` leaves are marked true from a precomputed table of the
  leaves each code makes true, and other leaves on it are tested directly.

Rules then test `truth[i]` instead of calling one function per atom; `all`/`any`/`not` over
several questions become one closure over the truth list with their leaves inlined. A rule whose
whole condition is a leaf costs one list look-up. Nothing is cached between submissions: the
tables hold only what the content says, never an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from .conditions import All, Any_, Atom, Condition, IncludesAny, Not
from .interpreters import Interpreter
from .model import Answers, Question, QuestionType, Rule

Truth = Sequence[Any]  # one 0/1 (or bool) per leaf
TruthPredicate = Callable[[Truth], Any]
Slot = tuple[str, int]  # (question id, position among that question's leaves)
Builder = Callable[[Callable[[Slot | None], int]], TruthPredicate]  # made once leaf offsets are known

_MISSING = object()  # the key for "not answered"
# A multiple-choice question with few codes gets a table of every possible set of codes, within
# these bounds (start-up time and memory: the app builds one engine per language and perspective).
_SUBSETS_MAX = 256
_SUBSET_CELLS_MAX = 10_000


def _one_question(condition: Condition) -> str | None:
    ids = {atom.question_id for atom in condition.atoms()}
    return next(iter(ids)) if len(ids) == 1 else None


class _Leaves:
    """Distinct one-question conditions, grouped by question, each with its place in the truth list."""

    def __init__(self) -> None:
        self.by_question: dict[str, list[Condition]] = {}
        self.slot: dict[Condition, Slot] = {}

    def add(self, condition: Condition, question: str) -> Slot:
        found = self.slot.get(condition)
        if found is None:
            leaves = self.by_question.setdefault(question, [])
            found = self.slot[condition] = (question, len(leaves))
            leaves.append(condition)
        return found


def _and(leaves: tuple[int, ...], subs: tuple[TruthPredicate, ...]) -> TruthPredicate:
    """`all` over inlined leaves, then sub-conditions; short-circuit, unrolled for short lists."""
    if len(leaves) == 1 and not subs:
        a = leaves[0]
        return lambda t: t[a]
    if len(leaves) == 2 and not subs:
        a, b = leaves
        return lambda t: t[a] and t[b]
    if len(leaves) == 3 and not subs:
        a, b, c = leaves
        return lambda t: t[a] and t[b] and t[c]
    if len(leaves) == 1 and len(subs) == 1:
        a, f = leaves[0], subs[0]
        return lambda t: t[a] and f(t)
    if not leaves and len(subs) == 2:
        f, g = subs
        return lambda t: f(t) and g(t)

    def and_(t: Truth) -> bool:
        for index in leaves:
            if not t[index]:
                return False
        for sub in subs:
            if not sub(t):
                return False
        return True

    return and_


def _or(leaves: tuple[int, ...], subs: tuple[TruthPredicate, ...]) -> TruthPredicate:
    """`any` over inlined leaves, then sub-conditions; short-circuit, unrolled for short lists."""
    if len(leaves) == 2 and not subs:
        a, b = leaves
        return lambda t: t[a] or t[b]
    if len(leaves) == 3 and not subs:
        a, b, c = leaves
        return lambda t: t[a] or t[b] or t[c]
    if len(leaves) == 1 and len(subs) == 1:
        a, f = leaves[0], subs[0]
        return lambda t: t[a] or f(t)

    def or_(t: Truth) -> bool:
        for index in leaves:
            if t[index]:
                return True
        for sub in subs:
            if sub(t):
                return True
        return False

    return or_


class Plan:
    """Compiled once per content load; `matching(answers)` gives the rules whose condition holds, in order."""

    def __init__(self, rules: Sequence[Rule], questions: Sequence[Question]):
        self._leaves = _Leaves()
        # Each rule: (rule, a leaf that must hold (or the always-true slot), the rest or None).
        staged = [(rule, *self._rule(rule.when)) for rule in rules if rule.when is not None]
        by_id = {question.id: question for question in questions}
        offsets: dict[str, int] = {}
        self._segments: list[tuple[str, dict[Any, tuple[int, ...]], Callable[[Any], list[int]]]] = []
        size = 0
        for qid, leaves in self._leaves.by_question.items():
            offsets[qid] = size
            size += len(leaves)
            self._segments.append((qid, *self._segment(by_id.get(qid), leaves)))
        self._true = size  # the last slot is always 1: the guard of rules with no single leaf to test first

        def index(slot: Slot | None) -> int:
            return self._true if slot is None else offsets[slot[0]] + slot[1]

        self._plan = tuple((rule, index(guard), rest(index) if rest else None) for rule, guard, rest in staged)

    # Compiling: conditions become leaves or deferred closures (leaf offsets are known only at the end).

    def _node(self, condition: Condition) -> tuple[Slot | None, Builder | None]:
        """(leaf slot, None) for a one-question condition, else (None, a builder of its truth predicate)."""
        question = _one_question(condition)
        if question is not None:
            return self._leaves.add(condition, question), None
        return None, _several(condition, self)

    def _rule(self, when: Condition) -> tuple[Slot | None, Builder | None]:
        """A guard leaf to test first and the rest: for a top-level `all`, its first leaf item."""
        slot, build = self._node(when)
        if slot is not None or not isinstance(when, All):
            return slot, build
        first = next((i for i, item in enumerate(when.items) if _one_question(item) is not None), None)
        if first is None:
            return None, build
        guard, _ = self._node(when.items[first])
        others = when.items[:first] + when.items[first + 1:]
        rest_slot, rest = self._node(others[0] if len(others) == 1 else All(others))
        return guard, rest or _leaf_builder(rest_slot)

    def _segment(self, question: Question | None,
                 leaves: list[Condition]) -> tuple[dict[Any, tuple[int, ...]], Callable[[Any], list[int]]]:
        """A question's truth table by answer (computed at start-up where answers are few) and its fallback."""
        qid = question.id if question is not None else ""
        predicates = [leaf.predicate for leaf in leaves]

        def compute(value: Any) -> list[int]:
            answers = {} if value is _MISSING else {qid: value}
            return [1 if predicate(answers) else 0 for predicate in predicates]

        table: dict[Any, tuple[int, ...]] = {_MISSING: tuple(compute(_MISSING))}
        if question is None:
            return table, compute
        if question.type is QuestionType.MULTIPLE:
            multiple = self._multiple(question, leaves, compute)
            codes = question.codes
            if 2 ** len(codes) <= _SUBSETS_MAX and 2 ** len(codes) * len(leaves) <= _SUBSET_CELLS_MAX:
                for size in range(1, len(codes) + 1):  # few codes: every possible set, worked out once
                    for chosen in combinations(codes, size):
                        table[frozenset(chosen)] = tuple(multiple(frozenset(chosen)))
            return table, multiple
        for value in (question.values if question.type is QuestionType.SCALE else question.codes):
            table[value] = tuple(compute(value))
        return table, compute

    @staticmethod
    def _multiple(question: Question, leaves: list[Condition],
                  compute: Callable[[Any], list[int]]) -> Callable[[Any], list[int]]:
        """For a set of codes: `includes_any` leaves from a table by code, any other leaf tested directly."""
        by_code: dict[str, list[int]] = {code: [] for code in question.codes}
        others: list[tuple[int, Callable[[Answers], bool]]] = []
        for position, leaf in enumerate(leaves):
            if isinstance(leaf, IncludesAny):
                for code in leaf.values:
                    by_code.setdefault(code, []).append(position)
            else:
                others.append((position, leaf.predicate))
        qid, count = question.id, len(leaves)

        def multiple(value: Any) -> list[int]:
            if not isinstance(value, frozenset):
                return compute(value)
            truth = [0] * count
            for code in value:
                for position in by_code.get(code, ()):
                    truth[position] = 1
            answers = {qid: value}
            for position, predicate in others:
                if predicate(answers):
                    truth[position] = 1
            return truth

        return multiple

    # Per submission.

    def truth(self, answers: Answers) -> list[int]:
        """One entry per distinct leaf, question by question, then the always-true slot."""
        truth: list[int] = []
        for qid, table, compute in self._segments:
            value = answers.get(qid, _MISSING)
            try:
                known = table.get(value)
            except TypeError:  # not hashable: not a valid answer, but tested the long way all the same
                known = None
            truth.extend(known if known is not None else compute(value))
        truth.append(1)
        return truth

    def matching(self, answers: Answers) -> list[Rule]:
        t = self.truth(answers)
        return [rule for rule, guard, rest in self._plan if t[guard] and (rest is None or rest(t))]


# How a condition over several questions is planned: a builder of its truth predicate.
_several = Interpreter[Builder]("plan")


@_several.register(Not)
def _plan_not(condition: Not, plan: Plan) -> Builder:
    slot, build = plan._node(condition.item)
    if slot is not None or build is None:  # cannot happen: one question in, one question out
        raise AssertionError("a not over one question is a leaf")

    def build_not(index: Callable[[Slot | None], int]) -> TruthPredicate:
        inner = build(index)
        return lambda t: not inner(t)

    return build_not


@_several.register(All, Any_)
def _plan_items(condition: All | Any_, plan: Plan) -> Builder:
    parts = [plan._node(item) for item in condition.items]
    combine = _and if isinstance(condition, All) else _or

    def build_items(index: Callable[[Slot | None], int]) -> TruthPredicate:
        leaves = tuple(index(slot) for slot, _ in parts if slot is not None)
        subs = tuple(build(index) for slot, build in parts if build is not None)
        return combine(leaves, subs)

    return build_items


@_several.register(Atom)
def _plan_atom(condition: Atom, plan: Plan) -> Builder:
    raise AssertionError(f"an atom tests one question and is always a leaf: {condition!r}")


def _leaf_builder(slot: Slot | None) -> Builder:
    def build(index: Callable[[Slot | None], int]) -> TruthPredicate:
        at = index(slot)
        return lambda t: t[at]

    return build
