"""The pump page as a person sees it: asked when they have or may have a pump, signs grouped, worded for them."""

from __future__ import annotations

import re

import pytest

from tests.webflow import PUMP_EMERGENCY, at, complete, page_at

GROUPS = {"en": ["Muscles, itching and tingling", "Waking, breathing and thinking",
                 "Fever, headache, bladder and bowel", "The pump and the skin over it"],
          "es": ["Músculos, picazón y hormigueo", "Despertar, respirar y pensar",
                 "Fiebre, dolor de cabeza, orina y heces", "La bomba y la piel que la cubre"]}


def pump_page(client, has_pump: str, respondent: str = "self", language: str = "en") -> str:
    client.get(f"/?lang={language}")
    client.post("/start")
    after = client.post(at(client, "about"), data={"respondent": respondent, "has_pump": has_pump})
    assert after.status_code == 302 and page_at(client, after.location) == "pump", after.location
    page = client.get(after.location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("has_pump", ["yes", "not_sure"])
def test_a_person_who_has_or_may_have_a_pump_is_asked_the_warning_signs(client, has_pump):
    html = pump_page(client, has_pump)
    assert 'name="pump_medicine"' in html and 'name="pump_symptoms"' in html
    assert "in the past few days" in html
    assert 'value="self_harm_thoughts"' in html and 'value="skin_over_pump"' in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_signs_are_listed_under_subheadings_with_none_last_and_ungrouped(client, language):
    html = pump_page(client, "not_sure", language=language)
    symptoms = html[html.index('name="pump_symptoms"') - 2000:]
    headings = re.findall(r'<h2 class="choice-group">([^<]+)</h2>', symptoms)
    assert headings == GROUPS[language]
    first_group = symptoms.index(GROUPS[language][0])
    assert first_group < symptoms.index('value="more_stiffness"') < symptoms.index(GROUPS[language][1])
    assert symptoms.index(GROUPS[language][3]) < symptoms.index('value="skin_over_pump"') < symptoms.index(
        'value="none"')


def test_a_caregiver_unsure_about_a_pump_reads_questions_about_the_person(client):
    html = pump_page(client, "not_sure", respondent="caregiver")
    assert "has the person you care for had any of these?" in html
    assert "Answer even if you are not sure they have a pump." in html
    assert "Talking about hurting themselves or ending their life" in html


def test_a_person_with_no_pump_is_still_not_asked(client):
    client.post("/start")
    after = client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    assert page_at(client, after.location) == "health"


OVERDOSE = {**PUMP_EMERGENCY, "pump": {"pump_medicine": "baclofen", "pump_symptoms": ["very_sleepy"],
                                       "pump_recent_change": "no"}}


@pytest.mark.parametrize(("respondent", "present", "absent"), [
    ("self", "If you are alone, call now and unlock the door.", "Stay with them and watch their breathing"),
    ("caregiver", "Stay with them and watch their breathing until help comes.", "If you are alone"),
])
def test_the_overdose_card_speaks_to_the_person_or_to_the_caregiver(client, respondent, present, absent):
    complete(client, {**OVERDOSE, "about": {"respondent": respondent, "has_pump": "yes"}})
    results = client.get("/results").get_data(as_text=True)
    banner = results[results.index("emergency-banner"):results.index("<h1>")]
    assert "Signs of too much medicine from the pump" in banner
    assert present in banner and absent not in banner
