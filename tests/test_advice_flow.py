"""Warning signs act at once, walking the real web flow: the page right after a sign is reported carries
its advice (emergency or urgent, exactly as the results word it), a person with no sign goes straight on,
the advice is shown once, and a reminder stays on every later page until the results.

Which signs, pump medicines and pump answers exist, and what level each leads to, come from the loaded
content and its engine, never from a list written here: new codes are walked as soon as they are added.
"""

from __future__ import annotations

import html as htmllib
import re
from itertools import product
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from questionnaire.flow import Flow
from questionnaire.model import NONE_CODE, Level, Page, Question, QuestionType
from tests.webflow import ADVICE_VIEW, PUMP_EMERGENCY, at, complete, page_at

SIGNS, MEDICINE, HAS_PUMP = "pump_symptoms", "pump_medicine", "has_pump"
CALL_NOW = {"en": "Call {} now", "es": "Llame al {} ahora"}
PUMP_TEAM_TODAY = {("en", False): "Contact your pump team or doctor today",
                   ("en", True): "Contact their pump team or doctor today",
                   ("es", False): "Comuníquese hoy con su equipo de la bomba o su médico",
                   ("es", True): "Comuníquese hoy con el equipo de la bomba o el médico de la persona"}
STARTS = {"general": ("/", "911"), "clinic": ("/c/example-uk", "999")}  # the clinic is in GB


