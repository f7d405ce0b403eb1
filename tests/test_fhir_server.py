"""The read-only FHIR server under /fhir: metadata, read and search, terminology at the URLs the resources cite,
`$evaluate`, OperationOutcome errors, language, caching and CORS (only on the public endpoints)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationdefinition import OperationDefinition
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.structuredefinition import StructureDefinition

from app import create_app
from questionnaire.model import QuestionType
from tests.fhirpath import fhirpath_r4
from tests.test_fhir import EXAMPLES

FHIR = "application/fhir+json"
LOCAL_CANONICAL = "http://localhost/fhir/Questionnaire/itb-conversation"  # the test client's own origin
QUESTIONNAIRE = "/fhir/Questionnaire/itb-conversation"
CAREGIVER = EXAMPLES["A caregiver of someone with MS and severe stiffness"]
PUMP = EXAMPLES["A pump user with itching and fever"]


@pytest.fixture
def local():
    """An app whose canonical base is the app itself, so every URL the resources cite can be fetched from it."""
    return create_app({"TESTING": True, "EMERGENCY_NUMBER": "911", "FHIR_CANONICAL": LOCAL_CANONICAL}).test_client()


def body(response) -> dict[str, Any]:
    assert response.mimetype == FHIR, (response.status_code, response.data[:200])
    return json.loads(response.data)


def outcome(response, status: int, code: str) -> list[dict[str, Any]]:
    assert response.status_code == status, response.data[:300]
    resource = body(response)
    OperationOutcome.model_validate(resource)
    assert {issue["code"] for issue in resource["issue"]} == {code}
    assert all(issue["severity"] == "error" and issue["diagnostics"] for issue in resource["issue"])
    return resource["issue"]


def fhir_response(client, raw: dict[str, Any], language: str = "en") -> dict[str, Any]:
    return json.loads(client.post("/api/v1/evaluate", json={"answers": raw, "language": language},
                                  headers={"Accept": FHIR}).data)


def test_metadata_is_a_capability_statement_naming_what_is_served(client):
    statement = body(client.get("/fhir/metadata"))
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    [rest] = statement["rest"]
    assert rest["security"]["cors"] is True
    by_type = {resource["type"]: resource for resource in rest["resource"]}
    assert {"read", "search-type"} <= {i["code"] for i in by_type["Questionnaire"]["interaction"]}
    assert {p["name"] for p in by_type["Questionnaire"]["searchParam"]} >= {"url", "version"}
    assert [o["name"] for o in by_type["QuestionnaireResponse"]["operation"]] == ["evaluate"]


def test_the_canonical_resolves_to_the_questionnaire_and_other_ids_are_a_fhir_404(app, client):
    resource = body(client.get(QUESTIONNAIRE))
    Questionnaire.model_validate(resource)
    version = app.extensions["questionnaire"].content.ruleset.version
    assert resource["id"] == "itb-conversation" and resource["version"] == version
    outcome(client.get("/fhir/Questionnaire/something-else"), 404, "not-found")
    outcome(client.get("/fhir/Patient/1"), 404, "not-found")


def test_a_local_canonical_is_the_address_the_questionnaire_is_read_from(local):
    resource = body(local.get(LOCAL_CANONICAL.removeprefix("http://localhost")))
    assert resource["url"] == LOCAL_CANONICAL


@pytest.mark.parametrize(("query", "found"), [
    ("", 1), ("?url={url}", 1), ("?url={url}&version={version}", 1), ("?url={url}%7C{version}", 1),
    ("?version=0.0.0", 0), ("?url=http://loinc.org/q/1", 0), ("?_id=itb-conversation", 1), ("?_id=other", 0),
])
def test_search_is_a_searchset_bundle_of_what_matches(app, client, query, found):
    content = app.extensions["questionnaire"].content
    url = "https://example.org/fhir/Questionnaire/itb-conversation"
    bundle = body(client.get("/fhir/Questionnaire" + query.format(url=url, version=content.ruleset.version)))
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset" and bundle["total"] == found
    entries = bundle.get("entry", [])
    assert len(entries) == found
    for entry in entries:
        assert entry["fullUrl"].endswith(QUESTIONNAIRE) and entry["search"]["mode"] == "match"
        assert entry["resource"] == body(client.get(QUESTIONNAIRE))


def test_an_unsupported_search_parameter_is_named_not_silently_dropped(client):
    bundle = body(client.get("/fhir/Questionnaire?title=x"))
    Bundle.model_validate(bundle)
    assert bundle["total"] == 1
    [warning] = [e for e in bundle["entry"] if e["search"]["mode"] == "outcome"]
    assert "'title' is not supported" in warning["resource"]["issue"][0]["diagnostics"]


def test_the_questionnaire_is_cached_by_version_and_revalidated_with_its_etag(app, client):
    first = client.get(QUESTIONNAIRE)
    tag = first.headers["ETag"]
    version = app.extensions["questionnaire"].content.ruleset.version
    assert tag.startswith(f'W/"{version}-') and first.headers["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in first.headers["Vary"]
    again = client.get(QUESTIONNAIRE, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    spanish = client.get(QUESTIONNAIRE + "?_language=es", headers={"If-None-Match": tag})
    assert spanish.status_code == 200 and spanish.headers["ETag"] != tag  # another language, another tag
    assert client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(fhir_response(client, PUMP)),
                       content_type=FHIR).headers["Cache-Control"] == "no-store"  # answers are never cached


@pytest.mark.parametrize(("query", "headers"), [
    ("?_language=es", {}), ("", {"Accept-Language": "es-US,es;q=0.9"}), ("", {"Accept-Language": "es-MX"}),
    ("?_language=es-US", {"Accept-Language": "en"}),
])
def test_renderers_without_translation_support_can_ask_for_spanish(app, client, query, headers):
    reply = client.get(QUESTIONNAIRE + query, headers=headers)
    resource = body(reply)
    Questionnaire.model_validate(resource)
    spanish = app.extensions["questionnaire"].by_language["es"][0]
    assert resource["language"] == "es" and reply.headers["Content-Language"] == "es"
    texts = {item["linkId"]: item["text"] for group in resource["item"] for item in group["item"]}
    assert texts == {q.id: q.text for q in spanish.questionnaire.questions}
    assert "_text" not in json.dumps(resource) and resource["title"] != body(client.get(QUESTIONNAIRE))["title"]


def test_without_a_language_the_questionnaire_is_english_with_every_translation(client):
    resource = body(client.get(QUESTIONNAIRE, headers={"Accept-Language": "en-GB"}))
    assert resource == body(client.get(QUESTIONNAIRE))
    assert resource["language"] == "en" and resource["_title"]["extension"][0]["extension"][0]["valueCode"] == "es"


# $evaluate

@pytest.mark.parametrize(("raw", "language"), [(PUMP, "en"), (CAREGIVER, "es"), (CAREGIVER, "en")])
def test_evaluate_returns_the_response_with_the_guidance_the_api_gives(client, raw, language):
    posted = fhir_response(client, raw, language)
    reply = client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(posted), content_type=FHIR)
    assert reply.status_code == 200 and reply.headers["Content-Language"] == language
    resource = body(reply)
    QuestionnaireResponse.model_validate(resource)
    assert resource["item"] == posted["item"] and resource["language"] == language
    guidance = [e for e in resource["extension"] if e["url"].endswith("-guidance")]
    plain = client.post("/api/v1/evaluate", json={"answers": raw, "language": language}).get_json()["guidance"]
    texts = [next(p["valueString"] for p in e["extension"] if p["url"] == "text") for e in guidance]
    assert texts == [g["text"] for g in plain]


def test_evaluate_takes_plain_json_and_the_language_asked_for_when_the_file_has_none(client):
    posted = fhir_response(client, PUMP)
    del posted["language"]
    reply = client.post("/fhir/QuestionnaireResponse/$evaluate?_language=es", json=posted)
    assert reply.status_code == 200 and reply.headers["Content-Language"] == "es"


def test_an_answer_that_does_not_fit_is_an_outcome_pointing_at_its_item(client):
    posted = fhir_response(client, PUMP)
    pump = next(group for group in posted["item"] if group["linkId"] == "page-pump")
    medicine = next(item for item in pump["item"] if item["linkId"] == "pump_medicine")
    medicine["answer"][0]["valueCoding"]["code"] = "morphine"
    posted["item"][0]["item"].append({"linkId": "pump_brand", "answer": [{"valueString": "Acme"}]})
    issues = outcome(client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(posted), content_type=FHIR),
                     400, "invalid")
    located = {}
    for issue in issues:
        for expression in issue.get("expression", []):
            found = fhirpath_r4(posted, expression, {})
            assert len(found) == 1, expression  # the expression finds exactly the item
            located[found[0]["linkId"]] = issue["diagnostics"]
    assert set(located) == {"pump_medicine", "pump_brand"}
    assert "'morphine' is not an answer to 'pump_medicine'" in located["pump_medicine"]


@pytest.mark.parametrize(("data", "content_type", "status", "code"), [
    (b"{not json", FHIR, 400, "invalid"),
    (b'{"resourceType": "Patient"}', FHIR, 400, "invalid"),
    (b"[1, 2]", FHIR, 400, "invalid"),
    (b"answers", "text/plain", 415, "not-supported"),
    (b'{"a": "' + b"x" * (70 * 1024) + b'"}', FHIR, 413, "too-costly"),
])
def test_every_bad_evaluate_request_is_an_operation_outcome(client, data, content_type, status, code):
    outcome(client.post("/fhir/QuestionnaireResponse/$evaluate", data=data, content_type=content_type), status, code)


def test_a_wrong_method_is_a_405_outcome_that_says_what_is_allowed(client):
    reply = client.delete(QUESTIONNAIRE)
    outcome(reply, 405, "not-supported")
    assert "GET" in reply.headers["Allow"]
    outcome(client.get("/fhir/QuestionnaireResponse/$evaluate"), 405, "not-supported")


# Terminology and definitions at the URLs the resources cite

def cited_urls(resource: Any, prefix: str) -> set[str]:
    return set(re.findall(rf'"({re.escape(prefix)}[^"|]+)', json.dumps(resource)))


def test_every_code_system_the_questionnaire_cites_is_served_with_its_codes(local, app):
    content = app.extensions["questionnaire"].content
    questionnaire = body(local.get(QUESTIONNAIRE))
    systems = cited_urls(questionnaire, "http://localhost/fhir/CodeSystem/")
    coded = [q for q in content.questionnaire.questions if q.type is not QuestionType.SCALE]
    assert len(systems) == len(coded)
    for question in coded:
        system = next(option["valueCoding"]["system"] for group in questionnaire["item"] for item in group["item"]
                      if item["linkId"] == question.id for option in item["answerOption"])
        served = body(local.get(system.removeprefix("http://localhost")))
        CodeSystem.model_validate(served)
        assert served["url"] == system and served["content"] == "complete"
        assert [c["code"] for c in served["concept"]] == list(question.codes)
        assert [c["display"] for c in served["concept"]] == [o.label for o in question.options]
        assert body(local.get(f"/fhir/CodeSystem/{served['id']}")) == served  # by logical id too
    outcome(local.get("/fhir/CodeSystem/itb-conversation-nothing"), 404, "not-found")


def test_every_extension_a_response_carries_is_defined_where_its_url_points(local):
    response = fhir_response(local, CAREGIVER)
    urls = cited_urls(response, "http://localhost/fhir/StructureDefinition/")
    assert urls == {e["url"] for e in response["extension"]}
    for url in urls:
        definition = body(local.get(url.removeprefix("http://localhost")))
        StructureDefinition.model_validate(definition)
        assert definition["url"] == url and definition["type"] == "Extension"
        slices = {e["sliceName"] for e in definition["differential"]["element"] if "sliceName" in e}
        for carried in (e for e in response["extension"] if e["url"] == url):
            assert {part["url"] for part in carried.get("extension", [])} <= slices
            if not slices:
                [value] = [e for e in definition["differential"]["element"] if e["id"] == "Extension.value[x]"]
                assert f"value{value['type'][0]['code'].capitalize()}" in carried
    outcome(local.get("/fhir/StructureDefinition/itb-conversation-nothing"), 404, "not-found")


def test_the_evaluate_operation_is_defined_where_the_capability_statement_says(local):
    statement = body(local.get("/fhir/metadata"))
    [rest] = statement["rest"]
    [operation] = [o for r in rest["resource"] for o in r.get("operation", [])]
    definition = body(local.get(operation["definition"].removeprefix("http://localhost")))
    OperationDefinition.model_validate(definition)
    assert definition["code"] == "evaluate" and definition["resource"] == ["QuestionnaireResponse"]


def test_the_questionnaire_carries_profiles_narrative_and_publication_details(client):
    resource = body(client.get(QUESTIONNAIRE))
    assert "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire" in resource["meta"]["profile"]
    assert resource["text"]["status"] == "generated" and resource["text"]["div"].startswith("<div xmlns=")
    assert resource["publisher"] and resource["copyright"] and resource["experimental"] is True
    changelog = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    dated = re.search(rf"^### {re.escape(resource['version'])} - (\S+)", changelog, re.MULTILINE)
    assert resource.get("date") == (dated.group(1) if dated else None)


# CORS: the public endpoints only

PUBLIC = [("get", "/fhir/metadata"), ("get", QUESTIONNAIRE), ("get", "/fhir/Questionnaire"),
          ("get", "/api/v1/questionnaire"), ("get", "/api/v1/openapi.json"), ("get", "/fhir/nothing")]
PRIVATE = ["/", "/check", "/results", "/questions", "/review/", "/staff/clinics/", "/c/example-uk"]


@pytest.mark.parametrize(("method", "path"), PUBLIC)
def test_public_endpoints_allow_any_origin_without_credentials(client, method, path):
    reply = getattr(client, method)(path, headers={"Origin": "https://portal.clinic.example"})
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in reply.headers and "Set-Cookie" not in reply.headers


@pytest.mark.parametrize("path", ["/fhir/QuestionnaireResponse/$evaluate", "/api/v1/evaluate", QUESTIONNAIRE])
def test_a_preflight_for_a_public_endpoint_is_answered(client, path):
    reply = client.options(path, headers={"Origin": "https://portal.clinic.example",
                                          "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "content-type"})
    assert reply.status_code == 204 and reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert "content-type" in reply.headers["Access-Control-Allow-Headers"].lower()
    posted = client.post("/api/v1/evaluate", json={"answers": PUMP}, headers={"Origin": "https://portal.clinic.example"})
    assert posted.status_code == 200 and posted.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", PRIVATE)
def test_patient_staff_and_review_pages_get_no_cors_headers(client, path):
    for reply in (client.get(path, headers={"Origin": "https://portal.clinic.example"}),
                  client.options(path, headers={"Origin": "https://portal.clinic.example",
                                                "Access-Control-Request-Method": "GET"})):
        assert not any(name.lower().startswith("access-control-") for name, _ in reply.headers.items()), path


def test_a_language_asked_of_the_fhir_server_sets_no_cookie(client):
    for reply in (client.get(QUESTIONNAIRE + "?lang=es&_language=es"), client.get("/fhir/metadata?lang=es")):
        assert "Set-Cookie" not in reply.headers


MODELS = {"Questionnaire": Questionnaire, "CodeSystem": CodeSystem, "StructureDefinition": StructureDefinition,
          "OperationDefinition": OperationDefinition}


def test_flask_fhir_publish_writes_every_resource_the_server_serves(app, runner, tmp_path, client):
    result = runner.invoke(args=["fhir", "publish", str(tmp_path)])
    assert result.exit_code == 0, result.output
    content = app.extensions["questionnaire"].content
    files = sorted(tmp_path.glob("*.json"))
    coded = [q for q in content.questionnaire.questions if q.type is not QuestionType.SCALE]
    kinds = [path.name.split("-", 1)[0] for path in files]
    assert kinds.count("CodeSystem") == len(coded) and kinds.count("Questionnaire") == 1
    for path in files:
        resource = json.loads(path.read_text(encoding="utf-8"))
        MODELS[resource["resourceType"]].model_validate(resource)
        assert body(client.get(f"/fhir/{resource['resourceType']}/{resource['id']}")) == resource


def test_a_whole_number_written_as_7_point_0_is_7_in_a_fhir_file_too_and_a_fraction_is_refused(client):
    # JSON Schema (and so the OpenAPI document) calls 7.0 an integer; schemathesis sends it.
    posted = fhir_response(client, CAREGIVER)
    def items(holder):
        for item in holder.get("item", []):
            yield item
            yield from items(item)
    scale = next(item for item in items(posted) if item["linkId"] == "stiffness_severity")
    as_int = body(client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(posted), content_type=FHIR))
    scale["answer"][0]["valueInteger"] = 7.0
    as_float = body(client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(posted), content_type=FHIR))
    assert as_float["extension"] == as_int["extension"]
    scale["answer"][0]["valueInteger"] = 7.5
    [issue] = outcome(client.post("/fhir/QuestionnaireResponse/$evaluate", data=json.dumps(posted), content_type=FHIR),
                      400, "invalid")
    assert "whole number" in issue["diagnostics"]
