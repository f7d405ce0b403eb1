"""The engine's compiled rule plan (shared guards) fires exactly the rules their conditions say."""

from __future__ import annotations

import random

from questionnaire import Content, Engine
from questionnaire.answers import visible_answers
from questionnaire.model import NONE_CODE, AnswerValue, Question, QuestionType


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
    ordered = sorted((rule for rule in content.ruleset.rules if rule.when is not None), key=lambda r: r.level.rank)
    fired_somewhere: set[str] = set()
    for _ in range(2000):
        questions = content.questionnaire.questions
        answers = {q.id: random_value(q, rng) for q in questions if rng.random() < 0.9}  # some left unanswered
        shown = visible_answers(content.questionnaire, answers)
        expected = [rule.id for rule in ordered if rule.when.predicate(shown)]  # type: ignore[union-attr]
        assert [rule.id for rule in engine.matching_rules(shown)] == expected, shown
        fired_somewhere.update(expected)
    assert len(fired_somewhere) > len(ordered) // 2, "the samples should exercise most rules"