def main_of(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def words(markup: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def articles(markup: str, level: str) -> list[str]:
    """The guidance cards of one level, as markup."""
    return re.findall(rf'<article class="guidance guidance-{level}">.*?</article>', markup, re.S)


def default_answer(question: Question) -> Any:
    """An answer for a question on the first page that this test does not vary."""
    if question.type is QuestionType.SCALE:
        return str(question.minimum)
    if question.type is QuestionType.MULTIPLE:
        return [NONE_CODE] if NONE_CODE in question.codes else [question.codes[0]]
    return question.codes[0]


class Walk:
    """One person's browser on the real app, started at the general link or a clinic's, in one language."""

    def __init__(self, app: Flask, language: str, start: str, caregiver: bool):
        self.app, self.language, self.start, self.caregiver = app, language, start, caregiver
        self.client: FlaskClient = app.test_client()
        self.client.get(start)
        self.client.get(f"{start}?lang={language}")
        content = app.extensions["questionnaire"].content
        self.questionnaire = content.questionnaire
        perspective = self.questionnaire.perspective
        assert perspective is not None
        respondent = self.questionnaire.by_id[perspective.question]
        self.who = {perspective.question: perspective.code if caregiver else
                    next(code for code in respondent.codes if code != perspective.code)}
        table = app.extensions["questionnaire"]
        self.engine = (table.caregiver_by_language if caregiver else table.by_language)[language][1]

    def page_of(self, qid: str) -> Page:
        page = self.questionnaire.page(self.questionnaire.by_id[qid].page_id)
        assert page is not None
        return page

    def post(self, page: Page, given: dict[str, Any], sofar: dict[str, Any]) -> str:
        """Answer a page (questions not in `given` get a neutral answer); return where the flow goes next."""
        form = {q.id: given.get(q.id, default_answer(q)) for q in Flow(self.questionnaire, sofar).shown_questions(page)}
        response = self.client.post(at(self.client, page.id), data=form)
        assert response.status_code == 302, (page.id, form, response.get_data(as_text=True)[:500])
        sofar.update({qid: frozenset(v) if isinstance(v, list) else v for qid, v in form.items()})
        return str(response.location)

    def report(self, has_pump: str, medicine: str | None, sign: str) -> tuple[str, str, dict[str, Any]]:
        """Start afresh, answer the first page and the pump page; return the next URL, its page and the answers."""
        self.client.post("/start", data={"confirm": "yes"})  # "Yes, clear my answers" when some are in progress
        answers: dict[str, Any] = {}
        self.post(self.page_of(HAS_PUMP), {**self.who, HAS_PUMP: has_pump}, answers)
        given: dict[str, Any] = {SIGNS: [sign]}
        if medicine is not None:
            given[MEDICINE] = medicine
        location = self.post(self.page_of(SIGNS), given, answers)
        return location, self.client.get(location).get_data(as_text=True), answers


def pump_cases(app: Flask) -> list[tuple[str, str | None, str]]:
    """Every (has_pump answer that shows the pump page, pump medicine answer or None, single sign) in the content."""
    questionnaire = app.extensions["questionnaire"].content.questionnaire
    signs = questionnaire.by_id[SIGNS]
    pump_page = questionnaire.page(signs.page_id)
    assert pump_page is not None
    cases = []
    for has_pump in questionnaire.by_id[HAS_PUMP].codes:
        shown = {q.id for q in Flow(questionnaire, {HAS_PUMP: has_pump}).shown_questions(pump_page)}
        if SIGNS not in shown:
            continue
        medicines = questionnaire.by_id[MEDICINE].codes if MEDICINE in shown else (None,)
        cases.extend(product([has_pump], medicines, signs.codes))
    return cases


@pytest.mark.parametrize("start", list(STARTS))
@pytest.mark.parametrize("caregiver", [False, True], ids=["self", "caregiver"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_right_after_the_pump_page_carries_the_advice_the_engine_gives(app, language, caregiver, start):
    path, number = STARTS[start]
    walk = Walk(app, language, path, caregiver)
    levels = walk.engine.content.ruleset.interrupt
    seen: dict[str, int] = {"emergency": 0, "urgent": 0, "none": 0}
    for has_pump, medicine, sign in pump_cases(app):
        location, page, answers = walk.report(has_pump, medicine, sign)
        case = f"{has_pump=} {medicine=} {sign=} ({language}, {'caregiver' if caregiver else 'self'}, {start})"
        assert re.fullmatch(r"/questions\?v=\d+", location), case  # nothing in the URL says a sign was reported
        expected = [g for g in walk.engine.evaluate(answers, emergency_number=number).guidance if g.level in levels]
        main = main_of(page)
        if not expected:
            seen["none"] += 1
            assert ADVICE_VIEW not in main and "advice-reminder" not in main, case
            assert '<form method="post" novalidate' in main, case  # straight on to the next question
            continue
        highest = expected[0].level
        seen[highest.value] += 1
        assert f'{ADVICE_VIEW}{highest.value}' in main and '<form method="post" novalidate' not in main, case
        heading = words(re.search(r"<h1.*?</h1>", main, re.S).group(0))  # type: ignore[union-attr]
        assert f'href="tel:{number}"' in main, case
        if highest is Level.EMERGENCY:
            assert heading.endswith(CALL_NOW[language].format(number)), (case, heading)
        else:
            assert heading.endswith(PUMP_TEAM_TODAY[language, caregiver]), (case, heading)
        for guidance in expected:  # every applying emergency and urgent rule, worded for this reader
            assert str(escape(guidance.text)) in re.sub(r'<a href="tel:[^>]*>([^<]*)</a>', r"\1", main), (
                case, guidance.rule.id)  # the number in the text is a tel: link
            assert f"<h3>{escape(guidance.rule.title)}</h3>" in main, (case, guidance.rule.id)
        assert f'class="button button-secondary" href="{location}"' in main, case  # the way on: the same URL
        follow = main_of(walk.client.get(location).get_data(as_text=True))
        assert ADVICE_VIEW not in follow and '<form method="post" novalidate' in follow, case
        assert f"advice-reminder-{highest.value}" in follow and f'href="tel:{number}"' in follow, case
    assert all(seen.values()), seen  # the content reached every kind of case


@pytest.mark.parametrize("caregiver", [False, True], ids=["self", "caregiver"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_advice_cards_are_the_results_cards_and_the_results_still_show_everything(app, language, caregiver):
    walk = Walk(app, language, "/", caregiver)
    answers = {page: dict(values) for page, values in PUMP_EMERGENCY.items()}
    answers["about"]["respondent"] = walk.who["respondent"]
    advice: list[str] = []
    complete(walk.client, answers, advice=advice)
    assert len(advice) == 1 and page_at(walk.client, advice[0]) == "health"
    with walk.client.session_transaction() as session:
        session["advice"] = {"shown": []}  # see the advice again, to compare it with the results
    shown = main_of(walk.client.get("/check").get_data(as_text=True))
    walk.client.get("/check")
    results = main_of(walk.client.get("/results").get_data(as_text=True))
    for level in ("emergency", "urgent"):
        assert articles(shown, level) == articles(results, level)
    assert articles(shown, "emergency") and not articles(shown, "discuss")
    assert articles(results, "discuss") and "advice-reminder" not in results
    assert results.index("emergency-banner") < results.index("<h1")


def test_the_advice_shows_once_for_the_same_rules_and_again_for_a_new_one(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "yes"})
    client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["itching"],
                                          "pump_recent_change": "no"})
    assert ADVICE_VIEW in client.get(at(client, "health")).get_data(as_text=True)
    assert ADVICE_VIEW not in client.get(at(client, "health")).get_data(as_text=True)  # Continue
    # Back to the pump page and the same answer again: no second advice, the reminder stays.
    assert "advice-reminder-emergency" in client.get(at(client, "pump")).get_data(as_text=True)
    client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"],
                                          "pump_recent_change": "no"})
    page = client.get(at(client, "health")).get_data(as_text=True)
    assert ADVICE_VIEW not in page and "advice-reminder-emergency" in page
    # A sign that makes another rule apply shows the advice again, with every rule that applies.
    client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["itching", "pump_alarm"],
                                          "pump_recent_change": "no"})
    page = main_of(client.get(at(client, "health")).get_data(as_text=True))
    assert f"{ADVICE_VIEW}emergency" in page and articles(page, "emergency") and articles(page, "urgent")
    with client.session_transaction() as session:
        advice = session["advice"]
    rules = {rule.id for rule in client.application.extensions["questionnaire"].content.ruleset.rules}
    assert set(advice) <= {"shown", "at"} and set(advice["shown"]) <= rules  # which advice, never an answer
    assert advice.get("at") in (None, "/questions")


