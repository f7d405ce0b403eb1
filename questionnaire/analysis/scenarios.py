"""The scenario library: example people, their answers and the guidance a clinician expects them to see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers import parse_answers, visible_answers
from ..engine import Engine
from ..errors import AnswerError, ContentError, ContentErrors, did_you_mean, valid_list
from ..model import EMERGENCY_NUMBER_PLACEHOLDER, AnswerValue, Content, Level
from ..yamlfile import content_files, path_label, read_each

AS_WRITTEN = EMERGENCY_NUMBER_PLACEHOLDER  # staff tools compare rule text as written, number unfilled

SCENARIOS_DIR = "scenarios"
_SCENARIO_KEYS = ("name", "answers", "expect")
_EXPECT_KEYS = ("includes", "excludes", "highest_level")


@dataclass(frozen=True)
class Scenario:
    """One example person: a sentence a clinician would write, their answers and what they should see."""

    name: str
    file: str
    line: int
    answers: Mapping[str, AnswerValue]
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    highest_level: Level | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """What the engine showed for a scenario, and how that differs from what was expected."""

    scenario: Scenario
    fired: tuple[str, ...]
    highest_level: Level | None
    passed: bool
    problems: tuple[str, ...]



def load_scenarios(content_dir: Path, content: Content) -> tuple[Scenario, ...]:
    """Read `content_dir/scenarios/*.yaml`; raise ContentErrors naming file, line and scenario for every problem."""
    folder = Path(content_dir) / SCENARIOS_DIR
    scenarios: list[Scenario] = []
    errors: list[ContentError] = []
    for _path, label, document in read_each(content_files(folder, path_label, errors), path_label, errors):
        if isinstance(document, Mapping) and set(document) == {"scenarios"}:
            document = document["scenarios"]
        if not isinstance(document, list):
            errors.append(ContentError(label, getattr(document, "line", 1), None,
                                       "a scenario file is a list of scenarios (or {scenarios: [...]}), "
                                       "each {name, answers, expect}"))
            continue
        for raw in document:
            scenario = _build(raw, label, content, errors)
            if scenario is not None:
                scenarios.append(scenario)
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            first = seen[scenario.name]
            errors.append(ContentError(scenario.file, scenario.line, scenario.name,
                                       f"duplicate scenario name (first at {first.file}:{first.line})"))
        seen.setdefault(scenario.name, scenario)
    if errors:
        raise ContentErrors(errors)
    return tuple(scenarios)


def _build(raw: Any, label: str, content: Content, errors: list[ContentError]) -> Scenario | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        errors.append(ContentError(label, line, None, "each scenario needs a 'name': a full sentence about the person"))
        return None
    name = raw["name"]
    before = len(errors)

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(label, raw.key_lines.get(key, line) if key and hasattr(raw, "key_lines") else line,
                                   name, message))

    for key in raw:
        if key not in _SCENARIO_KEYS:
            error(f"unknown key '{key}'. Valid keys: {valid_list(_SCENARIO_KEYS)}.{did_you_mean(key, _SCENARIO_KEYS)}", key)
    answers = _answers(raw.get("answers"), content, error)
    expect = raw.get("expect")
    if not isinstance(expect, Mapping) or not expect:
        error("'expect' must say what the person should see: includes, excludes and/or highest_level", "expect")
        return None
    for key in expect:
        if key not in _EXPECT_KEYS:
            error(f"unknown key 'expect/{key}'. Valid keys: {valid_list(_EXPECT_KEYS)}.{did_you_mean(key, _EXPECT_KEYS)}",
                  "expect")
    includes = _rule_ids(expect.get("includes", []), "includes", content, error)
    excludes = _rule_ids(expect.get("excludes", []), "excludes", content, error)
    for rule_id in set(includes) & set(excludes):
        error(f"rule '{rule_id}' is both expected and not expected", "expect")
    highest = expect.get("highest_level")
    level = None
    if highest is not None:
        valid = [lvl.value for lvl in Level]
        if highest not in valid:
            error(f"expect/highest_level {highest!r} is not a level. Valid levels: {valid_list(valid)}."
                  f"{did_you_mean(highest, valid)}", "expect")
        else:
            level = Level(highest)
    if len(errors) > before or answers is None:
        return None
    return Scenario(name=name, file=label, line=line or 1, answers=answers, includes=includes, excludes=excludes,
                    highest_level=level)


def _answers(raw: Any, content: Content, error: Any) -> dict[str, AnswerValue] | None:
    questionnaire = content.questionnaire
    try:
        answers = parse_answers(questionnaire, raw if raw is not None else {})
    except AnswerError as exc:
        for _question, message in exc.problems:
            error(f"answers: {message}", "answers")
        return None
    hidden = [qid for qid in answers if qid not in visible_answers(questionnaire, answers)]
    if hidden:
        error(f"answers: {valid_list(hidden)} would not be asked with these answers (branching hides "
              f"{'it' if len(hidden) == 1 else 'them'}); remove {'it' if len(hidden) == 1 else 'them'} "
              f"or change the answers that decide it", "answers")
        return None
    return answers


def _rule_ids(raw: Any, key: str, content: Content, error: Any) -> tuple[str, ...]:
    ruleset = content.ruleset
    known = [rule.id for rule in ruleset.all_rules]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        error(f"expect/{key} must be a list of rule ids", "expect")
        return ()
    for rule_id in raw:
        if rule_id not in known:
            error(f"expect/{key}: unknown rule id '{rule_id}'.{did_you_mean(rule_id, known)}", "expect")
    return tuple(raw)


def run_scenarios(content: Content, scenarios: Iterable[Scenario]) -> list[ScenarioResult]:
    """Evaluate every scenario with the real engine and compare with what was expected."""
    engine = Engine(content)
    results = []
    for scenario in scenarios:
        evaluation = engine.evaluate(scenario.answers, AS_WRITTEN)
        fired = tuple(evaluation.fired())
        problems = [f"expected rule '{rule_id}' but it did not fire" for rule_id in scenario.includes
                    if rule_id not in fired]
        problems += [f"rule '{rule_id}' fired but the scenario says it should not" for rule_id in scenario.excludes
                     if rule_id in fired]
        highest = evaluation.highest_level
        if scenario.highest_level is not None and highest is not scenario.highest_level:
            top = [rule_id for rule_id in fired if _level_of(content, rule_id) is highest]
            problems.append(f"expected highest level {scenario.highest_level.value} but it was "
                            f"{highest.value if highest else 'nothing'}"
                            + (f" (from {', '.join(top)})" if top else ""))
        results.append(ScenarioResult(scenario=scenario, fired=fired, highest_level=highest, passed=not problems,
                                      problems=tuple(problems)))
    return results


def _level_of(content: Content, rule_id: str) -> Level | None:
    ruleset = content.ruleset
    every = ruleset.all_rules
    return next((rule.level for rule in every if rule.id == rule_id), None)
