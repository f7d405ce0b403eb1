"""Bad input from anyone: arbitrary forms, JSON, headers and cookies never get a 500, and the API keeps its error shape."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.datastructures import MultiDict

from app import create_app
from questionnaire.fhir.response import MAX_DEPTH as FHIR_MAX_DEPTH
from tests.thoroughness import FAST, examples

FUZZ = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def fuzz_app() -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})


def vocabulary(app: Flask) -> tuple[list[str], list[str], list[str]]:
    """Page ids, question ids and answer codes of the loaded questionnaire, so the fuzz reaches deep paths."""
    questionnaire = app.extensions["questionnaire"].content.questionnaire
    pages = [page.id for page in questionnaire.pages]
    questions = [q.id for q in questionnaire.questions]
    codes = sorted({code for q in questionnaire.questions for code in q.codes} | {str(n) for n in range(-1, 12)})
    return pages, questions, codes


def form_routes(app: Flask) -> list[str]:
    """Every URL rule that takes a form post, outside the API."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner, max_size=5),
    max_leaves=30,
)


def assert_api_error_shape(response: Any) -> None:
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and list(body) == ["errors"] and body["errors"], response.get_data(as_text=True)
    for error in body["errors"]:
        assert set(error) == {"question", "message"}, error
        assert error["question"] is None or isinstance(error["question"], str)
        assert isinstance(error["message"], str) and error["message"]


@FUZZ
@given(data=st.data())
def test_any_form_post_to_any_page_is_answered_without_a_server_error(fuzz_app, data):
    pages, questions, codes = vocabulary(fuzz_app)
    rule = data.draw(st.sampled_from(form_routes(fuzz_app)), label="route")
    page = data.draw(st.sampled_from(pages) | st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s))
    url = re.sub(r"<[^>]+>", lambda _: page, rule)
    query = data.draw(st.sampled_from(["", "?v=1", "?v=2&lang=es", "?v=-1", "?v=99999999999", "?v=%FF", "?lang=xx"]))
    keys = st.sampled_from([*questions, "csrf_token", "change", "nav", "confirm"]) | st.text(max_size=12)
    values = st.sampled_from([*codes, *pages, "back", "yes"]) | st.text(max_size=40)
    fields = data.draw(st.lists(st.tuples(keys, values), max_size=25))
    client = fuzz_app.test_client()
    if data.draw(st.booleans(), label="started"):
        client.post("/start")
    response = client.post(url + query, data=MultiDict(fields))
    assert response.status_code < 500, (url, fields)


@FUZZ
@given(body=st.binary(max_size=2000), content_type=st.sampled_from(
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/form-data", "text/plain",
     "application/json", "application/x-www-form-urlencoded; charset=utf-16"]))
def test_raw_bytes_of_any_type_to_any_form_get_no_server_error(fuzz_app, body, content_type):
    client = fuzz_app.test_client()
    client.post("/start")
    for route in form_routes(fuzz_app):
        url = route.replace("<page_id>", vocabulary(fuzz_app)[0][0])
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, (url, body)


@FUZZ
@given(data=st.data())
def test_any_json_to_the_api_gets_guidance_or_the_documented_error_shape(fuzz_app, data):
    _, questions, codes = vocabulary(fuzz_app)
    answer = st.sampled_from(codes) | st.lists(st.sampled_from(codes), max_size=4) | st.integers(-3, 14) | json_values
    answers = st.dictionaries(st.sampled_from(questions) | st.text(max_size=15), answer, max_size=12)
    body = data.draw(st.fixed_dictionaries({"answers": answers}) | json_values
                     | st.fixed_dictionaries({"answers": answers, "language": st.text(max_size=5)}))
    response = fuzz_app.test_client().post("/api/v1/evaluate", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), (body, response.status_code)
    if response.status_code == 200:
        assert isinstance(response.get_json()["guidance"], list)
    else:
        assert_api_error_shape(response)


@FUZZ
@given(body=st.binary(max_size=3000), content_type=st.sampled_from(
    ["application/json", "application/json; charset=latin-1", "text/json", "application/fhir+json", "text/plain", ""]))
def test_any_bytes_to_the_api_get_the_documented_error_shape(fuzz_app, body, content_type):
    response = fuzz_app.test_client().post("/api/v1/evaluate", data=body, content_type=content_type)
    assert response.status_code < 500
    if response.status_code != 200:
        assert_api_error_shape(response)


@FUZZ
@given(language=st.text(max_size=60), cookie=st.text(max_size=200), path=st.sampled_from(
    ["/", "/check", "/results", "/questions", "/questions?v=99999", "/api/v1/questionnaire", "/api/v1/openapi.json",
     "/nowhere"]))
