"""The NLM's LHC-Forms (the SDC reference renderer) in real Chromium, on another origin than the app.

It loads the exported Questionnaire, shows exactly the questions the app's flow shows for every
example person, opens every kind of saved answers file with no answer lost, and what it exports
(after filling a form by hand) gets the same guidance from the app. The page fetches from the app
cross-origin, as a clinic's portal would: the FHIR endpoints answer, patient pages do not.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page
from werkzeug.serving import make_server

from app import create_app
from questionnaire import Engine
from questionnaire.answers import is_shown, parse_answers
from questionnaire.model import QuestionType
from tests.lhcforms import renderer_origin
from tests.test_fhir import example_answers
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete

pytestmark = pytest.mark.browser

FHIR = "application/fhir+json"
QUESTIONNAIRE = "/fhir/Questionnaire/itb-conversation"

LOAD = """async ([url, response]) => {
  const questionnaire = await (await fetch(url)).json();
  await LForms.Util.addFormToPage(questionnaire, 'form', response ? {questionnaireResponse: response} : {});
}"""
EXPORT = "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))"
SHOWN = "() => [...document.querySelectorAll('lhc-item.lhc-item-question')].map(e => e.id)"


@pytest.fixture(scope="module")
def app():
    return create_app({"SECRET_KEY": "browser-test-only", "EMERGENCY_NUMBER": "911", "TESTING": True})


@pytest.fixture(scope="module")
def site(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def renderer() -> Iterator[str]:
    try:
        with renderer_origin() as origin:
            yield origin
    except RuntimeError as exc:  # fail, not skip: CI must run it
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def lhc(browser, renderer) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(renderer)
    page.wait_for_function("() => window.LForms && LForms.Util && LForms.Util.addFormToPage", timeout=30000)
    yield page
    assert not errors, errors
    context.close()


def answers_in(response: dict[str, Any]) -> dict[str, list[Any]]:
    """Every answer in a response by linkId: (system, code) or the number, in order."""
    found: dict[str, list[Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            for answer in item.get("answer", []):
                coding = answer.get("valueCoding")
                value = (coding.get("system"), coding["code"]) if coding else answer.get("valueInteger")
                found.setdefault(item["linkId"], []).append(value)
                walk(answer.get("item", []))
            walk(item.get("item", []))

    walk(response.get("item", []))
    return found


def round_trip(lhc: Page, site: str, response: dict[str, Any] | None, query: str = "") -> dict[str, Any]:
    lhc.evaluate(LOAD, [site + QUESTIONNAIRE + query, response])
    exported: dict[str, Any] = lhc.evaluate(EXPORT)
    return exported


def guidance(client, resource: dict[str, Any], language: str = "en") -> list[tuple[str, str]]:
    reply = client.post(f"/fhir/QuestionnaireResponse/$evaluate?_language={language}", data=json.dumps(resource),
                        content_type=FHIR)
    assert reply.status_code == 200, reply.data[:500]
    return [(next(p["valueString"] for p in e["extension"] if p["url"] == "rule"),
             next(p["valueString"] for p in e["extension"] if p["url"] == "text"))
            for e in json.loads(reply.data)["extension"] if e["url"].endswith("-guidance")]


def test_lhc_forms_shows_exactly_what_the_apps_flow_shows_for_every_example_person(app, site, lhc):
    content = app.extensions["questionnaire"].content
    client = app.test_client()
    examples = example_answers()
    for name, raw in examples:
        answers = parse_answers(content.questionnaire, raw)
        evaluation = Engine(content).evaluate(answers, "911")
        saved = json.loads(client.post("/api/v1/evaluate", json={"answers": raw}, headers={"Accept": FHIR}).data)
        exported = round_trip(lhc, site, saved)
        shown = {item_id.removeprefix("item-").split("/")[0] for item_id in lhc.evaluate(SHOWN)}
        expected = {q.id for q in content.questionnaire.questions if is_shown(q, evaluation.answers)}
        assert shown == expected, name
        assert answers_in(exported) == answers_in(saved), name
        assert guidance(client, exported) == guidance(client, saved), name
    assert len(examples) >= 3


def saved_file(app, pages: dict[str, dict[str, Any]], language: str = "en", start_at: str = "/") -> dict[str, Any]:
    """A file exactly as a person downloads it from their results page."""
    client = app.test_client()
    complete(client, pages, csrf=True, start_at=start_at)
    client.get(f"/results?lang={language}")
    download = client.get("/results/fhir")
    assert download.status_code == 200
    return json.loads(download.data)


FILES = {
    "English": (PUMP_EMERGENCY, "en", "/"),
    "Spanish": (PUMP_EMERGENCY, "es", "/"),
    "caregiver": (NO_PUMP_MS, "en", "/"),
    "Spanish caregiver": (NO_PUMP_MS, "es", "/"),
    "clinic": (PUMP_EMERGENCY, "en", "/c/example-uk"),
}


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("query", ["", "?_language=es"], ids=["base", "spanish-view"])
def test_every_kind_of_saved_file_opens_in_lhc_forms_with_no_answer_lost(app, site, lhc, kind, query):
    pages, language, start_at = FILES[kind]
    saved = saved_file(app, pages, language, start_at)
    exported = round_trip(lhc, site, saved, query)
    kept, given = answers_in(exported), answers_in(saved)
    assert sum(map(len, given.values())) > 5
    assert kept == given, {k: (given.get(k), kept.get(k)) for k in set(given) | set(kept) if given.get(k) != kept.get(k)}
    assert exported["questionnaire"] == saved["questionnaire"]
    client = app.test_client()
    assert guidance(client, exported, language) == guidance(client, saved, language)


def fill(lhc: Page, content, pages: dict[str, dict[str, Any]]) -> None:
    """Answer in LHC-Forms by hand, page by page in the app's order, as a person would."""
    for page in content.questionnaire.pages:
        for question in page.questions:
            value = pages.get(page.id, {}).get(question.id)
            if value is None:
                continue
            item = lhc.locator(f'[id="item-{question.id}/1/1"]')
            if question.type is QuestionType.SCALE:
                item.locator("input").first.fill(str(value))
                item.locator("input").first.press("Tab")
                continue
            for code in value if isinstance(value, list) else [value]:
                item.get_by_text(question.label_for(code), exact=True).click()


