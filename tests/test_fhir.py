"""FHIR R4: the Questionnaire and every QuestionnaireResponse validate, round-trip to the same guidance,
download from results, import through the API and resume on the start page."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import questionnaire as package
from app import create_app
from questionnaire import Engine, load_content
from questionnaire.answers import is_shown, parse_answers
from questionnaire.fhir import DEFAULT_CANONICAL, FhirSettings, answers_from_response, build_questionnaire, build_response
from questionnaire.fhir.branching import ENABLE_WHEN_EXPRESSION
from questionnaire.i18n import source_hash
from questionnaire.web.api.fhir import response_for
from questionnaire.yamlfile import read_yaml
from tests.fhirpath import fhirpath_r4
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete, csrf_token

SCENARIOS = Path(package.__file__).parent / "content" / "scenarios"
FHIR = "application/fhir+json"

# Used when the scenario library is not there yet, and always as a floor.
EXAMPLES = {
    "A pump user with itching and fever": {"respondent": "self", "has_pump": "yes", "pump_medicine": "baclofen",
                                           "pump_symptoms": ["itching", "fever"]},
    "A caregiver of someone with MS and severe stiffness": {
        "respondent": "caregiver", "has_pump": "no", "age_group": "age_18_64", "conditions": ["ms"],
        "symptoms": ["stiffness", "spasms"], "ms_flare": "no", "spasm_frequency": 3, "stiffness_severity": 8,
        "stiffness_helps": "no", "daily_impact": ["walking"], "goals": ["moving", "sleep"],
        "oral_medicines": ["baclofen"], "oral_medicines_effect": "does_not_help", "side_effects": ["drowsiness"],
        "oral_medicines_now": ["baclofen"], "other_treatments": ["physical_therapy"], "screening_before": "no",
        "health_factors": ["none"], "refill_visits": "yes"},
    "A pump user after a refill, with a high spinal cord injury": {
        "respondent": "self", "has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": ["none"],
        "pump_recent_change": "yes", "age_group": "age_18_64", "conditions": ["spinal_cord_injury"],
        "pump_past_withdrawal": "not_sure", "sci_level": "t6_or_higher", "refill_arranger": "no_one",
        "refill_trip": "very_hard"},
    "An adult with cancer pain who takes an opioid": {
        "respondent": "self", "has_pump": "no", "age_group": "age_65_plus", "conditions": ["long_term_pain"],
        "symptoms": ["pain"], "pain_cause": "cancer", "opioids_now": "yes"},
    "Someone with no condition and no symptoms": {"conditions": ["none"], "symptoms": ["none"]},
}


def example_answers() -> list[tuple[str, dict[str, Any]]]:
    """Every scenario in the library (when it exists) plus our own examples, as API-style answers."""
    found = list(EXAMPLES.items())
    for path in sorted(SCENARIOS.glob("*.yaml")) if SCENARIOS.is_dir() else []:
        document = read_yaml(path, path.name)  # the project's strict reader: "yes" stays text
        entries = document.get("scenarios", []) if isinstance(document, dict) else document or []
        found += [(f"{path.stem}: {entry['name']}", entry["answers"]) for entry in entries]
    return found


def enabled_by_fhir(item: dict[str, Any], response: dict[str, Any]) -> bool:
    """An item's enableWhen / enableWhenExpression read as R4 and SDC say, against a response."""
    expressions = [e["valueExpression"]["expression"] for e in item.get("extension", [])
                   if e["url"] == ENABLE_WHEN_EXPRESSION]
    if expressions:
        return fhirpath_r4(response, expressions[0], {"resource": response}) == [True]
    if "enableWhen" not in item:
        return True

    def answers(link_id: str) -> list[dict[str, Any]]:
        def walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [a for i in items for a in (i.get("answer", []) if i["linkId"] == link_id else walk(i.get("item", [])))]
        return walk(response.get("item", []))

    def holds(term: dict[str, Any]) -> bool:
        given = answers(term["question"])
        if term["operator"] == "exists":
            return bool(given) is term["answerBoolean"]
        if "answerCoding" in term:
            wanted = term["answerCoding"]
            equal = [a["valueCoding"]["system"] == wanted["system"] and a["valueCoding"]["code"] == wanted["code"]
                     for a in given]
            return any(equal) if term["operator"] == "=" else not any(equal)
        numbers = [a["valueInteger"] for a in given]
        test = {"=": lambda v: v == term["answerInteger"], ">=": lambda v: v >= term["answerInteger"],
                "<=": lambda v: v <= term["answerInteger"]}[term["operator"]]
        return any(test(v) for v in numbers)

    results = [holds(term) for term in item["enableWhen"]]
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def assert_branching_matches(content, questionnaire: dict[str, Any], answers) -> None:
    """Every question FHIR enables is exactly one our flow shows, for these answers."""
    evaluation = Engine(content).evaluate(answers, "911")
    response = build_response(evaluation)
    for group in questionnaire["item"]:
        for item in group["item"]:
            question = content.questionnaire.by_id[item["linkId"]]
            fhir_says = enabled_by_fhir(group, response) and enabled_by_fhir(item, response)
            assert fhir_says is is_shown(question, evaluation.answers), (item["linkId"], dict(evaluation.answers))


