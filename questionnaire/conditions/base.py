"""The condition tree: the base class and the combinators all, any and not, compiled to closures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..model import Answers

if TYPE_CHECKING:
    from .atoms import Atom

Predicate = Callable[[Answers], bool]


class Condition:
    """Base of every condition node; concrete node types are registered with every interpreter."""

    abstract = True  # only classes that set it themselves are abstract (see concrete_condition_types)

    def compile(self) -> Predicate:
        raise NotImplementedError

    @cached_property
    def predicate(self) -> Predicate:
        """The compiled closure, built once per node."""
        return self.compile()

    def atoms(self) -> Iterator[Atom]:
        raise NotImplementedError

    def question_ids(self) -> frozenset[str]:
        return frozenset(atom.question_id for atom in self.atoms())

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
