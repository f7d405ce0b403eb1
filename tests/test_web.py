"""The guided web flow through Flask's test client: branching, errors, check answers, results."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine

from app import create_app
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, at, complete, csrf_token, page_at, view_at


def text(response) -> str:
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_start_page_puts_emergency_advice_first_and_says_what_this_is_not(client):
    html = main_of(text(client.get("/")))
    # The number is a link a phone can call with one tap, before anything else on the page.
    assert html.index('call <a href="tel:911">911</a> or your local emergency number') < html.index("<h1")
    assert "It is not a diagnosis" in html
    assert "does not decide if a treatment is right for you" in html


def test_a_person_without_a_pump_skips_the_warning_sign_questions(client):
    shown: list[str] = []
    visited = complete(client, NO_PUMP_MS, shown=shown)
    assert "pump" not in shown and "brain-injury" not in shown
    assert shown == list(NO_PUMP_MS) and visited[-1] == "/check"


def test_pages_say_where_the_person_is(client):
    client.post("/start")
    html = text(client.get(at(client, "about")))
    assert "<title>Step 1 of about 12: About you" in html
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    # 11, not 10: page pump-care also reads conditions (sci_level), so it still counts as possible
    # until "Your health" is answered, although has_pump "no" will hide it (an "about" total).
    assert "Step 2 of about 11" in text(client.get(at(client, "health")))


def test_back_goes_to_the_previous_shown_page_by_a_post_that_names_no_page(client):
    client.post("/start")
    health = client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"}).location
    html = text(client.get(health))
    assert 'name="nav" value="back"' in html
    links = re.findall(r'href="(/questions[^"]*)"', html)
    assert all(re.fullmatch(r"/questions\?v=\d+(&amp;lang=es)?", url) for url in links), links
    back = client.post(health, data={"nav": "back"})
    assert back.status_code == 302 and back.location.startswith("/questions?v=")
    assert page_at(client, back.location) == "about"  # the pump page (hidden for "no") is skipped
    assert 'value="no" checked' in text(client.get(back.location))
    first = text(client.get(back.location))
    assert 'class="back-link" href="/"' in first  # from the first page, Back is the start page


def test_results_show_emergency_banner_before_anything_else(client):
    complete(client, PUMP_EMERGENCY)
    html = main_of(text(client.get("/results")))
    banner = html.index('class="emergency-banner"')
    assert banner < html.index("<h1")
    assert "Call 911 now" in re.sub(r"<[^>]+>", "", html[banner:html.index("<h1")])  # 911: a tel: link
    levels = [m for m in re.findall(r'class="guidance guidance-(\w+)"', html)]
    order = ["emergency", "urgent", "discuss", "info"]
    assert levels and levels == sorted(levels, key=order.index)


def test_results_explain_why_and_list_answers_and_version(client, content):
    complete(client, NO_PUMP_MS)
    response = client.get("/results")
    html = text(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Why you're seeing this" in html
    assert content.ruleset.disclaimer in html
    assert "What to bring to their appointment" in html  # NO_PUMP_MS is answered by a caregiver
    assert "Multiple sclerosis (MS)" in html  # the person's own answer, in words
    assert content.ruleset.version in html and content.ruleset.short_hash in html
    assert "data-print" in html and "emergency-banner" not in html
    assert "Bring these up at their next appointment" in html


def test_check_answers_has_a_change_link_for_each_answer_and_change_returns_there(client):
    complete(client, NO_PUMP_MS)
    html = text(client.get("/check"))
    assert html.count(">Change<") == sum(len(p) for p in NO_PUMP_MS.values())
    # one Change per answer on the page (symptoms and ms_flare), each a POST: no URL names the page
    assert html.count('name="change" value="symptoms"') == len(NO_PUMP_MS["symptoms"]) and "/questions?" not in html
    opened = client.post("/questions", data={"change": "symptoms"})
    assert view_at(client, opened.location) == ("symptoms", True)
    assert 'class="back-link" href="/check"' in text(client.get(opened.location))
    response = client.post(opened.location, data={"symptoms": ["pain"], "ms_flare": "no"})
    # Changing symptoms hides the stiffness page; impact is still shown and already answered.
    assert response.location == "/check"
    html = text(client.get("/check"))
    assert "how bad was your stiffness" not in html


def test_changing_to_no_pump_drops_pump_answers(client):
    complete(client, PUMP_EMERGENCY)
    assert "emergency-banner" in text(client.get("/results"))
    client.post(at(client, "about", change=True), data={"respondent": "self", "has_pump": "no"})
    html = text(client.get("/results"))
    assert "emergency-banner" not in html
    assert "Itching all over" not in html


def test_change_that_reveals_a_new_question_asks_it_before_check(client):
    complete(client, NO_PUMP_MS)
    response = client.post(at(client, "health", change=True),
                           data={"age_group": "age_18_64", "conditions": ["ms", "brain_injury"]})
    assert view_at(client, response.location) == ("brain-injury", True)


def test_invalid_input_reshows_the_page_with_an_error_summary(client):
    client.post("/start")
    response = client.post(at(client, "about"), data={"respondent": "robot"})
    html = text(response)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert '<a href="#respondent-0">' in html and '<a href="#has_pump-0">' in html
    assert "<title>Error: Step 1 of" in html
    assert 'aria-describedby="has_pump-help has_pump-error"' in html


def test_tampered_and_out_of_range_values_are_refused_not_crashing(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    client.post(at(client, "health"), data={"age_group": "age_18_64", "conditions": ["ms"]})
    client.post(at(client, "symptoms"), data={"symptoms": ["stiffness"], "ms_flare": "no"})
    for bad in ({"spasm_frequency": "9", "stiffness_severity": "5", "stiffness_helps": "no"},
                {"spasm_frequency": "abc", "stiffness_severity": "-1", "stiffness_helps": "no"},
                {"spasm_frequency": "1", "stiffness_severity": "5", "stiffness_helps": "<script>"}):
        response = client.post(at(client, "stiffness"), data=bad)
        assert response.status_code == 400
        assert "Choose from the answers shown on this page." in text(response)
        assert "<script>" not in text(response)


def test_none_cannot_be_combined_and_nothing_chosen_is_an_error(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    html = text(client.post(at(client, "health"), data={"age_group": "age_4_17", "conditions": ["none", "ms"]}))
    assert "cannot be chosen with other answers" in html
    html = text(client.post(at(client, "health"), data={"age_group": "age_4_17"}))
    assert "Choose at least one answer, or choose “None of these”." in html


def test_answers_to_questions_not_on_the_page_are_ignored(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no",
                                          "pump_symptoms": ["fever"], "stiffness_severity": "10"})
    with client.session_transaction() as session:
        assert session["answers"] == {"respondent": "self", "has_pump": "no"}


def test_a_hidden_page_cannot_be_answered_directly(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    response = client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["fever"]})
    assert response.status_code == 302 and page_at(client, response.location) == "health"
    with client.session_transaction() as session:
        assert "pump_symptoms" not in session["answers"]


def test_results_before_finishing_go_to_the_first_unanswered_page(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    assert page_at(client, client.get("/results").location) == "health"


def test_no_answer_ever_appears_in_a_url(client):
    visited = complete(client, NO_PUMP_MS)
    codes = {v for page in NO_PUMP_MS.values() for value in page.values()
             for v in (value if isinstance(value, list) else [value])}
    for url in visited:
        assert "?" not in url or re.fullmatch(r"/questions\?v=\d+", url), url
        assert not any(code in url for code in codes if not code.isdigit())


def test_start_over_clears_everything(client):
    complete(client, NO_PUMP_MS)
    asked = client.post("/start-over")  # a page asks first (no JavaScript needed) ...
    assert asked.status_code == 200 and "Clear your answers and start again?" in text(asked)
    assert "Multiple sclerosis" in text(client.get("/results"))  # ... and clears nothing by itself
    response = client.post("/start-over", data={"confirm": "yes"})
    assert response.location == "/?cleared=1"
    assert "Your answers have been cleared" in text(client.get("/?cleared=1"))
    html = text(client.get("/results"))
    assert "Your answers were cleared" in html
    assert "Multiple sclerosis" not in html


def test_session_expires_after_idle_time():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                      "PERMANENT_SESSION_LIFETIME": timedelta(seconds=1)})
    client = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:  # the clock moves on, no one waits
        complete(client, NO_PUMP_MS)
        assert "Multiple sclerosis" in text(client.get("/results"))
        clock.shift(timedelta(seconds=2.1))
        html = text(client.get("/results"))
    assert "Your answers were cleared" in html and "Multiple sclerosis" not in html


def test_the_whole_flow_works_with_csrf_protection_on():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    complete(client, NO_PUMP_MS, csrf=True)
    assert "Bring these up at their next appointment" in text(client.get("/results"))


def test_a_form_without_its_csrf_token_is_reshown_not_crashing():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    token = csrf_token(text(client.get("/")))
    client.post("/start", data={"csrf_token": token})
    response = client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"})
    assert response.status_code == 400
    assert "This page was open too long" in text(response)
    assert "500" not in str(response.status_code)


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/questions/nowhere")
    assert response.status_code == 404
    assert "Page not found" in text(response) and "Go to the start" in text(response)
    assert client.get("/no/such/page").status_code == 404


def test_wrong_method_and_oversized_form_get_friendly_pages(client):
    assert client.get("/start-over").status_code == 405
    response = client.post(at(client, "about"), data={"respondent": "x" * 70_000})
    assert response.status_code == 413
    assert "too much to send" in text(response)


def test_pages_load_nothing_from_elsewhere(client):
    complete(client, PUMP_EMERGENCY)
    for url in ("/", "/questions/about", "/check", "/results"):
        html = text(client.get(url))
        sources = re.findall(r'(?:src|href)="([^"#]+)"', html)
        assert sources and all(s.startswith(("/", "tel:")) for s in sources), (url, sources)  # tel: dials, loads nothing


def test_start_over_without_its_token_does_not_wipe_answers():
    # Inside a clinic's frame the cookie is sent cross-site, so another site could post here.
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    complete(client, NO_PUMP_MS, csrf=True)
    response = client.post("/start-over")
    assert response.status_code == 400
    assert "Multiple sclerosis" in text(client.get("/results"))
    token = csrf_token(text(client.get("/results")))
    assert client.post("/start-over", data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    assert "Your answers were cleared" in text(client.get("/results"))