# The definition

def test_the_questionnaire_is_valid_fhir_r4_with_every_question_code_and_scale(content):
    resource = build_questionnaire(content)
    Questionnaire.model_validate(resource)
    assert resource["url"] == DEFAULT_CANONICAL
    assert resource["version"] == content.ruleset.version
    items = {item["linkId"]: item for group in resource["item"] for item in group["item"]}
    assert list(items) == [q.id for q in content.questionnaire.questions]
    for question in content.questionnaire.questions:
        item = items[question.id]
        if question.type.value == "scale":
            assert item["type"] == "integer"
            bounds = {e["url"].rsplit("/", 1)[1]: e["valueInteger"] for e in item["extension"]}
            assert bounds == {"minValue": question.minimum, "maxValue": question.maximum}
        else:
            codings = [option["valueCoding"] for option in item["answerOption"]]
            assert [c["code"] for c in codings] == list(question.codes)
            assert {c["system"] for c in codings} == {FhirSettings().code_system(question)}
            assert item.get("repeats", False) is (question.type.value == "multiple")


def test_the_same_code_in_two_questions_lives_in_two_code_systems(content):
    settings = FhirSettings()
    by_id = content.questionnaire.by_id
    assert settings.code_system(by_id["symptoms"]) != settings.code_system(by_id["daily_impact"])  # both have 'pain'


def test_shipped_branching_is_plain_enable_when_and_means_what_the_flow_does(content):
    resource = build_questionnaire(content)
    Questionnaire.model_validate(resource)
    pump = next(group for group in resource["item"] if group["linkId"] == "page-pump")
    assert pump["enableWhen"][0]["question"] == "has_pump"  # said once, on the page's group
    for _name, raw in example_answers():
        assert_branching_matches(content, resource, parse_answers(content.questionnaire, raw))


NESTED_PAGE = """
  - id: third
    title: Third
    questions:
      - id: mild_only
        type: single
        text: Only when not severe?
        show_if: {not: {question: severity, at_least: 7}}
        options: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}]
      - id: mixed
        type: single
        text: Mixed?
        show_if:
          any:
            - all: [{question: has_pump, equals: "yes"}, {question: pump_symptoms, includes_all: [itching, fever]}]
            - {question: severity, between: [3, 5]}
        options: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}]
      - id: ranged
        type: single
        text: Ranged?
        show_if: {all: [{question: severity, between: [2, 8]}, {not: {question: pump_symptoms, includes_any: [none]}}]}
        options: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}]
"""