@pytest.mark.parametrize("pages", [PUMP_EMERGENCY, NO_PUMP_MS], ids=["pump-emergency", "caregiver-ms"])
def test_a_form_filled_in_lhc_forms_gets_the_same_guidance_in_the_app(app, site, lhc, pages):
    content = app.extensions["questionnaire"].content
    lhc.evaluate(LOAD, [site + QUESTIONNAIRE, None])
    fill(lhc, content, pages)
    exported = lhc.evaluate(EXPORT)
    raw = {qid: (int(v) if content.questionnaire.by_id[qid].type is QuestionType.SCALE else v)
           for answers in pages.values() for qid, v in answers.items()}
    client = app.test_client()
    from_app = json.loads(client.post("/api/v1/evaluate", json={"answers": raw}, headers={"Accept": FHIR}).data)
    assert answers_in(exported) == answers_in(from_app)
    assert guidance(client, exported) == guidance(client, from_app)
    imported = client.post("/api/v1/evaluate", data=json.dumps(exported), content_type=FHIR)
    plain = client.post("/api/v1/evaluate", json={"answers": raw})
    assert imported.status_code == 200 and imported.get_json()["guidance"] == plain.get_json()["guidance"]


CROSS_ORIGIN = """async ([site, posted]) => {
  const result = {};
  for (const path of ['/fhir/metadata', '/fhir/Questionnaire/itb-conversation', '/api/v1/questionnaire',
                      '/', '/check', '/review/', '/staff/clinics/']) {
    try { result[path] = (await fetch(site + path)).status; } catch (e) { result[path] = 'blocked'; }
  }
  for (const [path, type] of [['/fhir/QuestionnaireResponse/$evaluate', 'application/fhir+json'],
                              ['/api/v1/evaluate', 'application/fhir+json']]) {
    try {
      const reply = await fetch(site + path, {method: 'POST', headers: {'Content-Type': type}, body: posted});
      result['POST ' + path] = reply.status;
    } catch (e) { result['POST ' + path] = 'blocked'; }
  }
  return result;
}"""


def test_a_page_on_another_origin_can_use_the_fhir_endpoints_and_not_the_patient_pages(app, site, lhc):
    posted = app.test_client().post("/api/v1/evaluate", json={"answers": {"has_pump": "no"}},
                                    headers={"Accept": FHIR}).data.decode()
    assert lhc.evaluate("() => location.origin") != site
    result = lhc.evaluate(CROSS_ORIGIN, [site, posted])
    assert result == {"/fhir/metadata": 200, "/fhir/Questionnaire/itb-conversation": 200, "/api/v1/questionnaire": 200,
                      "/": "blocked", "/check": "blocked", "/review/": "blocked", "/staff/clinics/": "blocked",
                      "POST /fhir/QuestionnaireResponse/$evaluate": 200, "POST /api/v1/evaluate": 200}
