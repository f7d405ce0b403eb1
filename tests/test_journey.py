"""Journey fixes found by new users (issue 15 item 5), each as a person or a clinic would notice it."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from app import create_app
from questionnaire.errors import ContentErrors
from questionnaire.loader import load_content
from tests.webflow import NO_PUMP_MS, complete, page_at, page_shown

CONTENT = Path(__file__).resolve().parents[1] / "questionnaire" / "content"


def text(response) -> str:
    return response.get_data(as_text=True)


def step_of(html: str) -> tuple[int, int, bool]:
    match = re.search(r'<p class="step">Step (\d+) of (about )?(\d+)</p>', html)
    assert match, html[:3000]
    return int(match.group(1)), int(match.group(3)), bool(match.group(2))


def test_after_the_session_expires_the_person_is_told_plainly_and_offered_both_ways_back():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PERMANENT_SESSION_LIFETIME": timedelta(seconds=1)})
    client = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:  # the clock moves on, no one waits
        location = client.post("/start").location
        health = client.post(location, data={"respondent": "self", "has_pump": "no"}).location
        clock.shift(timedelta(seconds=2.1))
        responses = [client.get(health), client.post(health, data={"age_group": "age_18_64", "conditions": ["ms"]}),
                     client.get("/check"), client.get("/results")]
    for response in responses:
        html = text(response)
        assert response.status_code == 200 and response.location is None  # never a silent jump to another step
        assert "Your answers were cleared after 30 minutes without use" in html and "data-page" not in html
        assert 'action="/start"' in html and 'action="/resume"' in html  # start again, or load the saved file


def test_with_answers_in_progress_the_main_button_continues_and_starting_again_asks_first(client):
    start = text(client.get("/"))
    assert re.search(r'<button type="submit" class="button button-start">Start</button>', start)
    complete(client, NO_PUMP_MS)
    start = text(client.get("/"))
    main = re.search(r'class="button button-start"[^>]*>([^<]+)<', start)
    assert main and main.group(1) == "Continue where you left off"
    assert 'class="button button-start" href="/check"' in start
    asked = client.post("/start")  # "Start again": a page asks first, and clears nothing by itself
    assert asked.status_code == 200 and "Clear your answers and start again?" in text(asked)
    assert 'name="confirm" value="yes"' in text(asked) and 'href="/check">No, keep my answers' in text(asked)
    assert "Multiple sclerosis" in text(client.get("/check"))
    again = client.post("/start", data={"confirm": "yes"})
    assert page_at(client, again.location) == "about" and " checked" not in text(client.get(again.location))
    over = client.post("/start-over")  # nothing in progress now but the empty start: no question asked
    assert over.status_code == 302


def test_the_step_count_never_goes_back_and_only_shrinks_when_an_answer_rules_pages_out(client):
    """has_pump yes, then Back and no: the count stays steady, and is exact once nothing is undecided."""
    about = client.post("/start").location
    first = step_of(text(client.get(about)))
    pump = client.post(about, data={"respondent": "self", "has_pump": "yes"}).location
    second = step_of(text(client.get(pump)))
    assert page_at(client, pump) == "pump" and first[0] == 1 and second[0] == 2 and second[1] <= first[1]
    back = client.post(pump, data={"nav": "back"}).location
    assert step_of(text(client.get(back)))[:2] == first[:2]  # the same page, the same count
    location = client.post(back, data={"respondent": "self", "has_pump": "no"}).location
    seen = [step_of(text(client.get(location)))]
    answers = {k: v for k, v in NO_PUMP_MS.items() if k != "about"}
    answers["about"] = {"respondent": "self", "has_pump": "no"}
    while True:
        html = text(client.get(location))
        location = client.post(location, data=answers[str(page_shown(html))]).location
        if location == "/check":
            break
        seen.append(step_of(text(client.get(location))))
    steps = [step for step, _, _ in seen]
    totals = [total for _, total, _ in seen]
    assert steps == list(range(2, 2 + len(seen)))  # one more on every page: never back, never a jump
    assert totals == sorted(totals, reverse=True) and totals[0] == second[1] - 1  # "no" rules out the pump page
    assert seen[-1] == (len(NO_PUMP_MS), len(NO_PUMP_MS), False)  # the last page: "Step 9 of 9", no "about"


def _content_with_uk_welcome(tmp_path, welcome: str):
    """A copy of the shipped content whose UK example clinic has this `welcome:` block instead of its own."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    path = root / "clinics" / "example-uk.yaml"
    source = path.read_text(encoding="utf-8")
    found = re.search(r"^welcome: >-\n(?:  .*\n)+", source, re.M)
    assert found
    path.write_text(source.replace(found.group(0), welcome), encoding="utf-8")
    return root


def test_a_clinic_can_welcome_people_in_each_language(tmp_path):
    root = _content_with_uk_welcome(tmp_path, "welcome:\n  en: Welcome to Northgate.\n  es: Bienvenido a Northgate.\n")
    client = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(root)}).test_client()
    assert "Welcome to Northgate." in text(client.get("/c/example-uk?lang=en"))
    spanish = text(client.get("/c/example-uk?lang=es"))
    assert "Bienvenido a Northgate." in spanish and "Welcome to Northgate." not in spanish
    assert load_content(root).clinics["example-us"].welcome_in("es") == load_content(root).clinics["example-us"].welcome


def test_a_welcome_in_a_language_the_app_does_not_serve_is_refused(tmp_path):
    root = _content_with_uk_welcome(tmp_path, "welcome:\n  en: Welcome.\n  fr: Bienvenue.\n")
    with pytest.raises(ContentErrors) as caught:
        load_content(root)
    assert "example-uk.yaml" in str(caught.value) and "welcome: language 'fr'" in str(caught.value), str(caught.value)


def test_dates_on_the_results_follow_the_clinics_country(client):
    today = date.today()
    complete(client, NO_PUMP_MS, start_at="/c/example-uk")
    uk = text(client.get("/results"))
    assert f", {today.day} {today.strftime('%B')} {today.year}" in uk  # GB: day month year (after the rule set)
    general = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    complete(general, NO_PUMP_MS, start_at="/c/example-us")
    assert f", {today.strftime('%B')} {today.day}, {today.year}" in text(general.get("/results"))


def test_the_answers_file_is_offered_as_a_saved_file_with_a_line_on_what_it_is(client):
    complete(client, NO_PUMP_MS)
    html = text(client.get("/results"))
    assert "Save my answers (file)" in html and "Download my answers (FHIR)" not in html
    assert "The file holds your answers only, not your name." in html
    spanish = text(client.get("/results?lang=es"))
    assert "Guardar mis respuestas (archivo)" in spanish and "Save my answers" not in spanish