def test_conditions_enable_when_cannot_say_become_fhirpath_that_means_the_same(content_dir):
    target = content_dir()
    with (target / "questions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NESTED_PAGE)
    content = load_content(target)
    resource = build_questionnaire(content)
    Questionnaire.model_validate(resource)
    items = {item["linkId"]: item for group in resource["item"] for item in group["item"]}
    for link_id in ("mild_only", "mixed"):
        assert "enableWhen" not in items[link_id]
        assert [e["url"] for e in items[link_id]["extension"]].count(ENABLE_WHEN_EXPRESSION) == 1
    assert items["ranged"]["enableBehavior"] == "all"
    assert [t["operator"] for t in items["ranged"]["enableWhen"]] == [">=", "<=", "!="]
    for has_pump, symptoms, severity in itertools.product(
            ("yes", "no", None), (["itching", "fever"], ["fever"], ["none"], None), (None, 0, 2, 4, 7, 10)):
        raw = {"has_pump": has_pump, "pump_symptoms": symptoms, "severity": severity}
        assert_branching_matches(content, resource, parse_answers(content.questionnaire, raw))


def test_every_locale_becomes_a_translation_extension(content_dir):
    target = content_dir()
    (target / "locales").mkdir()
    (target / "locales" / "es.yaml").write_text(
        "language: es\nname: Español\nstrings:\n"
        f"  question.has_pump.text: {{text: \"¿Tiene una bomba?\", source: \"{source_hash('Do you have a pump?')}\"}}\n"
        f"  question.has_pump.option.yes: {{text: \"Sí\", source: \"{source_hash('Yes')}\"}}\n", encoding="utf-8")
    resource = build_questionnaire(load_content(target))
    Questionnaire.model_validate(resource)
    item = resource["item"][0]["item"][0]
    assert item["text"] == "Do you have a pump?"
    assert item["_text"]["extension"][0] == {"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [
        {"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Tiene una bomba?"}]}
    yes = item["answerOption"][0]["valueCoding"]
    assert (yes["display"], yes["_display"]["extension"][0]["extension"][1]["valueString"]) == ("Yes", "Sí")
    assert "_display" not in item["answerOption"][1]["valueCoding"]  # untranslated: English only


# Responses and the round trip

@pytest.mark.parametrize(("name", "raw"), example_answers(), ids=lambda value: str(value)[:60])
def test_each_response_validates_and_round_trips_to_identical_guidance(content, engine, name, raw):
    answers = parse_answers(content.questionnaire, raw)
    evaluation = engine.evaluate(answers, "911")
    response = build_response(evaluation)
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == f"{DEFAULT_CANONICAL}|{content.ruleset.version}"
    back = engine.evaluate(answers_from_response(content, json.loads(json.dumps(response))), "911")
    assert back.answers == evaluation.answers
    assert [(g.rule.id, g.text) for g in back.guidance] == [(g.rule.id, g.text) for g in evaluation.guidance]
    carried = [e for e in response["extension"] if e["url"].endswith("-guidance")]
    assert [e["extension"][0]["valueString"] for e in carried] == evaluation.fired()


def test_a_response_says_completed_only_when_every_shown_question_is_answered(content, engine):
    caregiver = EXAMPLES["A caregiver of someone with MS and severe stiffness"]
    full = engine.evaluate(parse_answers(content.questionnaire, caregiver), "911")
    assert build_response(full)["status"] == "completed"
    assert build_response(engine.evaluate({"has_pump": "no"}, "911"))["status"] == "in-progress"


# The web: download, API, resume

def test_a_person_downloads_their_answers_from_results(app, client):
    content = app.extensions["questionnaire"].content
    complete(client, NO_PUMP_MS)
    results = client.get("/results").get_data(as_text=True)
    assert 'href="/results/fhir"' in results and "Save my answers (file)" in results
    download = client.get("/results/fhir")
    assert download.status_code == 200
    assert download.mimetype == FHIR
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    response = json.loads(download.data)
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "completed"
    answers = answers_from_response(content, response)
    assert answers["conditions"] == frozenset({"ms"}) and answers["stiffness_severity"] == 8
    fired = [e["extension"][0]["valueString"] for e in response["extension"] if e["url"].endswith("-guidance")]
    assert fired == Engine(content).evaluate(answers, "911").fired()


def test_download_before_finishing_goes_where_results_would(client):
    client.post("/start")
    response = client.get("/results/fhir")
    assert response.status_code == 302 and response.location.endswith("/results")


def test_the_api_returns_a_response_and_imports_it_to_the_same_guidance(client):
    plain = client.post("/api/v1/evaluate", json={"answers": EXAMPLES["A pump user with itching and fever"]})
    as_fhir = client.post("/api/v1/evaluate", json={"answers": EXAMPLES["A pump user with itching and fever"]},
                          headers={"Accept": FHIR})
    assert as_fhir.mimetype == FHIR and as_fhir.headers["Cache-Control"] == "no-store"
    resource = json.loads(as_fhir.data)
    QuestionnaireResponse.model_validate(resource)
    imported = client.post("/api/v1/evaluate", data=json.dumps(resource), content_type=FHIR)
    assert imported.status_code == 200
    assert imported.get_json()["guidance"] == plain.get_json()["guidance"]
    assert imported.get_json()["highest_level"] == "emergency"


