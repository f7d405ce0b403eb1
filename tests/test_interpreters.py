"""Every way of reading a condition knows every condition type: a new operator cannot be forgotten in one."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import questionnaire
from questionnaire.conditions import Atom, Condition, concrete_condition_types
from questionnaire.interpreters import INTERPRETERS, Interpreter


def _import_every_module() -> None:
    """Interpreters register where they live: import the whole package so all of them are counted."""
    for module in pkgutil.walk_packages(questionnaire.__path__, "questionnaire."):
        importlib.import_module(module.name)


_import_every_module()
CONDITION_TYPES = concrete_condition_types()


def test_the_condition_types_are_found_by_introspection() -> None:
    names = {cls.__name__ for cls in CONDITION_TYPES}
    assert {"All", "Any_", "Not", "Answered", "Equals", "OneOf", "IncludesAny", "IncludesAll", "Between"} <= names
    assert Atom not in CONDITION_TYPES and Condition not in CONDITION_TYPES  # abstract: never loaded


def test_the_interpreters_are_all_registered() -> None:
    names = {interpreter.name for interpreter in INTERPRETERS}
    assert {"describe", "solver", "solver_multiple", "fhir_enable_when", "fhir_enable_when_group", "fhirpath",
            "plan", "changes"} <= names


@pytest.mark.parametrize("interpreter", INTERPRETERS, ids=lambda interpreter: interpreter.name)
@pytest.mark.parametrize("condition_type", CONDITION_TYPES, ids=lambda cls: cls.__name__)
def test_every_interpreter_reads_every_condition_type(interpreter: Interpreter[object], condition_type: type) -> None:
    if interpreter.name in {"fhir_enable_when", "solver_multiple"} and not issubclass(condition_type, Atom):
        return  # these read one atom; their callers take combinators apart first
    assert interpreter.case_for(condition_type) is not None, (
        f"{interpreter.name} has no case for {condition_type.__name__}")


@pytest.mark.parametrize("atom_type", [cls for cls in CONDITION_TYPES if issubclass(cls, Atom)],
                         ids=lambda cls: cls.__name__)
def test_every_atom_type_states_its_own_facts(atom_type: type[Atom]) -> None:
    """What generic cases read from an atom (its operator, its words, what it compares) each type defines."""
    assert atom_type.operator, f"{atom_type.__name__} names no operator"
    for fact in ("wording", "detail", "compile"):
        assert getattr(atom_type, fact) is not getattr(Atom, fact), f"{atom_type.__name__} does not define {fact}"


def test_an_interpreter_without_a_case_says_which_and_how_to_add_it() -> None:
    reading = Interpreter[str]("example")
    INTERPRETERS.remove(reading)
    with pytest.raises(TypeError, match=r"example: no case for condition type Equals; register one"):
        reading(CONDITION_TYPES[[cls.__name__ for cls in CONDITION_TYPES].index("Equals")]("q", "yes"))


def test_a_case_registered_twice_is_refused() -> None:
    reading = Interpreter[str]("twice")
    INTERPRETERS.remove(reading)
    reading.register(Atom)(lambda condition: "")
    with pytest.raises(ValueError, match="registered twice"):
        reading.register(Atom)(lambda condition: "")
