"""An option with its own show_if: not offered, not kept, and not counted when it is hidden.

Issue 13: "pregnant" was offered for a child under 4. An option's show_if reads earlier pages,
like a question's; the web form leaves the option out, every answer path drops the code, and
the solver (invariants, "never fires", impact counts) never chooses it.
"""

from __future__ import annotations

import pytest

from questionnaire import load_content
from questionnaire.analysis import solver
from questionnaire.answers import parse_answers, visible_answers
from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.errors import ContentErrors
from questionnaire.flow import Flow
from tests.test_lint import _every_answer_set
from tests.webflow import at

LAST_LINE = "        labels: {0: None, 10: Worst}\n"
THIRD_PAGE = LAST_LINE + """  - id: third
    title: Third
    questions:
      - id: factors
        type: multiple
        text: Any of these now?
        options:
          - {code: infection, label: An infection}
          - {code: pregnant, label: Pregnant, show_if: {question: has_pump, equals: "no"}}
          - {code: none, label: None of these}
      - id: later
        type: single
        text: Which one?
        options:
          - {code: a, label: A}
          - {code: b, label: B, show_if: {not: {question: severity, at_least: 5}}}
          - {code: c, label: C}
"""


@pytest.fixture
def branching(content_dir):
    return load_content(content_dir({"questions.yaml": (LAST_LINE, THIRD_PAGE)}))


def test_a_hidden_option_is_not_offered_on_its_page(branching):
    questionnaire = branching.questionnaire
    third = questionnaire.page("third")
    with_pump = {q.id: q.codes for q in Flow(questionnaire, {"has_pump": "yes", "severity": 7}).shown_questions(third)}
    without = {q.id: q.codes for q in Flow(questionnaire, {"has_pump": "no", "severity": 2}).shown_questions(third)}
    assert with_pump == {"factors": ("infection", "none"), "later": ("a", "c")}
    assert without == {"factors": ("infection", "pregnant", "none"), "later": ("a", "b", "c")}


def test_a_hidden_code_is_dropped_from_any_answer_and_an_empty_answer_with_it(branching):
    questionnaire = branching.questionnaire
    sent = parse_answers(questionnaire, {"has_pump": "yes", "severity": 7, "factors": ["pregnant", "infection"],
                                         "later": "b"})
    assert visible_answers(questionnaire, sent) == {"has_pump": "yes", "severity": 7,
                                                    "factors": frozenset({"infection"})}
    only_hidden = parse_answers(questionnaire, {"has_pump": "yes", "factors": ["pregnant"]})
    assert visible_answers(questionnaire, only_hidden) == {"has_pump": "yes"}
    shown = parse_answers(questionnaire, {"has_pump": "no", "factors": ["pregnant"], "later": "b"})
    assert visible_answers(questionnaire, shown) == shown


@pytest.mark.parametrize("condition", [
    {"question": "factors", "includes_any": ["pregnant"]},
    {"all": [{"question": "has_pump", "equals": "yes"}, {"question": "factors", "includes_any": ["pregnant"]}]},
    {"question": "later", "equals": "b"},
    {"question": "later", "one_of": ["b", "c"]},
    {"not": {"question": "factors", "includes_any": ["infection"]}},
    {"any": [{"question": "factors", "includes_all": ["infection", "pregnant"]}, {"question": "later", "equals": "a"}]},
])
def test_the_solver_counts_and_finds_only_answer_sets_a_person_can_give(branching, condition):
    questionnaire = branching.questionnaire
    parsed = parse_condition(condition, ConditionContext("test", "test", questionnaire.by_id, []), 1)
    assert parsed is not None
    every = _every_answer_set(questionnaire)
    assert solver.count(questionnaire, parsed) == sum(parsed.predicate(answers) for answers in every)
    found = solver.satisfy(questionnaire, parsed)
    if found is None:
        assert not any(parsed.predicate(answers) for answers in every)
    else:
        answers = visible_answers(questionnaire, parse_answers(questionnaire, found))
        assert answers == parse_answers(questionnaire, found) and parsed.predicate(answers)