def post_fhir(client, resource):
    return client.post("/api/v1/evaluate", data=json.dumps(resource), content_type=FHIR)


def a_response(client) -> dict[str, Any]:
    return json.loads(client.post("/api/v1/evaluate", json={"answers": EXAMPLES["A pump user with itching and fever"]},
                                  headers={"Accept": FHIR}).data)


def test_a_response_to_another_questionnaire_is_refused_clearly(client):
    resource = a_response(client)
    resource["questionnaire"] = "http://loinc.org/q/44249-1|2.68"
    response = post_fhir(client, resource)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["question"] is None and "another questionnaire ('http://loinc.org/q/44249-1')" in error["message"]
    for broken in ({"resourceType": "Patient"}, {**resource, "questionnaire": None}, {**resource, "item": "x"},
                   {**resource, "status": "entered-in-error"}):
        reply = post_fhir(client, broken)
        assert reply.status_code == 400 and reply.get_json()["errors"][0]["message"], broken


def test_an_older_version_is_read_where_its_answers_still_fit(client, content):
    resource = a_response(client)
    resource["questionnaire"] = f"{DEFAULT_CANONICAL}|0.0.1"
    assert post_fhir(client, resource).status_code == 200
    resource["item"][0]["item"].append({"linkId": "pump_brand", "answer": [{"valueString": "Acme"}]})
    pump = next(group for group in resource["item"] if group["linkId"] == "page-pump")
    pump["item"][0]["answer"][0]["valueCoding"]["code"] = "morphine"
    response = post_fhir(client, resource)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert f"made with version 0.0.1 of the questionnaire; this is version {content.ruleset.version}" in errors[0]["message"]
    assert {e["question"] for e in errors[1:]} == {"pump_brand", "pump_medicine"}
    assert any("'morphine' is not an answer to 'pump_medicine'" in e["message"] for e in errors)


def test_the_canonical_url_is_a_setting(content):
    app = create_app({"TESTING": True, "EMERGENCY_NUMBER": "911", "FHIR_CANONICAL": "https://clinic.example/fhir/Questionnaire/itb"})
    client = app.test_client()
    definition = json.loads(client.get("/fhir/Questionnaire/itb").data)
    assert definition["url"] == "https://clinic.example/fhir/Questionnaire/itb" and definition["id"] == "itb"
    assert definition["item"][0]["item"][0]["answerOption"][0]["valueCoding"]["system"].startswith(
        "https://clinic.example/fhir/CodeSystem/itb-")
    ours = json.loads(client.post("/api/v1/evaluate", json={"answers": {"has_pump": "no"}}, headers={"Accept": FHIR}).data)
    assert ours["questionnaire"] == f"https://clinic.example/fhir/Questionnaire/itb|{content.ruleset.version}"


