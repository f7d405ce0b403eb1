"""The engine: answers in, ordered guidance out, with reasons; on fixture and shipped rules."""

from __future__ import annotations

import random

import pytest

from questionnaire import Engine, Level, load_content
from questionnaire.answers import parse_answers
from questionnaire.model import QuestionType
from questionnaire.perspective import for_caregiver
from tests.conftest import FIXTURES

MINIMAL = Engine(load_content(FIXTURES / "minimal"))


def test_emergency_comes_first_and_carries_the_local_number():
    result = MINIMAL.evaluate({"severity": 8, "has_pump": "yes", "pump_symptoms": frozenset({"fever"})},
                              emergency_number="112")
    assert result.fired() == ["itch-and-fever", "severe"]
    assert result.guidance[0].text == "Call 112 now."
    assert result.highest_level is Level.EMERGENCY


def test_the_engine_has_no_emergency_number_of_its_own():
    """The number comes from the content (clinic or emergency_numbers.yaml): forgetting it is an error, not 911."""
    with pytest.raises(TypeError):
        MINIMAL.evaluate({"has_pump": "yes", "pump_symptoms": frozenset({"fever", "itching"})})  # type: ignore[call-arg]
    worded = MINIMAL.evaluate({"has_pump": "yes", "pump_symptoms": frozenset({"fever", "itching"})}, "999")
    assert worded.guidance[0].text == "Call 999 now."


def test_fallback_shows_only_when_nothing_else_applies():
    assert MINIMAL.evaluate({}, "911").fired() == ["talk"]
    assert "talk" not in MINIMAL.evaluate({"severity": 9}, "911").fired()


def test_reasons_name_the_answers_that_made_a_rule_apply():
    result = MINIMAL.evaluate({"has_pump": "yes", "pump_symptoms": frozenset({"fever", "itching"}), "severity": 1}, "911")
    reasons = {b.question: b for b in result.guidance[0].because}
    assert set(reasons) == {"has_pump", "pump_symptoms"}
    assert reasons["pump_symptoms"].answer_text == "Itching, Fever"


def test_hidden_answers_never_fire_rules():
    assert MINIMAL.evaluate({"has_pump": "no", "pump_symptoms": frozenset({"fever"})}, "911").fired() == ["talk"]


# Behaviour of the shipped rules a clinician would check, by level and topic (ids may be renamed).
def topics(engine, answers):
    parsed = parse_answers(engine.content.questionnaire, answers)
    return {(g.level.value, g.rule.topic.value) for g in engine.evaluate(parsed, "911").guidance}


@pytest.mark.parametrize("symptom", ["more_stiffness", "itching", "fever", "confusion", "very_sleepy",
                                     "slow_breathing", "seizure"])
def test_each_withdrawal_or_overdose_sign_in_a_baclofen_pump_user_is_an_emergency(engine, symptom):
    found = topics(engine, {"has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": [symptom]})
    assert ("emergency", "emergency-signs") in found


@pytest.mark.parametrize("symptom", ["dizziness", "new_numbness_weakness", "pump_alarm", "wound_problem",
                                     "headache_upright", "missed_refill"])
def test_every_other_warning_sign_is_at_least_urgent(engine, symptom):
    for medicine in ("baclofen", "pain_medicine", "not_sure"):
        found = topics(engine, {"has_pump": "yes", "pump_medicine": medicine, "pump_symptoms": [symptom]})
        assert {level for level, _ in found} & {"emergency", "urgent"}, (symptom, medicine)


def test_mild_stiffness_without_impact_does_not_raise_a_pump(engine):
    found = topics(engine, {"has_pump": "no", "conditions": ["ms"], "symptoms": ["stiffness"],
                            "spasm_frequency": 1, "stiffness_severity": 3, "daily_impact": ["none"],
                            "oral_medicines": ["none"], "stiffness_helps": "no"})
    assert not any(topic == "itb-evaluation" for _, topic in found)


def test_impact_on_daily_life_raises_an_evaluation_conversation(engine):
    found = topics(engine, {"has_pump": "no", "conditions": ["cerebral_palsy"], "symptoms": ["stiffness"],
                            "spasm_frequency": 2, "stiffness_severity": 5, "daily_impact": ["positioning", "caregiving"]})
    assert ("discuss", "itb-evaluation") in found