def test_the_reminder_stays_on_every_later_page_until_the_results(client):
    client.get("/")
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "caregiver", "has_pump": "yes"})
    location = client.post(at(client, "pump"), data={"pump_medicine": "pain_medicine",
                                                    "pump_symptoms": ["slow_breathing"],
                                                    "pump_recent_change": "no"}).location
    assert f"{ADVICE_VIEW}emergency" in client.get(location).get_data(as_text=True)
    pages = {k: v for k, v in PUMP_EMERGENCY.items() if k not in ("about", "pump")}
    later = 0
    while location.startswith("/questions"):
        page = main_of(client.get(location).get_data(as_text=True))
        assert ADVICE_VIEW not in page and "advice-reminder-emergency" in page and 'href="tel:911"' in page, location
        assert page.index("advice-reminder") < page.index("<h1"), location  # at the top
        later += 1
        location = client.post(location, data=pages[str(page_at(client, location))]).location
    assert later >= 5 and location == "/check"
    check = main_of(client.get("/check").get_data(as_text=True))
    assert "advice-reminder-emergency" in check and ADVICE_VIEW not in check
    # A page shown again with an error keeps the reminder too.
    bad = client.post(at(client, "impact"), data={})
    assert bad.status_code == 400 and "advice-reminder-emergency" in bad.get_data(as_text=True)
    assert "advice-reminder" not in main_of(client.get("/results").get_data(as_text=True))


def test_an_urgent_sign_gets_the_urgent_advice_and_an_urgent_reminder(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "yes"})
    client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["pump_alarm"],
                                          "pump_recent_change": "no"})
    page = main_of(client.get(at(client, "health")).get_data(as_text=True))
    assert f"{ADVICE_VIEW}urgent" in page and "emergency-banner" not in page
    assert "Contact your pump team or doctor today" in words(page) and 'href="tel:911"' in page
    follow = main_of(client.get(at(client, "health")).get_data(as_text=True))
    assert "advice-reminder-urgent" in follow and "advice-reminder-emergency" not in follow


def test_a_person_with_no_pump_never_sees_advice_or_a_reminder(client):
    client.post("/start")
    location = client.post(at(client, "about"), data={"respondent": "self", "has_pump": "no"}).location
    page = main_of(client.get(location).get_data(as_text=True))
    assert ADVICE_VIEW not in page and "advice-reminder" not in page and '<form method="post" novalidate' in page


def test_switching_language_on_the_advice_shows_it_again_in_that_language(client):
    client.post("/start")
    client.post(at(client, "about"), data={"respondent": "self", "has_pump": "yes"})
    client.post(at(client, "pump"), data={"pump_medicine": "baclofen", "pump_symptoms": ["fever"],
                                          "pump_recent_change": "no"})
    health = at(client, "health")
    assert "Call 911 now" in words(client.get(health).get_data(as_text=True))
    spanish = client.get(f"{health}&lang=es").get_data(as_text=True)
    assert ADVICE_VIEW in spanish and "Llame al 911 ahora" in words(spanish)
    assert f'href="{health}">Continuar con las preguntas' in spanish  # no ?lang=: it goes on
    questions = client.get(health).get_data(as_text=True)
    assert ADVICE_VIEW not in questions and '<form method="post" novalidate' in questions


def test_a_sign_added_while_changing_an_answer_shows_the_advice_before_check_your_answers(client):
    complete(client, {**PUMP_EMERGENCY, "pump": {"pump_medicine": "baclofen", "pump_symptoms": ["none"],
                                                 "pump_recent_change": "no"}})
    assert "advice-reminder" not in client.get("/check").get_data(as_text=True)
    location = client.post(at(client, "pump", change=True), data={"pump_medicine": "baclofen",
                                                             "pump_symptoms": ["seizure"],
                                                             "pump_recent_change": "no"}).location
    assert location == "/check"
    response = client.get("/check")
    page = main_of(response.get_data(as_text=True))
    assert f"{ADVICE_VIEW}emergency" in page and 'href="/check">Continue to check your answers' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "advice-reminder-emergency" in client.get("/check").get_data(as_text=True)
