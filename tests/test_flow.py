"""Navigation without Flask: which pages are shown, step counts, the first unanswered page."""

from __future__ import annotations

from questionnaire.flow import Flow


def test_step_count_shrinks_when_branching_is_decided(content):
    questionnaire = content.questionnaire
    about = questionnaire.page("about")
    assert Flow(questionnaire, {}).progress(about).total == len(questionnaire.pages)
    decided = Flow(questionnaire, {"has_pump": "no", "conditions": frozenset({"ms"}),
                                   "symptoms": frozenset({"none"}), "oral_medicines": frozenset({"none"})})
    shown = [p.id for p in decided.shown_pages()]
    assert "pump" not in shown and "brain-injury" not in shown and "stiffness" not in shown
    assert decided.progress(about).total == len(shown)


def test_next_and_previous_skip_hidden_pages(content):
    questionnaire = content.questionnaire
    flow = Flow(questionnaire, {"has_pump": "no"})
    assert flow.next_page(questionnaire.page("about")).id == "health"
    assert flow.previous_page(questionnaire.page("health")).id == "about"
    assert Flow(questionnaire, {"has_pump": "yes"}).next_page(questionnaire.page("about")).id == "pump"


def test_hidden_answers_are_dropped_through_chains(content):
    flow = Flow(content.questionnaire, {"has_pump": "no", "pump_medicine": "baclofen",
                                        "pump_symptoms": frozenset({"fever"})})
    assert flow.answers == {"has_pump": "no"}
    assert flow.first_unanswered().id == "about"