@pytest.mark.parametrize(("answers", "expected"), [
    ({"age_group": "under_4", "conditions": ["cerebral_palsy"]}, ("discuss", "procedure-safety")),
    ({"conditions": ["brain_injury"], "brain_injury_when": "under_1_year"}, ("discuss", "procedure-safety")),
    ({"health_factors": ["blood_thinners"]}, ("discuss", "procedure-safety")),
    ({"health_factors": ["baclofen_allergy"]}, ("discuss", "procedure-safety")),
    ({"symptoms": ["stiffness"], "stiffness_helps": "yes"}, ("discuss", "goals-and-function")),
    ({"oral_medicines": ["tizanidine"], "side_effects": ["drowsiness"]}, ("discuss", "medication-review")),
    ({"age_group": "age_18_64", "conditions": ["long_term_pain"], "symptoms": ["pain"], "daily_impact": ["sleep"],
      "oral_medicines": ["gabapentin"], "oral_medicines_effect": "does_not_help"}, ("discuss", "pain-therapy")),
    ({"age_group": "age_4_17", "conditions": ["long_term_pain"], "symptoms": ["pain"]}, ("discuss", "pain-therapy")),
])
def test_safety_and_discussion_topics(engine, answers, expected):
    assert expected in topics(engine, answers)


def test_every_level_and_topic_is_used_by_the_shipped_rules(content):
    rules = content.ruleset.all_rules
    assert {r.level for r in rules} == set(Level)
    assert len({r.topic for r in rules}) == 10
    assert all(r.references for r in rules if r.level in (Level.EMERGENCY, Level.URGENT))


def test_every_warning_sign_and_condition_is_read_by_a_rule(content):
    read = {(atom.question_id, code) for rule in content.ruleset.rules for atom in rule.when.atoms()
            for code in getattr(atom, "values", ())}
    for qid in ("pump_symptoms", "conditions"):
        for code in content.questionnaire.by_id[qid].codes:
            if code != "none":
                assert (qid, code) in read, f"no rule reads {qid}={code}"


def _random_partial_answers(questionnaire, rng: random.Random) -> dict:
    """Answers to the first few pages only, as a person half way through the flow has given."""
    answers: dict = {}
    for page in questionnaire.pages[:rng.randint(1, len(questionnaire.pages))]:
        for question in page.questions:
            if question.type is QuestionType.SCALE:
                answers[question.id] = rng.choice(question.values)
            elif question.type is QuestionType.SINGLE:
                answers[question.id] = rng.choice(question.codes)
            else:
                answers[question.id] = frozenset(rng.sample(question.codes, rng.randint(1, 3)))
    return answers


def test_the_per_page_check_gives_exactly_the_interrupt_level_guidance_of_a_full_evaluation(content):
    rng = random.Random(11)
    for perspective in (content, for_caregiver(content)):
        engine = Engine(perspective)
        levels = perspective.ruleset.interrupt
        seen_levels = set()
        for _ in range(400):
            answers = _random_partial_answers(perspective.questionnaire, rng)
            expected = [g for g in engine.evaluate(answers, emergency_number="999").guidance if g.level in levels]
            got = engine.interrupting(answers, emergency_number="999")
            assert list(got.guidance) == expected, answers
            assert engine.interrupting_rules(answers) == [g.rule for g in expected]
            seen_levels.update(g.level for g in got.guidance)
        assert seen_levels == set(levels)  # the samples reached both levels


def test_the_per_page_check_is_empty_without_signs_or_without_interrupt_levels(engine, content):
    assert engine.interrupting({"respondent": "self", "has_pump": "no"}, "911").guidance == ()
    assert engine.interrupting_rules({"respondent": "self", "has_pump": "no"}) == []
    assert MINIMAL.interrupting({"has_pump": "yes", "pump_symptoms": frozenset({"fever"})}, "911").guidance == ()
    fever = {"has_pump": "yes", "pump_symptoms": frozenset({"fever"})}
    assert MINIMAL.evaluate(fever, "911").highest_level is Level.EMERGENCY


def test_order_puts_a_rule_first_within_its_level_whatever_the_file_order(content_dir):
    """Content, not file order, decides which card of a level comes first; levels still come first."""
    caution = ("  - id: talk\n", "  - id: caution\n    level: discuss\n    topic: procedure-safety\n"
               "    title: Caution\n    guidance: Tell the team first.\n    order: 1\n"
               "    when: {question: severity, at_least: 5}\n    rationale: Firm caution.\n    references: []\n"
               "    owner: Test\n    reviewed_by: Test\n    reviewed_on: \"2026-11-24\"\n  - id: talk\n")
    target = content_dir({"rules/rules.yaml": caution})
    answers = {"severity": 8, "has_pump": "yes", "pump_symptoms": frozenset({"fever"})}
    assert Engine(load_content(target)).evaluate(answers, "911").fired() == ["itch-and-fever", "caution", "severe"]
    rules = target / "rules" / "rules.yaml"
    rules.write_text(rules.read_text().replace("    order: 1\n", ""))
    assert Engine(load_content(target)).evaluate(answers, "911").fired() == ["itch-and-fever", "severe", "caution"]
