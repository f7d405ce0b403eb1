"""The engine's compiled rule plan (shared guards) fires exactly the rules their conditions say."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from questionnaire import Content, Engine
from questionnaire.answers import visible_answers
from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.conditions import OPERATORS_BY_TYPE
from questionnaire.model import NONE_CODE, AnswerValue, Level, Question, QuestionType, Rule


def random_value(question: Question, rng: random.Random) -> AnswerValue:
    if question.type is QuestionType.SCALE:
        return rng.choice(question.values)
    if question.type is QuestionType.SINGLE:
        return rng.choice(question.codes)
    codes = [code for code in question.codes if code != NONE_CODE]
    if NONE_CODE in question.codes and rng.random() < 0.25:
        return frozenset([NONE_CODE])
    return frozenset(rng.sample(codes, rng.randint(1, min(3, len(codes)))))


def test_matching_rules_agree_with_each_rules_own_condition(content: Content, engine: Engine) -> None:
    rng = random.Random(2026)
    # Level first, then a rule's `order` (rules with one first), then file order: what results list.
    ordered = sorted((rule for rule in content.ruleset.rules if rule.when is not None),
                     key=lambda r: (r.level.rank, r.order is None, r.order or 0))
    fired_somewhere: set[str] = set()
    for _ in range(2000):
        questions = content.questionnaire.questions
        answers = {q.id: random_value(q, rng) for q in questions if rng.random() < 0.9}  # some left unanswered
        shown = visible_answers(content.questionnaire, answers)
        expected = [rule.id for rule in ordered if rule.when.predicate(shown)]  # type: ignore[union-attr]
        assert [rule.id for rule in engine.matching_rules(shown)] == expected, shown
        fired_somewhere.update(expected)
    assert len(fired_somewhere) > len(ordered) // 2, "the samples should exercise most rules"


def random_condition(questions: list[Question], rng: random.Random, depth: int = 1) -> dict[str, Any]:
    """Random all/any/not trees; some draw every atom from one question, so whole subtrees become shared leaves."""
    if depth >= 4 or (depth > 1 and rng.random() < 0.5):
        question = rng.choice(questions)
        if rng.random() < 0.1:
            return {"question": question.id, "answered": rng.random() < 0.5}
        operator = rng.choice([op for op in OPERATORS_BY_TYPE[question.type] if op != "answered"])
        if question.type is QuestionType.SCALE:
            low, high = sorted(rng.sample(question.values, 2))
            return {"question": question.id,
                    operator: {"equals": low, "at_least": low, "at_most": high, "between": [low, high]}[operator]}
        if operator == "equals":
            return {"question": question.id, "equals": rng.choice(question.codes)}
        return {"question": question.id, operator: rng.sample(question.codes, rng.randint(1, min(3, len(question.codes))))}
    if rng.random() < 0.2:
        return {"not": random_condition(questions, rng, depth + 1)}
    pool = [rng.choice(questions)] if rng.random() < 0.3 else questions  # one question: the subtree is one leaf
    key = rng.choice(["all", "all", "any"])
    return {key: [random_condition(pool, rng, depth + 1) for _ in range(rng.randint(1, 4))]}


def random_rules(content: Content, rng: random.Random, count: int) -> list[Rule]:
    """`count` rules with random conditions (parsed by the real parser), each at a random level."""
    questions = list(content.questionnaire.questions)
    template = next(rule for rule in content.ruleset.rules if rule.when is not None)
    rules = []
    for index in range(count):
        errors: list[Any] = []
        ident = f"random-{index}"
        when = parse_condition(random_condition(questions, rng), ConditionContext("random", ident,
                                                                                 content.questionnaire.by_id, errors), None)
        assert when is not None and not errors, errors
        rules.append(dataclasses.replace(template, id=ident, when=when, level=rng.choice(list(Level))))
    return rules


def with_rules(content: Content, rules: list[Rule]) -> Content:
    return dataclasses.replace(content, ruleset=dataclasses.replace(content.ruleset, rules=tuple(rules)))


def test_plan_agrees_with_each_conditions_own_predicate_on_random_rule_sets(content: Content) -> None:
    rng = random.Random(7)
    questions = list(content.questionnaire.questions)
    template = next(rule for rule in content.ruleset.rules if rule.when is not None)
    rules = random_rules(content, rng, 600)
    rules.append(dataclasses.replace(template, id="no-condition", when=None))
    random_content = with_rules(content, rules)
    engine = Engine(random_content)
    ordered = sorted((rule for rule in rules if rule.when is not None), key=lambda r: r.level.rank)
    fired = 0
    for _ in range(400):
        # Any answers, even ones branching would hide, and sometimes none at all.
        answers = {q.id: random_value(q, rng) for q in questions if rng.random() < rng.choice([0.0, 0.5, 0.9, 1.0])}
        expected = [rule.id for rule in ordered if rule.when.predicate(answers)]  # type: ignore[union-attr]
        assert [rule.id for rule in engine.matching_rules(answers)] == expected, answers
        fired += len(expected)
    assert 0 < fired < 400 * len(ordered), "the samples should make some rules fire and others not"