def test_get_fhir_questionnaire_and_the_cli_give_the_same_definition(client, runner):
    served = client.get("/fhir/Questionnaire/itb-conversation")
    assert served.status_code == 200 and served.mimetype == FHIR
    result = runner.invoke(args=["fhir", "export"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(served.data)
    Questionnaire.model_validate(json.loads(result.output))


@pytest.fixture
def csrf_client():
    return create_app({"TESTING": True, "EMERGENCY_NUMBER": "911"}).test_client()


def upload(client, data: bytes, name: str = "answers.fhir.json"):
    token = csrf_token(client.get("/").get_data(as_text=True))
    return client.post("/resume", data={"csrf_token": token, "response_file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_uploading_a_saved_file_on_the_start_page_resumes_at_check_your_answers(csrf_client):
    complete(csrf_client, PUMP_EMERGENCY, csrf=True)
    saved = csrf_client.get("/results/fhir").data
    fresh = create_app({"TESTING": True, "EMERGENCY_NUMBER": "911"}).test_client()  # another day, another browser
    start = fresh.get("/").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in start and '<label for="response_file">' in start
    response = upload(fresh, saved)
    assert response.status_code == 302 and response.location.endswith("/check?resumed=1")
    # The file reports warning signs: their advice comes first, then the answers to check.
    advice = fresh.get(response.location).get_data(as_text=True)
    assert 'href="tel:911"' in advice and f'href="{response.location}"' in advice
    check = fresh.get(response.location).get_data(as_text=True)
    assert "We filled in your answers from your file" in check
    assert "Itching all over with no rash" in check and "See my results" in check
    assert "Call 911 now" in re.sub(r"<[^>]+>", "", fresh.get("/results").get_data(as_text=True))  # 911: a tel: link


@pytest.mark.parametrize(("data", "message"), [
    (b"not json at all", "This is not a saved answers file"),
    (b'{"resourceType": "Patient"}', "We could not use the answers in this file"),
    (b'{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "' + DEFAULT_CANONICAL.encode()
     + b'|1", "item": []}', "This file has no answers in it"),
    (b"\xff\xfe\x00", "This is not a saved answers file"),
])
def test_a_bad_file_shows_the_start_page_with_an_error_summary(csrf_client, data, message):
    response = upload(csrf_client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in html and '<a href="#response_file">' in html and message in html
    assert "Your answers were cleared" in csrf_client.get("/check").get_data(as_text=True)  # nothing was saved


def test_an_upload_without_a_file_or_too_big_is_an_error_not_a_crash(csrf_client):
    token = csrf_token(csrf_client.get("/").get_data(as_text=True))
    empty = csrf_client.post("/resume", data={"csrf_token": token}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Choose the file with your saved answers" in empty.get_data(as_text=True)
    big = upload(csrf_client, b" " * (70 * 1024))
    assert big.status_code == 400 and "This file is too big" in big.get_data(as_text=True)
    stale = csrf_client.post("/resume", data={"response_file": (io.BytesIO(b"{}"), "a.json")},
                             content_type="multipart/form-data")
    assert stale.status_code == 400 and "open too long" in stale.get_data(as_text=True)


def test_the_download_carries_the_clinics_number_and_the_persons_language(client):
    complete(client, PUMP_EMERGENCY, start_at="/c/example-uk")
    response = json.loads(client.get("/results/fhir").data)
    emergency = [e for e in response["extension"] if e["url"].endswith("-guidance")
                 and {"url": "level", "valueCode": "emergency"} in e["extension"]]
    texts = [part["valueString"] for e in emergency for part in e["extension"] if part["url"] == "text"]
    assert texts and all("999" in text and "911" not in text for text in texts)
    client.get("/results?lang=es")
    spanish = json.loads(client.get("/results/fhir").data)
    QuestionnaireResponse.model_validate(spanish)
    assert spanish["language"] == "es" and spanish["item"] == response["item"]  # worded as the Questionnaire
    spanish_texts = [part["valueString"] for e in spanish["extension"] if e["url"].endswith("-guidance")
                     for part in e["extension"] if part["url"] == "text"]
    assert spanish_texts != [part["valueString"] for e in response["extension"] if e["url"].endswith("-guidance")
                             for part in e["extension"] if part["url"] == "text"]  # guidance as the person saw it


def test_the_fullest_possible_response_still_fits_the_upload_limit(app):
    """Every code of every question chosen, in every language: a person can always open their own file."""
    limit = app.config["MAX_CONTENT_LENGTH"] - 4096  # room for the multipart form around the file
    for language, (content, engine) in app.extensions["questionnaire"].by_language.items():
        answers = {}
        for question in content.questionnaire.questions:
            if question.type.value == "multiple":
                answers[question.id] = frozenset(code for code in question.codes if code != "none")
            else:
                answers[question.id] = question.maximum if question.type.value == "scale" else question.codes[0]
        with app.test_request_context():
            size = len(response_for(engine.evaluate(answers, "911")).get_data())
        assert size < limit, (language, size)


# Every saved file is worded as the Questionnaire it cites

def assert_worded_as_the_questionnaire(response: dict[str, Any], definition: dict[str, Any]) -> int:
    """Every item text and answer display in the response is the Questionnaire's own; returns the answers seen."""
    texts, displays = {}, {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            texts[item["linkId"]] = item.get("text")
            for option in item.get("answerOption", []):
                coding = option.get("valueCoding", {})
                displays[(coding.get("system"), coding.get("code"))] = coding.get("display")
            walk(item.get("item", []))

    walk(definition["item"])
    seen = 0

    def check(items: list[dict[str, Any]]) -> None:
        nonlocal seen
        for item in items:
            assert item.get("text", texts[item["linkId"]]) == texts[item["linkId"]], item["linkId"]
            for answer in item.get("answer", []):
                seen += 1
                coding = answer.get("valueCoding")
                if coding is not None:
                    key = (coding["system"], coding["code"])
                    assert key in displays, key
                    assert coding.get("display", displays[key]) == displays[key], (item["linkId"], coding)
            check(item.get("item", []))

    check(response["item"])
    return seen


CAREGIVER = EXAMPLES["A caregiver of someone with MS and severe stiffness"]


@pytest.mark.parametrize(("language", "raw", "perspective"), [
    ("es", CAREGIVER, "caregiver"), ("en", CAREGIVER, "caregiver"),
    ("es", EXAMPLES["A pump user with itching and fever"], "self"),
])
def test_spanish_and_caregiver_files_are_worded_as_the_questionnaire_and_keep_every_answer(
        app, client, language, raw, perspective):
    definition = json.loads(client.get("/fhir/Questionnaire/itb-conversation").data)
    sent = client.post(f"/api/v1/evaluate?lang={language}", json={"answers": raw, "language": language},
                       headers={"Accept": FHIR})
    response = json.loads(sent.data)
    QuestionnaireResponse.model_validate(response)
    assert response["language"] == language
    [carried] = [e["valueCode"] for e in response["extension"] if e["url"].endswith("-perspective")]
    assert carried == perspective
    content = app.extensions["questionnaire"].content
    shown = parse_answers(content.questionnaire, raw)
    evaluation = Engine(content).evaluate(shown, "911")
    answer_count = sum(len(v) if isinstance(v, frozenset) else 1 for v in evaluation.answers.values())
    assert assert_worded_as_the_questionnaire(response, definition) == answer_count
    back = post_fhir(client, response)  # the API reads it back, in the file's language
    assert back.status_code == 200 and back.headers["Content-Language"] == language
    plain = client.post("/api/v1/evaluate", json={"answers": raw, "language": language}).get_json()
    assert back.get_json()["guidance"] == plain["guidance"]


@pytest.mark.parametrize(("tag", "expected"), [("es-US", "es"), ("es-MX", "es"), ("es", "es"), ("en-GB", "en"),
                                               ("fr", "en")])
def test_a_files_regional_language_tag_is_read_as_our_language(client, tag, expected):
    resource = a_response(client)
    resource["language"] = tag
    reply = post_fhir(client, resource)
    assert reply.status_code == 200 and reply.headers["Content-Language"] == expected


def test_resume_opens_the_file_in_its_language(csrf_client):
    complete(csrf_client, PUMP_EMERGENCY, csrf=True)
    saved = json.loads(csrf_client.get("/results/fhir").data)
    saved["language"] = "es-MX"
    fresh = create_app({"TESTING": True, "EMERGENCY_NUMBER": "911"}).test_client()
    response = upload(fresh, json.dumps(saved).encode())
    assert response.status_code == 302
    check = fresh.get(response.location)
    assert '<html lang="es"' in check.get_data(as_text=True)


# Rendering that matches the app

R4_ITEM_CONTROLS = {"list", "table", "header", "footer", "inline", "prompt", "unit", "lower", "upper", "flyover",
                    "help", "autocomplete", "drop-down", "check-box", "lookup", "radio-button", "slider", "spinner",
                    "text-box"}  # http://hl7.org/fhir/R4/valueset-questionnaire-item-control.html


def all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [found for item in items for found in (item, *all_items(item.get("item", [])))]


def controls(item: dict[str, Any]) -> list[str]:
    return [e["valueCodeableConcept"]["coding"][0]["code"] for e in item.get("extension", [])
            if e["url"].endswith("questionnaire-itemControl")]


def test_item_controls_are_r4_codes_and_ask_as_the_app_does(content):
    resource = build_questionnaire(content)
    used = {code for item in all_items(resource["item"]) for code in controls(item)}
    assert used <= R4_ITEM_CONTROLS and "legend" not in used
    items = {item["linkId"]: item for item in all_items(resource["item"])}
    for question in content.questionnaire.questions:
        expected = {"single": ["radio-button"], "multiple": ["check-box"], "scale": []}[question.type.value]
        assert controls(items[question.id]) == expected, question.id


def test_scale_anchors_and_help_are_one_help_text_in_every_language(content):
    resource = build_questionnaire(content)
    items = {item["linkId"]: item for item in all_items(resource["item"])}
    for question in content.questionnaire.questions:
        if not (question.help or question.scale_labels):
            assert f"{question.id}-help" not in items
            continue
        shown = items[f"{question.id}-help"]
        assert controls(shown) == ["help"]
        lines = shown["text"].split("\n")
        assert lines == [question.help] * bool(question.help) + [
            f"{value} = {label}" for value, label in sorted(question.scale_labels.items())]
        for language, locale in content.locales.items():
            strings = locale.strings
            translated = [t for t in shown.get("_text", {}).get("extension", [])
                          if t["extension"][0]["valueCode"] == language]
            for value, _label in question.scale_labels.items():
                key = f"question.{question.id}.label.{value}"
                if key in strings:
                    assert f"{value} = {strings[key].text}" in translated[0]["extension"][1]["valueString"]


@pytest.mark.parametrize(("name", "raw"), example_answers(), ids=lambda value: str(value)[:60])
def test_a_page_shows_in_fhir_exactly_when_one_of_its_questions_does(content, name, raw):
    """No empty headings: a group is enabled only when the app's flow would show something on that page."""
    resource = build_questionnaire(content)
    evaluation = Engine(content).evaluate(parse_answers(content.questionnaire, raw), "911")
    response = build_response(evaluation)
    for page, group in zip(content.questionnaire.pages, resource["item"], strict=True):
        shown = any(is_shown(question, evaluation.answers) for question in page.questions)
        assert enabled_by_fhir(group, response) is shown, (page.id, name)


def test_none_with_other_answers_breaks_a_fhirpath_constraint(content):
    resource = build_questionnaire(content)
    items = {item["linkId"]: item for item in all_items(resource["item"])}
    checked = 0
    for question in content.questionnaire.questions:
        constraints = [e for e in items[question.id].get("extension", []) if e["url"].endswith("questionnaire-constraint")]
        if question.type.value != "multiple" or "none" not in question.codes:
            assert not constraints, question.id
            continue
        [constraint] = constraints
        parts = {part["url"]: next(v for k, v in part.items() if k.startswith("value")) for part in constraint["extension"]}
        assert parts["severity"] == "error" and question.label_for("none") in parts["human"]
        others = [code for code in question.codes if code != "none"]
        system = FhirSettings().code_system(question)
        for codes, holds in ((["none"], True), (["none", others[0]], False), (others[:2], True), ([], True)):
            answered = {"linkId": question.id, "answer": [{"valueCoding": {"system": system, "code": c}} for c in codes]}
            in_context = {"base": "QuestionnaireResponse.item", "expression": parts["expression"]}  # as SDC evaluates it
            assert fhirpath_r4(answered, in_context, {}) == [holds], (question.id, codes)
        checked += 1
    assert checked


def test_the_title_is_translated(app, client):
    resource = json.loads(client.get("/fhir/Questionnaire/itb-conversation").data)
    [spanish] = resource["_title"]["extension"]
    spanish_page = client.get("/?lang=es").get_data(as_text=True)
    assert spanish["extension"][1]["valueString"] in spanish_page and resource["title"] not in spanish_page


def test_files_saved_before_responses_were_worded_as_the_questionnaire_still_open(app, client):
    """Earlier versions wrote `display` and `item.text` in the person's language and perspective."""
    spanish, _ = app.extensions["questionnaire"].caregiver_by_language["es"]
    raw = EXAMPLES["A caregiver of someone with MS and severe stiffness"]
    response = fhir_file = json.loads(client.post("/api/v1/evaluate", json={"answers": raw, "language": "es"},
                                                  headers={"Accept": FHIR}).data)
    for group in fhir_file["item"]:
        for item in group["item"]:
            question = spanish.questionnaire.by_id[item["linkId"]]
            item["text"] = question.text
            for answer in item["answer"]:
                if "valueCoding" in answer:
                    answer["valueCoding"]["display"] = question.label_for(answer["valueCoding"]["code"])
    reply = post_fhir(client, response)
    plain = client.post("/api/v1/evaluate", json={"answers": raw, "language": "es"}).get_json()
    assert reply.status_code == 200 and reply.get_json()["guidance"] == plain["guidance"]
