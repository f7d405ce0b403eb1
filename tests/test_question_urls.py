"""No URL reveals an answer (issue 16 item 1): every question page is served from /questions.

Different people, walked through the real app with CSRF on (Back, Change, advice and all), request
the same set of paths, and no query string or Location header names a page, a question or an answer.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from questionnaire.flow import Flow
from questionnaire.model import NONE_CODE, Question, QuestionType
from tests.webflow import ADVICE_VIEW, csrf_token, page_at, page_shown

# (answers by question id; a question not listed gets a plain answer), where the person starts.
PEOPLE: dict[str, tuple[dict[str, Any], str]] = {
    "no pump": ({"respondent": "self", "has_pump": "no", "conditions": ["ms"], "symptoms": ["stiffness"]}, "/"),
    "pump with warning signs": ({"respondent": "self", "has_pump": "yes", "pump_medicine": "baclofen",
                                 "pump_symptoms": ["itching", "fever"], "conditions": ["spinal_cord_injury"],
                                 "symptoms": ["stiffness", "spasms"], "oral_medicines": ["baclofen"]}, "/"),
    "not sure about a pump": ({"respondent": "self", "has_pump": "not_sure", "pump_medicine": "not_sure",
                               "pump_symptoms": ["none"], "conditions": ["brain_injury"], "symptoms": ["spasms"]}, "/"),
    "caregiver of a child with CP": ({"respondent": "caregiver", "has_pump": "no", "age_group": "age_4_17",
                                      "conditions": ["cerebral_palsy"], "symptoms": ["stiffness"]}, "/"),
    "long-term pain": ({"respondent": "self", "has_pump": "no", "conditions": ["long_term_pain"],
                        "symptoms": ["pain"], "oral_medicines": ["none"]}, "/"),
    "Spanish": ({"respondent": "self", "has_pump": "yes", "pump_medicine": "pain_medicine",
                 "pump_symptoms": ["pump_alarm"], "conditions": ["stroke"], "symptoms": ["stiffness"]}, "/?lang=es"),
    "clinic link": ({"respondent": "caregiver", "has_pump": "no", "conditions": ["dystonia"],
                     "symptoms": ["spasms"]}, "/c/example-uk"),
}


def plain_answer(question: Question) -> Any:
    if question.type is QuestionType.SCALE:
        return str(question.maximum)
    if question.type is QuestionType.MULTIPLE:
        return [NONE_CODE] if NONE_CODE in question.codes else [question.codes[0]]
    return question.codes[-1]


class Recorder:
    """A person's browser on the real app: every request's path and query, every Location header."""

    def __init__(self, app: Flask):
        self.client: FlaskClient = app.test_client()
        self.questionnaire = app.extensions["questionnaire"].content.questionnaire
        self.requests: list[tuple[str, str]] = []
        self.locations: list[str] = []

    def _record(self, url: str, response: Any) -> Any:
        parts = urlsplit(url)
        self.requests.append((parts.path, parts.query))
        assert response.status_code < 500, (url, response.status_code)
        if response.location:
            self.locations.append(response.location)
        return response

    def get(self, url: str) -> Any:
        return self._record(url, self.client.get(url))

    def post(self, url: str, data: dict[str, Any]) -> Any:
        return self._record(url, self.client.post(url, data=data))

    def answers_for(self, html: str, given: dict[str, Any], sofar: dict[str, Any]) -> dict[str, Any]:
        page = self.questionnaire.page(page_shown(html) or "")
        assert page is not None, html[:1000]
        form = {q.id: given.get(q.id, plain_answer(q)) for q in Flow(self.questionnaire, sofar).shown_questions(page)}
        sofar.update({qid: frozenset(v) if isinstance(v, list) else v for qid, v in form.items()})
        return {**form, "csrf_token": csrf_token(html)}

    def walk(self, given: dict[str, Any], start_at: str) -> list[str]:
        """Start, answer every page (pressing Back once on the third page), change the first answer, see results."""
        html = self.get(start_at).get_data(as_text=True)
        response = self.post("/start", {"csrf_token": csrf_token(html)})
        sofar: dict[str, Any] = {}
        shown: list[str] = []
        pressed_back = False
        while response.location and response.location.startswith("/questions"):
            location = response.location
            html = self.get(location).get_data(as_text=True)
            if ADVICE_VIEW in html:  # the advice comes first, at the same URL; "Continue" is that URL again
                html = self.get(location).get_data(as_text=True)
            shown.append(str(page_shown(html)))
            if len(shown) == 3 and not pressed_back:
                pressed_back = True
                response = self.post(location, {"nav": "back", "csrf_token": csrf_token(html)})
                continue
            response = self.post(location, self.answers_for(html, given, sofar))
            assert response.status_code == 302, (location, response.get_data(as_text=True)[:1500])
        assert response.location == "/check", response.location
        check = self.get("/check").get_data(as_text=True)
        if ADVICE_VIEW in check:
            check = self.get("/check").get_data(as_text=True)
        first = self.questionnaire.pages[0].id
        changed = self.post("/questions", {"change": first, "csrf_token": csrf_token(check)})
        html = self.get(changed.location).get_data(as_text=True)
        assert page_shown(html) == first
        assert self.post(changed.location, self.answers_for(html, given, sofar)).location == "/check"
        assert self.get("/check").status_code == 200
        assert self.get("/results").status_code == 200
        return shown


@pytest.fixture(scope="module")
def csrf_app() -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "EMERGENCY_NUMBER": "911"})


def names(app: Flask) -> set[str]:
    """Every page id, question id and answer code in the content: none may appear in a URL."""
    questionnaire = app.extensions["questionnaire"].content.questionnaire
    found = {page.id for page in questionnaire.pages}
    for question in questionnaire.questions:
        found.add(question.id)
        found.update(question.codes)
    return {name for name in found if not name.isdigit()}


def named_in(url: str, forbidden: set[str]) -> list[str]:
    pieces = set(re.split(r"[/?&=#]", url))
    return sorted(name for name in forbidden if name in pieces or (len(name) >= 5 and name in url))


def test_every_person_requests_the_same_paths_and_no_url_names_a_page_question_or_answer(csrf_app):
    forbidden = names(csrf_app)
    assert {"pump", "has_pump", "brain_injury", "baclofen", "itching", "cerebral_palsy"} <= forbidden  # teeth
    paths: dict[str, set[str]] = {}
    pages_shown: dict[str, list[str]] = {}
    for person, (given, start_at) in PEOPLE.items():
        browser = Recorder(csrf_app)
        pages_shown[person] = browser.walk(given, start_at)
        entry = urlsplit(start_at).path
        paths[person] = {path for path, _ in browser.requests if path != entry}
        for path, query in browser.requests:
            assert query in ("", "lang=es") or re.fullmatch(r"v=\d+", query), (person, path, query)
            assert not named_in(f"{path}?{query}", forbidden - {entry.strip("/").split("/")[-1]}), (person, path, query)
        for location in browser.locations:
            assert location in ("/check", "/", "/c/example-uk") or re.fullmatch(r"/questions\?v=\d+", location), location
            assert not named_in(location, forbidden), (person, location)
    # The people really went different ways (pump page, brain injury page, advice) ...
    assert "pump" in pages_shown["pump with warning signs"] and "pump" not in pages_shown["no pump"]
    assert "brain-injury" in pages_shown["not sure about a pump"]
    assert len({tuple(shown) for shown in pages_shown.values()}) >= 4
    # ... yet every one of them asked for exactly the same paths.
    assert all(found == paths["no pump"] for found in paths.values()), paths
    assert paths["no pump"] == {"/start", "/questions", "/check", "/results"}


def test_browser_back_and_forward_show_the_pages_of_those_views_again(client):
    first = client.post("/start").location
    locations = [first]
    for data in ({"respondent": "self", "has_pump": "no"}, {"age_group": "age_18_64", "conditions": ["ms"]}):
        locations.append(client.post(locations[-1], data=data).location)
    assert [page_at(client, url) for url in locations] == ["about", "health", "symptoms"]
    back = client.get(locations[0]).get_data(as_text=True)  # browser Back twice: about, as answered
    assert page_shown(back) == "about" and 'value="no" checked' in back
    assert page_shown(client.get(locations[1]).get_data(as_text=True)) == "health"  # Forward
    # Answering again from a page reached by browser Back goes on from that page.
    again = client.post(locations[0], data={"respondent": "self", "has_pump": "no"}).location
    assert page_at(client, again) == "health" and again not in locations


@pytest.mark.parametrize("query", ["v=0", "v=-1", "v=abc", "v=99999999999999999999", "v=%FF", "v=1.5", "v=2&v=7"])
def test_an_unknown_or_stale_view_number_shows_the_current_page(client, query):
    current = client.post(client.post("/start").location, data={"respondent": "self", "has_pump": "no"}).location
    response = client.get(f"/questions?{query}")
    assert response.status_code == 200 and page_shown(response.get_data(as_text=True)) == page_at(client, current)


def test_the_views_kept_are_bounded_and_the_oldest_show_the_current_page(client):
    location = client.post("/start").location
    for _ in range(60):  # on and Back again, many times: every page shown is a new view
        location = client.post(location, data={"respondent": "self", "has_pump": "no"}).location
        location = client.post(location, data={"nav": "back"}).location
    assert int(location.split("=")[1]) == 121 and page_at(client, location) == "about"
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 2000
    assert page_shown(client.get("/questions?v=1").get_data(as_text=True)) == "about"  # forgotten: the current page
    assert page_at(client, "/questions?v=82") is not None and page_at(client, "/questions?v=81") is None


def test_without_a_session_a_question_url_says_the_answers_were_cleared(client):
    for url in ("/questions", "/questions?v=3"):
        html = client.get(url).get_data(as_text=True)
        assert "Your answers were cleared after 30 minutes" in html and "data-page" not in html
        assert 'action="/start"' in html and 'name="response_file"' in html  # start again, or load the file
    response = client.post("/questions?v=1", data={"respondent": "self", "has_pump": "no"})
    assert response.status_code == 200 and "Your answers were cleared" in response.get_data(as_text=True)
