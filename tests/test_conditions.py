"""Each operator of the condition language, compiled once and tested against answers."""

from __future__ import annotations

import pytest

from questionnaire import ContentErrors, load_content
from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.conditions import Condition
from tests.conftest import FIXTURES

QUESTIONS = load_content(FIXTURES / "minimal").questionnaire


def compile_condition(raw: dict) -> Condition:
    errors: list = []
    condition = parse_condition(raw, ConditionContext("test.yaml", "test", QUESTIONS.by_id, errors), 1)
    assert not errors, errors
    assert condition is not None
    return condition


PUMP_YES = {"has_pump": "yes"}
ITCH = {"pump_symptoms": frozenset({"itching"})}
ITCH_FEVER = {"pump_symptoms": frozenset({"itching", "fever"})}
NONE = {"pump_symptoms": frozenset({"none"})}

CASES = [
    ({"question": "has_pump", "answered": True}, PUMP_YES, True),
    ({"question": "has_pump", "answered": True}, {}, False),
    ({"question": "has_pump", "answered": False}, {}, True),
    ({"question": "has_pump", "answered": False}, PUMP_YES, False),
    ({"question": "has_pump", "equals": "yes"}, PUMP_YES, True),
    ({"question": "has_pump", "equals": "yes"}, {"has_pump": "no"}, False),
    ({"question": "has_pump", "equals": "yes"}, {}, False),
    ({"question": "has_pump", "one_of": ["yes", "no"]}, {"has_pump": "no"}, True),
    ({"question": "has_pump", "one_of": ["yes"]}, {"has_pump": "no"}, False),
    ({"question": "pump_symptoms", "includes_any": ["fever", "itching"]}, ITCH, True),
    ({"question": "pump_symptoms", "includes_any": ["fever"]}, ITCH, False),
    ({"question": "pump_symptoms", "includes_any": ["fever"]}, {}, False),
    ({"question": "pump_symptoms", "includes_all": ["fever", "itching"]}, ITCH_FEVER, True),
    ({"question": "pump_symptoms", "includes_all": ["fever", "itching"]}, ITCH, False),
    ({"question": "severity", "equals": 0}, {"severity": 0}, True),
    ({"question": "severity", "equals": 0}, {}, False),
    ({"question": "severity", "at_least": 7}, {"severity": 7}, True),
    ({"question": "severity", "at_least": 7}, {"severity": 6}, False),
    ({"question": "severity", "at_most": 3}, {"severity": 3}, True),
    ({"question": "severity", "at_most": 3}, {"severity": 4}, False),
    ({"question": "severity", "at_most": 3}, {}, False),
    ({"question": "severity", "between": [2, 4]}, {"severity": 2}, True),
    ({"question": "severity", "between": [2, 4]}, {"severity": 5}, False),
    ({"all": [{"question": "has_pump", "equals": "yes"}, {"question": "pump_symptoms", "includes_any": ["itching"]}]},
     {**PUMP_YES, **ITCH}, True),
    ({"all": [{"question": "has_pump", "equals": "yes"}, {"question": "pump_symptoms", "includes_any": ["fever"]}]},
     {**PUMP_YES, **ITCH}, False),
    ({"any": [{"question": "has_pump", "equals": "no"}, {"question": "severity", "at_least": 9}]}, {"severity": 9}, True),
    ({"any": [{"question": "has_pump", "equals": "no"}, {"question": "severity", "at_least": 9}]}, {"severity": 8}, False),
    ({"not": {"question": "pump_symptoms", "includes_any": ["none"]}}, NONE, False),
    ({"not": {"question": "pump_symptoms", "includes_any": ["none"]}}, ITCH, True),
]


@pytest.mark.parametrize(("raw", "answers", "expected"), CASES)
def test_operator(raw, answers, expected):
    assert compile_condition(raw).predicate(answers) is expected


def test_matched_atoms_explain_only_what_the_person_reported():
    condition = compile_condition({"all": [
        {"question": "has_pump", "equals": "yes"},
        {"any": [{"question": "pump_symptoms", "includes_any": ["itching"]},
                 {"question": "severity", "at_least": 9}]},
        {"not": {"question": "pump_symptoms", "includes_any": ["none"]}},
    ]})
    answers = {**PUMP_YES, **ITCH_FEVER, "severity": 2}
    matched = condition.matched_atoms(answers)
    assert [(atom.question_id, atom.matched_value(answers[atom.question_id])) for atom in matched] == [
        ("has_pump", "yes"), ("pump_symptoms", frozenset({"itching"}))]


def test_a_condition_is_data_and_strings_are_never_run():
    errors: list = []
    result = parse_condition("__import__('os').system('true')",
                             ConditionContext("x.yaml", "x", QUESTIONS.by_id, errors), 3)
    assert result is None
    assert "a condition must be a mapping" in str(errors[0])


def test_load_refuses_conditions_with_two_operators(content_dir):
    target = content_dir({"rules/rules.yaml": ("{question: severity, at_least: 7}",
                                               "{question: severity, at_least: 7, at_most: 9}")})
    with pytest.raises(ContentErrors, match="needs exactly one operator"):
        load_content(target)


@pytest.mark.parametrize("combinator", ["all", "any"])
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_all_and_any_agree_with_python_for_every_truth_pattern(combinator, size):
    """all/any compile to unrolled closures for short lists; each must still be plain `and`/`or`."""
    true, false = {"question": "has_pump", "answered": True}, {"question": "has_pump", "answered": False}
    for pattern in range(2**size):
        truths = [bool(pattern >> bit & 1) for bit in range(size)]
        condition = compile_condition({combinator: [true if t else false for t in truths]})
        expected = all(truths) if combinator == "all" else any(truths)
        assert condition.predicate(PUMP_YES) is expected, truths