def test_pregnancy_with_a_pump_is_impossible_here_and_the_solver_says_so(branching):
    questionnaire = branching.questionnaire
    condition = parse_condition(
        {"all": [{"question": "has_pump", "equals": "yes"}, {"question": "factors", "includes_any": ["pregnant"]}]},
        ConditionContext("test", "test", questionnaire.by_id, []), 1)
    assert condition is not None and solver.satisfy(questionnaire, condition) is None


@pytest.mark.parametrize(("show_if", "message"), [
    ('{question: factors, answered: true}', "show_if reads 'factors', which is on the same page"),
    ('{question: latest, equals: "yes"}', "unknown question id 'latest'. Did you mean 'later'?"),
])
def test_an_option_show_if_follows_the_question_rules_and_names_the_line(content_dir, show_if, message):
    text = THIRD_PAGE.replace('show_if: {not: {question: severity, at_least: 5}}', f"show_if: {show_if}")
    with pytest.raises(ContentErrors) as raised:
        load_content(content_dir({"questions.yaml": (LAST_LINE, text)}))
    assert "questions.yaml:" in str(raised.value) and "[later]" in str(raised.value)
    assert message.lower() in str(raised.value).lower()


# The shipped content: "pregnant" is not offered for a child under 4.

def _safety_page(client, age_group):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "caregiver", "has_pump": "no"})
    client.post(at(client, "health"), data={"age_group": age_group, "conditions": ["cerebral_palsy"]})
    return client.get(at(client, "safety"))


def test_a_toddlers_caregiver_is_not_asked_about_pregnancy(client):
    page = _safety_page(client, "under_4").get_data(as_text=True)
    assert 'value="pregnant"' not in page and 'value="infection_now"' in page


def test_a_teenagers_caregiver_still_is(client):
    assert 'value="pregnant"' in _safety_page(client, "age_4_17").get_data(as_text=True)


def test_a_tampered_form_cannot_add_pregnancy_for_a_toddler(client):
    _safety_page(client, "under_4")
    response = client.post(at(client, "safety"), data={"health_factors": ["pregnant"], "refill_visits": "yes"})
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_the_api_drops_pregnancy_for_a_toddler(client):
    body = {"answers": {"has_pump": "no", "age_group": "under_4", "health_factors": ["pregnant", "infection_now"]}}
    result = client.post("/api/v1/evaluate", json=body).get_json()
    assert result["answers"]["health_factors"] == ["infection_now"]
    assert "safety-pregnancy" not in [item["rule"] for item in result["guidance"]]
    assert "safety-infection-now" in [item["rule"] for item in result["guidance"]]


def test_the_fhir_questionnaire_toggles_pregnancy_off_for_a_toddler(content, engine):
    from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire

    from questionnaire.fhir import build_questionnaire, build_response
    from questionnaire.fhir.definition import OPTIONS_TOGGLE
    from tests.fhirpath import fhirpath_r4

    resource = build_questionnaire(content)
    FhirQuestionnaire.model_validate(resource)

    def find(items):
        for item in items:
            if item["linkId"] == "health_factors":
                return item
            found = find(item.get("item", []))
            if found:
                return found
        return None

    [toggle] = [e for e in find(resource["item"])["extension"] if e["url"] == OPTIONS_TOGGLE]
    parts = {e["url"]: e for e in toggle["extension"]}
    assert parts["option"]["valueCoding"]["code"] == "pregnant"
    expression = parts["expression"]["valueExpression"]["expression"]

    def offered(age_group):
        response = build_response(engine.evaluate({"age_group": age_group}, "911"))
        return fhirpath_r4(response, expression, {"resource": response})

    assert offered("under_4") == [False]
    assert offered("age_4_17") == [True] and offered("age_18_64") == [True]
