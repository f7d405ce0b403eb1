"""Conditions in plain English: every node type, nesting, negation, and what reads each question."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from questionnaire import load_content
from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.conditions import Condition
from questionnaire.describe import Clause, Describer
from questionnaire.model import Content
from questionnaire.readers import readers_by_question
from tests.conftest import FIXTURES

PUMP = "“Do you have a medicine pump in your body now?”"
SYMPTOMS = "“Right now or in the past day, have you had any of these?”"
STIFFNESS = "“How bad was your stiffness on most days?”"
MEDICINES = "“Which medicines have you taken by mouth?”"


@functools.cache
def _review() -> Content:
    return load_content(FIXTURES / "review")


@pytest.fixture(scope="module")
def review_content() -> Content:
    return _review()


def _english() -> Describer:
    """Atoms name question ids: the words come from the questionnaire the describer is given."""
    return Describer.english(_review().questionnaire)


def sentence(condition: Condition) -> str:
    return _english().sentence(condition)


def outline(condition: Condition) -> Clause:
    return _english().outline(condition)


def question_summary(question: Any) -> str:
    return _english().question_summary(question)


@pytest.fixture
def parse(review_content: Content) -> Any:
    def parse(raw: dict[str, Any]) -> Condition:
        errors: list[Any] = []
        condition = parse_condition(raw, ConditionContext("test", "test", review_content.questionnaire.by_id, errors), 1)
        assert condition is not None, errors
        return condition

    return parse


@pytest.mark.parametrize(("raw", "words"), [
    ({"question": "has_pump", "equals": "yes"}, f"answered “Yes” to {PUMP}"),
    ({"question": "has_pump", "one_of": ["no", "not_sure"]}, f"answered “No” or “I am not sure” to {PUMP}"),
    ({"question": "pump_symptoms", "includes_any": ["fever"]}, f"chose “A fever or feeling very hot” for {SYMPTOMS}"),
    ({"question": "pump_symptoms", "includes_any": ["fever", "itching"]},
     f"chose any of “Itching all over with no rash” or “A fever or feeling very hot” for {SYMPTOMS}"),
    ({"question": "pump_symptoms", "includes_all": ["seizure", "fever"]},
     f"chose all of “A fever or feeling very hot” and “A seizure” for {SYMPTOMS}"),
    ({"question": "stiffness_severity", "at_least": 7}, f"answered 7 or more (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "at_most": 3}, f"answered 3 or less (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "between": [4, 6]}, f"answered between 4 and 6 (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "between": [5, 5]}, f"answered 5 out of 10 to {STIFFNESS}"),
    ({"question": "stiffness_severity", "equals": 10},
     f"answered 10 out of 10 (“Worst stiffness you can imagine”) to {STIFFNESS}"),
    ({"question": "medicines", "answered": True}, f"answered {MEDICINES}"),
    ({"question": "medicines", "answered": False}, f"has no answer to {MEDICINES} (not answered, or not asked)"),
])
def test_every_kind_of_test_on_an_answer_reads_as_words(parse: Any, raw: dict[str, Any], words: str) -> None:
    assert sentence(parse(raw)) == words


@pytest.mark.parametrize(("raw", "words"), [
    ({"question": "has_pump", "equals": "yes"}, f"did not answer “Yes” to {PUMP}"),
    ({"question": "has_pump", "one_of": ["no", "not_sure"]}, f"did not answer “No” or “I am not sure” to {PUMP}"),
    ({"question": "pump_symptoms", "includes_any": ["fever"]},
     f"did not choose “A fever or feeling very hot” for {SYMPTOMS}"),
    ({"question": "pump_symptoms", "includes_any": ["fever", "itching"]},
     f"chose none of “Itching all over with no rash” or “A fever or feeling very hot” for {SYMPTOMS}"),
    ({"question": "pump_symptoms", "includes_all": ["seizure", "fever"]},
     f"did not choose all of “A fever or feeling very hot” and “A seizure” for {SYMPTOMS}"),
    ({"question": "stiffness_severity", "at_least": 7}, f"did not answer 7 or more (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "at_most": 3}, f"did not answer 3 or less (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "between": [4, 6]},
     f"did not answer between 4 and 6 (out of 10) to {STIFFNESS}"),
    ({"question": "stiffness_severity", "equals": 2}, f"did not answer 2 out of 10 to {STIFFNESS}"),
    ({"question": "medicines", "answered": True}, f"has no answer to {MEDICINES} (not answered, or not asked)"),
    ({"question": "medicines", "answered": False}, f"answered {MEDICINES}"),
])
def test_not_around_a_test_reads_as_its_opposite(parse: Any, raw: dict[str, Any], words: str) -> None:
    assert sentence(parse({"not": raw})) == words
    assert sentence(parse({"not": {"not": raw}})) == sentence(parse(raw))


def test_all_and_any_join_with_and_or(parse: Any) -> None:
    pump = {"question": "has_pump", "equals": "yes"}
    fever = {"question": "pump_symptoms", "includes_any": ["fever"]}
    assert sentence(parse({"all": [pump, fever]})) == (
        f"answered “Yes” to {PUMP}, and chose “A fever or feeling very hot” for {SYMPTOMS}")
    assert sentence(parse({"any": [pump, fever]})) == (
        f"answered “Yes” to {PUMP}, or chose “A fever or feeling very hot” for {SYMPTOMS}")


def test_nested_groups_are_bracketed_and_flattened_when_the_same_kind(parse: Any) -> None:
    high = {"question": "stiffness_severity", "at_least": 7}
    pump = {"question": "has_pump", "equals": "yes"}
    fever = {"question": "pump_symptoms", "includes_any": ["fever"]}
    mixed = parse({"all": [high, {"any": [pump, fever]}]})
    assert sentence(mixed) == (f"answered 7 or more (out of 10) to {STIFFNESS}, and (answered “Yes” to {PUMP}, "
                               f"or chose “A fever or feeling very hot” for {SYMPTOMS})")
    same = parse({"all": [high, {"all": [pump, fever]}]})
    assert "(" not in sentence(same).replace("(out of 10)", "")
    assert not _english().is_nested(same)
    assert _english().is_nested(mixed)


def test_not_over_a_group_applies_de_morgan(parse: Any) -> None:
    pump = {"question": "has_pump", "equals": "yes"}
    fever = {"question": "pump_symptoms", "includes_any": ["fever"]}
    assert sentence(parse({"not": {"any": [pump, fever]}})) == (
        f"did not answer “Yes” to {PUMP}, and did not choose “A fever or feeling very hot” for {SYMPTOMS}")
    assert sentence(parse({"not": {"all": [pump, fever]}})) == (
        f"did not answer “Yes” to {PUMP}, or did not choose “A fever or feeling very hot” for {SYMPTOMS}")


def test_deeply_nested_condition_outline_keeps_its_structure(parse: Any) -> None:
    condition = parse({"all": [
        {"question": "stiffness_severity", "at_least": 7},
        {"any": [{"question": "medicines", "includes_any": ["baclofen"]},
                 {"not": {"question": "has_pump", "one_of": ["no", "not_sure"]}}]},
    ]})
    assert outline(condition) == Clause("all of these:", (
        Clause(f"answered 7 or more (out of 10) to {STIFFNESS}"),
        Clause("at least one of these:", (
            Clause(f"chose “Baclofen” for {MEDICINES}"),
            Clause(f"did not answer “No” or “I am not sure” to {PUMP}"),
        )),
    ))


def test_what_a_condition_looks_for_in_one_question_keeps_its_negation(review_content: Content) -> None:
    rule = next(r for r in review_content.ruleset.rules if r.id == "severe-stiffness")
    assert rule.when is not None
    assert _english().tests_on(rule.when, "has_pump") == [f"did not answer “No” or “I am not sure” to {PUMP}"]
    assert _english().tests_on(rule.when, "unread") == []


def test_connecting_words_go_through_the_given_gettext(parse: Any) -> None:
    spanish = {"answered %(answers)s to “%(question)s”": "respondió %(answers)s a “%(question)s”"}
    describer = Describer(lambda text: spanish.get(text, text), _review().questionnaire)
    words = describer.sentence(parse({"question": "has_pump", "equals": "yes"}))
    assert words == f"respondió “Yes” a {PUMP}"  # the content's own wording is translated by localize(), not here


def test_question_summary_says_how_it_is_answered_and_when_it_is_asked(review_content: Content) -> None:
    by_id = review_content.questionnaire.by_id
    assert question_summary(by_id["has_pump"]) == f"has_pump: {PUMP} (one answer from 3). Always asked."
    assert question_summary(by_id["pump_symptoms"]) == (
        f"pump_symptoms: {SYMPTOMS} (any of 4 answers). Asked only when: answered “Yes” to {PUMP}.")
    assert "a whole number from 0 to 10" in question_summary(by_id["stiffness_severity"])


def test_answers_in_words_accept_json_shaped_answers(review_content: Content) -> None:
    rows = _english().answers(review_content.questionnaire,
                               {"pump_symptoms": ["seizure", "itching"], "has_pump": "yes", "stiffness_severity": 8})
    assert rows == [
        ("Do you have a medicine pump in your body now?", "Yes"),
        ("Right now or in the past day, have you had any of these?", "Itching all over with no rash, A seizure"),
        ("How bad was your stiffness on most days?", "8 out of 10"),
    ]


def test_readers_list_every_show_if_and_rule_reading_a_question_and_its_codes(review_content: Content) -> None:
    readers = readers_by_question(review_content)
    assert [(r.kind, r.id) for r in readers["has_pump"]] == [
        ("show_if", "pump_symptoms"), ("rule", "pump-itch-or-fever"), ("rule", "severe-stiffness")]
    assert readers["has_pump"][2].codes == {"no", "not_sure"}
    assert [r.id for r in readers["stiffness_severity"]] == ["severe-stiffness", "mild-stiffness"]
    assert readers["stiffness_severity"][0].codes == frozenset()
    assert readers["unread"] == []
