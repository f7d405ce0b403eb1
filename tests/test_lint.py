"""Lint: exact never/always/equivalent findings, reviews, wording; and the solver checked by brute force."""

from __future__ import annotations

import itertools
import random
from datetime import date
from pathlib import Path

import pytest

from questionnaire import load_content
from questionnaire.analysis import lint, solver
from questionnaire.analysis.findings import (
    ALWAYS_FIRES,
    CALL_NOW_BELOW_URGENT,
    DUPLICATE_GUIDANCE,
    EQUIVALENT_CONDITIONS,
    NEVER_FIRES,
    READING_GRADE,
    REVIEW_OVERDUE,
)
from questionnaire.answers import visible_answers
from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.loader import DEFAULT_CONTENT_DIR
from questionnaire.model import NONE_CODE, Questionnaire, QuestionType

FIXTURES = Path(__file__).parent / "fixtures"
LOGIC_KINDS = {NEVER_FIRES, ALWAYS_FIRES, EQUIVALENT_CONDITIONS}
TODAY = date(2026, 11, 24)


def _by_kind(findings):
    return {(finding.rule, finding.kind) for finding in findings}


def test_lint_finds_each_deliberate_mistake_and_nothing_else():
    content = load_content(FIXTURES / "lint")
    findings = [f for f in lint(content, today=TODAY) if f.kind in LOGIC_KINDS]
    assert _by_kind(findings) == {
        ("yes-and-no", NEVER_FIRES),
        ("no-pump-but-fever", NEVER_FIRES),
        ("always", ALWAYS_FIRES),
        ("severe-urgent", EQUIVALENT_CONDITIONS),
    }
    messages = {f.rule: f.message for f in findings}
    assert "contradicts itself" in messages["yes-and-no"]
    assert "'pump_symptoms', which is only asked when" in messages["no-pump-but-fever"]
    assert "'severe-discuss'" in messages["severe-urgent"]


def test_never_and_always_are_errors_so_the_command_fails(runner):
    result = runner.invoke(args=["rules", "lint", "--content", str(FIXTURES / "lint")])
    assert result.exit_code == 1
    assert "error: [yes-and-no] never-fires" in result.output
    assert "error: [always] always-fires" in result.output


def test_shipped_rules_have_no_logic_errors():
    content = load_content()
    findings = lint(content, today=TODAY)
    wrong = [str(f) for f in findings if f.kind in (NEVER_FIRES, ALWAYS_FIRES)]
    assert wrong == []
    assert [str(f) for f in findings if f.severity == "error"] == []


def test_review_overdue_after_twelve_months_and_configurable(content_dir):
    old = load_content(content_dir({"rules/rules.yaml": ('reviewed_on: "2026-11-24"', 'reviewed_on: "2025-11-23"')}))
    assert ("itch-and-fever", REVIEW_OVERDUE) in _by_kind(lint(old, today=TODAY))
    assert ("itch-and-fever", REVIEW_OVERDUE) not in _by_kind(lint(old, today=TODAY, review_months=24))
    assert ("itch-and-fever", REVIEW_OVERDUE) not in _by_kind(lint(old, today=date(2026, 11, 23)))


def test_guidance_above_grade_8_is_a_warning(content_dir):
    hard = ("Intrathecal administration necessitates comprehensive multidisciplinary evaluation, "
            "incorporating neurological, rehabilitative and psychological considerations.")
    content = load_content(content_dir({"rules/rules.yaml": ("guidance: Talk about it.", f"guidance: {hard}")}))
    findings = lint(content, today=TODAY)
    assert ("severe", READING_GRADE) in _by_kind(findings)
    assert all(f.severity == "warning" for f in findings if f.kind == READING_GRADE)


def test_duplicated_guidance_is_a_warning(content_dir):
    same = load_content(content_dir({"rules/rules.yaml": ("guidance: Talk about it.",
                                                          "guidance: Talk with your provider.")}))
    findings = lint(same, today=TODAY)
    assert ("talk", DUPLICATE_GUIDANCE) in _by_kind(findings)
    assert all(f.severity == "warning" for f in findings if f.kind == DUPLICATE_GUIDANCE)


# --- The solver against brute force: every answer set of the fixture questionnaire -----------

