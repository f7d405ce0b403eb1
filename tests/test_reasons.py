"""The "because" of each piece of guidance: looked up in tables built from the content, it must say exactly
what working it out from the rule's condition and the answers says, in the content's own words."""

from __future__ import annotations

import random
from typing import Any

from questionnaire import Content
from questionnaire.answers import value_to_json, visible_answers
from questionnaire.i18n import localize
from questionnaire.model import AnswerValue, Rule
from questionnaire.reasons import Explainer
from tests.test_engine_plan import random_rules, random_value, with_rules


def long_way(content: Content, rule: Rule, answers: dict[str, AnswerValue]) -> list[tuple[str, Any, str, Any]]:
    """The reasons by definition: the answers of the atoms that made the condition true, merged per question
    (a multiple answer: the codes the atoms named), in questionnaire order, worded by the content."""
    assert rule.when is not None
    values: dict[str, AnswerValue] = {}
    for atom in rule.when.matched_atoms(answers):
        value = atom.matched_value(answers[atom.question_id])
        earlier = values.get(atom.question_id)
        values[atom.question_id] = value | earlier if isinstance(value, frozenset) and earlier is not None else value
    by_id = content.questionnaire.by_id
    return [(qid, values[qid], f"{by_id[qid].text} – {by_id[qid].describe_answer(values[qid])}",
             value_to_json(by_id[qid], values[qid]))
            for qid in by_id if qid in values]


def told(explainer: Explainer, rule: Rule, answers: dict[str, AnswerValue]) -> list[tuple[str, Any, str, Any]]:
    reasons = explainer.because(rule, answers)
    assert all(reason.json == {"question": reason.question, "answer": reason.answer, "text": reason.text}
               for reason in reasons)
    return [(reason.question, reason.value, reason.text, reason.answer) for reason in reasons]


def random_answers(content: Content, rng: random.Random) -> dict[str, AnswerValue]:
    answers = {q.id: random_value(q, rng) for q in content.questionnaire.questions if rng.random() < 0.85}
    return visible_answers(content.questionnaire, answers)


def test_reasons_of_the_shipped_rules_agree_with_their_conditions_in_english_and_spanish(content: Content) -> None:
    for words in (content, localize(content, "es")):
        explainer = Explainer(words)
        rng = random.Random(12)
        checked = 0
        for _ in range(1500):
            answers = random_answers(words, rng)
            for rule in words.ruleset.rules:
                if rule.when is not None and rule.when.predicate(answers):
                    assert told(explainer, rule, answers) == long_way(words, rule, answers), (rule.id, answers)
                    checked += 1
        assert checked > 10_000
        parts = [tabled for rule in explainer.tabled.values() for tabled in rule]
        # Most parts of the shipped rules are looked up, not worked out: what makes the API fast.
        assert sum(parts) > 0.8 * len(parts), "the tables should cover most parts"


def test_reasons_agree_with_conditions_on_random_rule_sets_tables_or_not(content: Content) -> None:
    rng = random.Random(31)
    rules = random_rules(content, rng, 400)
    random_content = with_rules(content, rules)
    explainer = Explainer(random_content)
    checked = 0
    for _ in range(600):
        answers = random_answers(random_content, rng)
        for rule in rules:
            if rule.when is not None and rule.when.predicate(answers):
                assert told(explainer, rule, answers) == long_way(random_content, rule, answers), (rule.when, answers)
                checked += 1
    assert checked > 5_000
    tabled = [part for rule in explainer.tabled.values() for part in rule]
    assert not all(tabled) and any(tabled), \
        "random rules should exercise both the tables and the long way"


def test_a_rule_without_a_condition_has_no_reasons(content: Content) -> None:
    assert content.ruleset.fallback is not None and content.ruleset.fallback.when is None
    assert Explainer(content).because(content.ruleset.fallback, {}) == ()


def test_a_rule_set_of_thousands_of_rules_stops_tabling_at_the_budget_and_says_the_same(content: Content,
                                                                                      monkeypatch: Any) -> None:
    """Tables are bounded per engine (memory): past the budget, parts are worked out, with the same reasons."""
    monkeypatch.setattr("questionnaire.reasons._ENTRIES_MAX", 300)
    explainer = Explainer(content)
    rng = random.Random(5)
    for _ in range(400):
        answers = random_answers(content, rng)
        for rule in content.ruleset.rules:
            if rule.when is not None and rule.when.predicate(answers):
                assert told(explainer, rule, answers) == long_way(content, rule, answers), (rule.id, answers)
    tabled = [part for rule in explainer.tabled.values() for part in rule]
    assert any(tabled) and tabled.count(False) > 40, "the budget should leave many parts without a table"
    assert explainer._entries <= 300
