"""The declarative condition language: parsed and type-checked at load, compiled to closures.

A condition is data (`{all: [...]}`, `{question: x, includes_any: [...]}`), never code:
nothing here calls eval or exec. Each node compiles once into a plain Python closure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from .model import Answers, AnswerValue, Question, QuestionType

Predicate = Callable[[Answers], bool]
_EMPTY: frozenset[str] = frozenset()


class Condition:
    """Base of every condition node."""

    def compile(self) -> Predicate:
        raise NotImplementedError

    @cached_property
    def predicate(self) -> Predicate:
        """The compiled closure, built once per node."""
        return self.compile()

    def atoms(self) -> Iterator[Atom]:
        raise NotImplementedError

    def question_ids(self) -> frozenset[str]:
        return frozenset(atom.question.id for atom in self.atoms())

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        """The positive atoms that make this condition true, for "Why you're seeing this"."""
        raise NotImplementedError


def all_of(predicates: tuple[Predicate, ...]) -> Predicate:
    """`and` over predicates, short-circuit; unrolled for the common short lists (no generator per call)."""
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        a, b = predicates
        return lambda answers: a(answers) and b(answers)
    if len(predicates) == 3:
        a, b, c = predicates
        return lambda answers: a(answers) and b(answers) and c(answers)

    def all_of(answers: Answers) -> bool:
        for predicate in predicates:
            if not predicate(answers):
                return False
        return True

    return all_of


def any_of(predicates: tuple[Predicate, ...]) -> Predicate:
    """`or` over predicates, short-circuit; unrolled like `all_of`."""
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        a, b = predicates
        return lambda answers: a(answers) or b(answers)
    if len(predicates) == 3:
        a, b, c = predicates
        return lambda answers: a(answers) or b(answers) or c(answers)

    def any_of(answers: Answers) -> bool:
        for predicate in predicates:
            if predicate(answers):
                return True
        return False

    return any_of


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...]

    def compile(self) -> Predicate:
        return all_of(tuple(item.predicate for item in self.items))

    def atoms(self) -> Iterator[Atom]:
        for item in self.items:
            yield from item.atoms()

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return [atom for item in self.items for atom in item.matched_atoms(answers)]


@dataclass(frozen=True)
class Any_(Condition):
    items: tuple[Condition, ...]

    def compile(self) -> Predicate:
        return any_of(tuple(item.predicate for item in self.items))

    def atoms(self) -> Iterator[Atom]:
        for item in self.items:
            yield from item.atoms()

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        # Every true branch counts: a person reporting itching and fever sees both.
        return [
            atom
            for item in self.items
            if item.predicate(answers)
            for atom in item.matched_atoms(answers)
        ]


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def compile(self) -> Predicate:
        inner = self.item.predicate
        return lambda answers: not inner(answers)

    def atoms(self) -> Iterator[Atom]:
        yield from self.item.atoms()

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return []  # an absence is not an answer a person gave


@dataclass(frozen=True)
class Atom(Condition):
    """A test on one question's answer."""

    question: Question

    operator = ""

    def atoms(self) -> Iterator[Atom]:
        yield self

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return [self] if self.question.id in answers else []

    def test(self, value: AnswerValue | None) -> bool:
        """The atom's truth for one answer value (None when unanswered)."""
        return self.predicate({self.question.id: value} if value is not None else {})

    def matched_value(self, value: AnswerValue) -> AnswerValue:
        """The part of an answer this atom looked at (for multiple: the codes it named)."""
        return value


@dataclass(frozen=True)
class Answered(Atom):
    expected: bool = True
    operator = "answered"

    def compile(self) -> Predicate:
        qid, expected = self.question.id, self.expected
        return lambda answers: (qid in answers) is expected

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return [self] if self.expected and self.question.id in answers else []


@dataclass(frozen=True)
class Equals(Atom):
    value: str | int = ""
    operator = "equals"

    def compile(self) -> Predicate:
        qid, value = self.question.id, self.value
        return lambda answers: answers.get(qid) == value


@dataclass(frozen=True)
class OneOf(Atom):
    values: frozenset[str] = _EMPTY
    operator = "one_of"

    def compile(self) -> Predicate:
        qid, values = self.question.id, self.values
        return lambda answers: answers.get(qid) in values


@dataclass(frozen=True)
class IncludesAny(Atom):
    values: frozenset[str] = _EMPTY
    operator = "includes_any"

    def compile(self) -> Predicate:
        qid, values = self.question.id, self.values

        def includes_any(answers: Answers) -> bool:
            chosen = answers.get(qid, _EMPTY)
            return isinstance(chosen, frozenset) and not values.isdisjoint(chosen)

        return includes_any

    def matched_value(self, value: AnswerValue) -> AnswerValue:
        return value & self.values if isinstance(value, frozenset) else value


@dataclass(frozen=True)
class IncludesAll(Atom):
    values: frozenset[str] = _EMPTY
    operator = "includes_all"

    def compile(self) -> Predicate:
        qid, values = self.question.id, self.values

        def includes_all(answers: Answers) -> bool:
            chosen = answers.get(qid, _EMPTY)
            return isinstance(chosen, frozenset) and values <= chosen

        return includes_all

    def matched_value(self, value: AnswerValue) -> AnswerValue:
        return value & self.values if isinstance(value, frozenset) else value


@dataclass(frozen=True)
class Between(Atom):
    """Numeric range, inclusive; `at_least` and `at_most` are open-ended ranges."""

    low: int | None = None
    high: int | None = None
    operator = "between"

    def compile(self) -> Predicate:
        qid = self.question.id
        low = self.low if self.low is not None else -(2**63)
        high = self.high if self.high is not None else 2**63

        def between(answers: Answers) -> bool:
            value = answers.get(qid)
            return isinstance(value, int) and low <= value <= high

        return between


# Which operators fit which question type; the loader checks every atom against this.
OPERATORS_BY_TYPE: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("answered", "equals", "one_of"),
    QuestionType.MULTIPLE: ("answered", "includes_any", "includes_all"),
    QuestionType.SCALE: ("answered", "equals", "at_least", "at_most", "between"),
}
ALL_OPERATORS = ("answered", "equals", "one_of", "includes_any", "includes_all", "at_least", "at_most", "between")
COMBINATORS = ("all", "any", "not")
