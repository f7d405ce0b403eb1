"""The scenario library: every shipped example person passes, covers every rule, and failures say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaire import load_content
from questionnaire.analysis import coverage, load_scenarios, run_scenarios
from questionnaire.errors import ContentErrors
from questionnaire.loader import DEFAULT_CONTENT_DIR

SHIPPED = DEFAULT_CONTENT_DIR


def _shipped():
    try:
        content = load_content(SHIPPED)
        return content, load_scenarios(SHIPPED, content)
    except ContentErrors:
        return None, ()


_CONTENT, _SCENARIOS = _shipped()


@pytest.mark.parametrize("scenario", _SCENARIOS, ids=[s.name[:70] for s in _SCENARIOS])
def test_shipped_scenario(scenario):
    [result] = run_scenarios(_CONTENT, [scenario])
    assert result.passed, f"{scenario.file}:{scenario.line} {scenario.name}\n" + "\n".join(result.problems)


def test_at_least_40_scenarios_cover_every_shipped_rule():
    assert len(_SCENARIOS) >= 40
    report = coverage(_CONTENT, run_scenarios(_CONTENT, _SCENARIOS))
    assert report.uncovered == ()


SCENARIOS = """\
- name: A pump user with a fever.
  answers: {has_pump: "yes", pump_symptoms: [fever]}
  expect: {includes: [itch-and-fever], highest_level: emergency}
- name: A person without a pump and stiffness of 8, wrongly expected to see emergency advice.
  answers: {has_pump: "no", severity: 8}
  expect: {includes: [itch-and-fever], excludes: [severe], highest_level: emergency}
"""


def _with_scenarios(directory: Path, text: str) -> Path:
    (directory / "scenarios").mkdir()
    (directory / "scenarios" / "people.yaml").write_text(text, encoding="utf-8")
    return directory


def test_a_wrong_expectation_fails_naming_the_scenario_and_the_rules(content_dir):
    directory = _with_scenarios(content_dir(), SCENARIOS)
    content = load_content(directory)
    good, wrong = run_scenarios(content, load_scenarios(directory, content))
    assert good.passed and not wrong.passed
    assert wrong.problems == (
        "expected rule 'itch-and-fever' but it did not fire",
        "rule 'severe' fired but the scenario says it should not",
        "expected highest level emergency but it was discuss (from severe)",
    )


def test_rules_test_command_prints_pass_and_fail_and_exits_1(runner, content_dir):
    directory = _with_scenarios(content_dir(), SCENARIOS)
    result = runner.invoke(args=["rules", "test", "--content", str(directory)])
    assert result.exit_code == 1
    assert "PASS  A pump user with a fever." in result.output
    assert "FAIL  A person without a pump and stiffness of 8, wrongly expected to see emergency advice." in result.output
    assert "expected rule 'itch-and-fever' but it did not fire" in result.output
    assert "1 passed, 1 failed, 2 scenarios" in result.output


def test_coverage_command_exits_1_naming_a_rule_no_scenario_fires(runner, content_dir):
    directory = _with_scenarios(content_dir(), SCENARIOS.split("- name: A person")[0])
    result = runner.invoke(args=["rules", "coverage", "--content", str(directory)])
    assert result.exit_code == 1
    assert "Rule coverage: 1 of 3 rules" in result.output
    assert "Rules with no scenario: severe, talk" in result.output
    assert "pump_symptoms: itching" not in result.output  # read by a rule
    assert "pump_symptoms: none" in result.output  # read by nothing


def test_shipped_commands_pass(runner):
    for command in ("test", "coverage"):
        result = runner.invoke(args=["rules", command])
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("text", "expected"), [
    ('- name: A typo.\n  answers: {has_pump: "yes"}\n  expect: {includes: [itch-and-fevr]}\n',
     "people.yaml:3: [A typo.] expect/includes: unknown rule id 'itch-and-fevr'. Did you mean 'itch-and-fever'?"),
    ('- name: Hidden.\n  answers: {has_pump: "no", pump_symptoms: [fever]}\n  expect: {excludes: [severe]}\n',
     "people.yaml:2: [Hidden.] answers: pump_symptoms would not be asked with these answers"),
    ('- name: Bad code.\n  answers: {has_pump: "maybe"}\n  expect: {excludes: [severe]}\n',
     "people.yaml:2: [Bad code.] answers: 'maybe' is not an answer to 'has_pump'"),
    ('- name: Bad level.\n  answers: {}\n  expect: {highest_level: severe}\n',
     "people.yaml:3: [Bad level.] expect/highest_level 'severe' is not a level"),
    ('- answers: {}\n', "people.yaml:1: each scenario needs a 'name'"),
])
def test_scenario_errors_name_file_line_and_scenario(content_dir, text, expected):
    directory = _with_scenarios(content_dir(), text)
    with pytest.raises(ContentErrors) as raised:
        load_scenarios(directory, load_content(directory))
    assert expected in str(raised.value)
