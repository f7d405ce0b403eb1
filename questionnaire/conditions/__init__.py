"""The declarative condition language: parsed and type-checked at load, compiled to closures.

A condition is data (`{all: [...]}`, `{question: x, includes_any: [...]}`), never code:
nothing here calls eval or exec. Each node compiles once into a plain Python closure.

`base` holds the tree and its combinators, `atoms` the tests on one answer. Every way of reading a
condition is registered in `questionnaire.interpreters`.
"""

from __future__ import annotations

from ..model import QuestionType
from .atoms import Answered, Atom, Between, Equals, IncludesAll, IncludesAny, OneOf, Wording
from .base import All, Any_, Condition, Not, Predicate, all_of, any_of

__all__ = [
    "ALL_OPERATORS", "COMBINATORS", "OPERATORS_BY_TYPE", "All", "Answered", "Any_", "Atom", "Between", "Condition",
    "Equals", "IncludesAll", "IncludesAny", "Not", "OneOf", "Predicate", "Wording", "all_of", "any_of",
    "concrete_condition_types",
]


def concrete_condition_types() -> list[type[Condition]]:
    """Every condition class that can appear in loaded content (subclasses found by introspection)."""
    found: list[type[Condition]] = []
    pending: list[type[Condition]] = [Condition]
    while pending:
        cls = pending.pop(0)
        if not cls.__dict__.get("abstract", False):
            found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


# Which operators fit which question type; the loader checks every atom against this.
OPERATORS_BY_TYPE: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("answered", "equals", "one_of"),
    QuestionType.MULTIPLE: ("answered", "includes_any", "includes_all"),
    QuestionType.SCALE: ("answered", "equals", "at_least", "at_most", "between"),
}
ALL_OPERATORS = ("answered", "equals", "one_of", "includes_any", "includes_all", "at_least", "at_most", "between")
COMBINATORS = ("all", "any", "not")
