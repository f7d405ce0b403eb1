"""One registry for every way of reading a condition: a table keyed by condition class.

Conditions carry their own facts (the codes they name, their cut points, their words). What a
reading does with each kind of node lives in the reading's own module, registered there case by
case; `tests/test_interpreters.py` walks every concrete condition class and fails if any
interpreter lacks a case for it, so a new operator cannot be forgotten in one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


class Interpreter(Generic[R]):
    """One way of reading a condition (describe, solve, plan, FHIR, ...): a case per condition class.

    A case registered for a base class (e.g. every `Atom`) serves its subclasses, deliberately:
    the completeness test checks that every concrete class resolves to a case.
    """

    def __init__(self, name: str):
        self.name = name
        self._cases: dict[type, Callable[..., R]] = {}
        self._resolved: dict[type, Callable[..., R]] = {}
        INTERPRETERS.append(self)

    def register(self, *classes: type) -> Callable[[F], F]:
        def register(case: F) -> F:
            for cls in classes:
                if cls in self._cases:
                    raise ValueError(f"{self.name}: {cls.__name__} is registered twice")
                self._cases[cls] = case
            self._resolved.clear()
            return case

        return register

    def case_for(self, cls: type) -> Callable[..., R] | None:
        """The case that reads nodes of `cls`: its own, or that of its nearest registered base."""
        found = self._resolved.get(cls)
        if found is None:
            found = next((self._cases[base] for base in cls.__mro__ if base in self._cases), None)
            if found is not None:
                self._resolved[cls] = found
        return found

    def __call__(self, condition: Any, *args: Any) -> R:
        case = self._resolved.get(type(condition)) or self.case_for(type(condition))
        if case is None:
            raise TypeError(f"{self.name}: no case for condition type {type(condition).__name__}; "
                            f"register one with @{self.name}.register({type(condition).__name__})")
        return case(condition, *args)


INTERPRETERS: list[Interpreter[Any]] = []