def _every_answer_set(questionnaire: Questionnaire):
    """All distinct answer sets after branching, by plain enumeration (no abstraction)."""
    choices = []
    for question in questionnaire.questions:
        if question.type is QuestionType.SCALE:
            values = list(question.values)
        elif question.type is QuestionType.SINGLE:
            values = list(question.codes)
        else:
            plain = [c for c in question.codes if c != NONE_CODE]
            values = [frozenset(s) for n in range(1, len(plain) + 1) for s in itertools.combinations(plain, n)]
            values += [frozenset({NONE_CODE})] if NONE_CODE in question.codes else []
        choices.append([(question.id, v) for v in [None, *values]])
    seen = {}
    for combination in itertools.product(*choices):
        raw = {qid: value for qid, value in combination if value is not None}
        shown = visible_answers(questionnaire, raw)
        seen[tuple(sorted(shown.items(), key=lambda item: item[0]))] = shown
    return list(seen.values())


def _random_condition(questionnaire: Questionnaire, chooser: random.Random, depth: int = 0):
    if depth < 2 and chooser.random() < 0.5:
        kind = chooser.choice(["all", "any", "not"])
        if kind == "not":
            return {"not": _random_condition(questionnaire, chooser, depth + 1)}
        return {kind: [_random_condition(questionnaire, chooser, depth + 1) for _ in range(chooser.randint(1, 3))]}
    question = chooser.choice(questionnaire.questions)
    if chooser.random() < 0.15:
        return {"question": question.id, "answered": chooser.random() < 0.5}
    if question.type is QuestionType.SCALE:
        operator = chooser.choice(["equals", "at_least", "at_most"])
        return {"question": question.id, operator: chooser.choice(question.values)}
    if question.type is QuestionType.SINGLE:
        return {"question": question.id, "equals": chooser.choice(question.codes)}
    codes = chooser.sample(question.codes, chooser.randint(1, 2))
    return {"question": question.id, chooser.choice(["includes_any", "includes_all"]): codes}


def test_solver_counts_and_satisfies_exactly_like_brute_force():
    content = load_content(FIXTURES / "minimal")
    questionnaire = content.questionnaire
    every = _every_answer_set(questionnaire)
    assert solver.total(questionnaire) == len(every) == 84
    chooser = random.Random(3)
    for _ in range(300):
        raw = _random_condition(questionnaire, chooser)
        errors: list = []
        condition = parse_condition(raw, ConditionContext("test", "random", questionnaire.by_id, errors), 1)
        assert condition is not None, errors
        truths = [condition.predicate(answers) for answers in every]
        assert solver.count(questionnaire, condition) == sum(truths), raw
        example = solver.satisfy(questionnaire, condition)
        assert (example is not None) == any(truths), raw
        if example is not None:
            from questionnaire.answers import parse_answers

            shown = visible_answers(questionnaire, parse_answers(questionnaire, example))
            assert condition.predicate(shown), (raw, example)


@pytest.mark.skipif(not (DEFAULT_CONTENT_DIR / "ruleset.yaml").exists(), reason="shipped rules not written yet")
def test_witnesses_on_shipped_rules_really_fire_them(engine, content):
    for rule in content.ruleset.rules:
        example = solver.satisfy(content.questionnaire, rule.when)
        assert example is not None, rule.id
        from questionnaire.answers import parse_answers

        assert rule.id in engine.evaluate(parse_answers(content.questionnaire, example), "911").fired(), rule.id


@pytest.mark.parametrize("guidance", [
    "Talk about it. If the stiffness is much worse, call {emergency_number} now instead.",
    "Talk about it. Call {emergency_number} or go to hospital right away if you feel worse.",
    "Talk about it. CALL {emergency_number} IMMEDIATELY if breathing slows.",
])
def test_a_discuss_card_telling_people_to_call_now_is_an_error(content_dir, runner, guidance):
    target = content_dir({"rules/rules.yaml": ("guidance: Talk about it.", f'guidance: "{guidance}"')})
    findings = [f for f in lint(load_content(target), today=TODAY) if f.kind == CALL_NOW_BELOW_URGENT]
    assert [(f.rule, f.severity) for f in findings] == [("severe", "error")]
    assert "belongs in an emergency rule" in findings[0].message
    result = runner.invoke(args=["rules", "lint", "--content", str(target)])
    assert result.exit_code == 1 and "[severe] call-now-in-discuss-or-info" in result.output


def test_teaching_the_signs_in_a_discuss_card_and_call_now_in_an_emergency_card_are_fine(content_dir):
    taught = "Learn the signs. If you ever notice them, call {emergency_number}. Now ask your team for a plan."
    target = content_dir({"rules/rules.yaml": ("guidance: Talk about it.", f'guidance: "{taught}"')})
    findings = lint(load_content(target), today=TODAY)
    assert CALL_NOW_BELOW_URGENT not in {f.kind for f in findings}  # the emergency rule says "Call ... now."