def test_any_accept_language_or_session_cookie_is_survived(fuzz_app, language, cookie, path):
    client = fuzz_app.test_client()
    client.set_cookie("session", cookie)
    try:
        response = client.get(path, headers={"Accept-Language": language})
    except ValueError:  # werkzeug's test client refuses to send some characters at all; a browser cannot either
        return
    assert response.status_code < 500, (path, language, cookie)


# Loaded at import: schemathesis' from_fixture does not work with this pytest version.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app({"TESTING": True}))
schema.config.phases.coverage.enabled = not FAST  # the quick loop keeps the example and fuzzing phases


@schema.parametrize()
@settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_every_promise_of_its_openapi_document(case):
    # The QuestionnaireResponse schema says which items and answers fit our questions (issue 16: it
    # said nothing, so a schema-valid body got 400). One thing a schema cannot say is that a question
    # is answered once: only for such a body may a schema-valid request be refused.
    excluded = [positive_data_acceptance] if answered_twice(case.body) else []
    case.call_and_validate(excluded_checks=excluded)


def answered_twice(body: Any) -> bool:
    """A FHIR body answering one linkId in two items, or nesting items deeper than the API reads."""
    if not isinstance(body, dict) or body.get("resourceType") != "QuestionnaireResponse":
        return False
    answered: list[str] = []
    stack = [(item, 0) for item in body.get("item", []) if isinstance(item, dict)] if isinstance(
        body.get("item"), list) else []
    while stack:
        item, depth = stack.pop()
        if depth > FHIR_MAX_DEPTH:
            return True
        answers = [a for a in item.get("answer", []) if isinstance(a, dict)] if isinstance(item.get("answer"), list) else []
        if answers:
            answered.append(str(item.get("linkId")))
        for holder in (item, *answers):
            if isinstance(holder.get("item"), list):
                stack.extend((inner, depth + 1) for inner in holder["item"] if isinstance(inner, dict))
    return len(answered) != len(set(answered))


def test_a_whole_number_written_as_7_point_0_counts_as_7_and_a_fraction_is_refused(client):
    # JSON Schema calls 7.0 an integer, and some JSON writers send whole numbers that way.
    as_int = client.post("/api/v1/evaluate", json={"answers": {"stiffness_severity": 7}}).get_json()
    as_float = client.post("/api/v1/evaluate", json={"answers": {"stiffness_severity": 7.0}})
    assert as_float.status_code == 200 and as_float.get_json()["guidance"] == as_int["guidance"]
    fraction = client.post("/api/v1/evaluate", json={"answers": {"stiffness_severity": 7.5}})
    assert fraction.status_code == 400 and "takes a whole number" in fraction.get_json()["errors"][0]["message"]


@pytest.mark.parametrize("body", ["0", "[1]", "{\"respondent\": \"self\", \"has_pump\": \"no\"}"])
def test_pages_refuse_json_bodies_with_a_friendly_page(client, body):
    client.post("/start")
    response = client.post("/questions", data=body, content_type="application/json")
    assert response.status_code == 415 and "That did not work" in response.get_data(as_text=True)


def multipart(parts: int, size: int = 1) -> tuple[bytes, str]:
    body = b"".join(b"--x\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%s\r\n" % (i, b"a" * size)
                    for i in range(parts)) + b"--x--\r\n"
    return body, "multipart/form-data; boundary=x"


def test_request_size_limits_hold_on_every_form_route(fuzz_app):
    client = fuzz_app.test_client()
    client.post("/start")
    too_many_parts, many_type = multipart(101)  # MAX_FORM_PARTS is 100
    too_big, big_type = multipart(1, 70_000)  # one 70 KB field: over MAX_FORM_MEMORY_SIZE and MAX_CONTENT_LENGTH
    for route in form_routes(fuzz_app):
        url = route.replace("<page_id>", "about")
        for body, content_type in ((too_many_parts, many_type), (too_big, big_type),
                                   (b"a=" + b"x" * 70_000, "application/x-www-form-urlencoded")):
            response = client.post(url, data=body, content_type=content_type)
            # Never a crash; a route that does not read its body (start over) just does its job.
            assert response.status_code < 500 and "Traceback" not in response.get_data(as_text=True), url
            if route in ("/start", "/questions"):
                assert response.status_code == 413, (url, content_type, response.status_code)
                assert "That was too much to send" in response.get_data(as_text=True)


@pytest.mark.parametrize(("body", "status"), [
    ("[" * 60_000, 400),  # nested deeper than any parser's stack, under the size cap
    ("{\"answers\": {}, \"pad\": \"" + "x" * 70_000 + "\"}", 413),
])
def test_the_api_refuses_deep_and_oversized_json_with_its_error_shape(client, body, status):
    response = client.post("/api/v1/evaluate", data=body, content_type="application/json")
    assert response.status_code == status
    assert_api_error_shape(response)
