"""OpenAPI 3 description of the JSON API, generated from the loaded questionnaire."""

from __future__ import annotations

import re
from typing import Any

from ...fhir.response import READABLE_STATUSES
from ...fhir.settings import FhirSettings
from ...model import NONE_CODE, Content, Level, Question, QuestionType, Topic


def _answer_schema(content: Content) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for question in content.questionnaire.questions:
        # null means unanswered, as if the question were left out.
        if question.type is QuestionType.SCALE:
            schema: dict[str, Any] = {"type": ["integer", "null"], "minimum": question.minimum,
                                      "maximum": question.maximum}
        elif question.type is QuestionType.SINGLE:
            schema = {"type": ["string", "null"], "enum": [*question.codes, None]}
        else:
            schema = {"type": ["array", "null"], "minItems": 1,  # a code listed twice counts once
                      "items": {"type": "string", "enum": list(question.codes)}}
            others = [code for code in question.codes if code != NONE_CODE]
            if len(others) < len(question.codes):  # "none" stands alone
                schema["anyOf"] = [{"type": "null"}, {"items": {"const": NONE_CODE}}, {"items": {"enum": others}}]
        schema["description"] = question.text
        properties[question.id] = schema
    return {"type": "object", "properties": properties, "additionalProperties": False,
            "description": "Answers by question id. Partial answers are fine; answers to questions hidden "
                           "by branching are ignored. In a multiple question \"none\" stands alone, a code listed twice "
                           "counts once, and null means unanswered."}


ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "array", "items": {
        "type": "object", "required": ["question", "message"],
        "properties": {"question": {"type": ["string", "null"]}, "message": {"type": "string"}},
    }}},
}


FHIR_JSON = "application/fhir+json"
FHIR_SCHEMAS: dict[str, Any] = {
    "OperationOutcome": {"type": "object", "required": ["resourceType", "issue"],
                         "properties": {"resourceType": {"const": "OperationOutcome"}},
                         "description": "A FHIR R4 OperationOutcome: every error under /fhir/."},
    "Questionnaire": {"type": "object", "required": ["resourceType", "url", "version", "item"],
                      "properties": {"resourceType": {"const": "Questionnaire"}},
                      "description": "A FHIR R4 Questionnaire; linkId = question id, see the README for the mapping."},
    "QuestionnaireResponse": {
        "type": "object", "required": ["resourceType", "questionnaire", "status"],
        "properties": {"resourceType": {"const": "QuestionnaireResponse"},
                       "questionnaire": {"type": "string", "description": "Our canonical URL|version"}},
        "description": "A FHIR R4 QuestionnaireResponse. Sent with Content-Type: application/fhir+json, its "
                       "answers are read (a response to another questionnaire gets 400). Returned for "
                       "Accept: application/fhir+json, with the guidance as extensions."},
}


ITEM_REF = {"$ref": "#/components/schemas/QuestionnaireResponseItem"}
NESTED = {"type": "array", "items": ITEM_REF}  # the API reads items nested in items and in answers


def _fhir_answers(question: Question, settings: FhirSettings) -> dict[str, Any]:
    """An item that answers `question`: its linkId, and answers that fit the question."""
    if question.type is QuestionType.SCALE:
        answer: dict[str, Any] = {"required": ["valueInteger"], "properties": {
            "valueInteger": {"type": "integer", "minimum": question.minimum, "maximum": question.maximum}}}
    else:
        answer = {"required": ["valueCoding"], "properties": {
            "valueCoding": {"type": "object", "required": ["code"], "properties": {
                "code": {"enum": list(question.codes)}, "system": {"const": settings.code_system(question)}}}}}
    answers: dict[str, Any] = {"minItems": 1, "items": answer}
    if question.type is not QuestionType.MULTIPLE:
        answers["maxItems"] = 1
    elif NONE_CODE in question.codes:  # "none" stands alone
        others = [code for code in question.codes if code != NONE_CODE]
        answers["anyOf"] = [{"items": {"properties": {"valueCoding": {"properties": {"code": {"const": NONE_CODE}}}}}},
                            {"items": {"properties": {"valueCoding": {"properties": {"code": {"enum": others}}}}}}]
    return {"required": ["linkId", "answer"], "properties": {"linkId": {"const": question.id}, "answer": answers}}


def fhir_item_schema(content: Content, settings: FhirSettings) -> dict[str, Any]:
    """One item of a QuestionnaireResponse: with no answers any linkId (a page group), else one of our questions."""
    return {
        "type": "object", "required": ["linkId"],
        "properties": {"linkId": {"type": "string"}, "item": NESTED,
                       "answer": {"type": "array", "items": {"type": "object", "properties": {"item": NESTED}}}},
        "anyOf": [{"properties": {"answer": {"maxItems": 0}}},
                  *(_fhir_answers(q, settings) for q in content.questionnaire.questions)],
    }


def _regex_literal(text: str) -> str:
    """`text` as a regular expression that means the same in ECMA 262 and Python."""
    return re.sub(r"([.^$*+?()\[\]{}|\\/])", r"\\\1", text)


def fhir_request_schema(settings: FhirSettings) -> dict[str, Any]:
    """A QuestionnaireResponse the API reads, as strictly as the API reads it.

    Two things a schema cannot say: a question is answered in one item only, and items nest at
    most a few levels deep; the API refuses a body that breaks either.
    """
    return {
        "type": "object", "required": ["resourceType", "questionnaire", "status"],
        "properties": {
            "resourceType": {"const": "QuestionnaireResponse"},
            "questionnaire": {"type": "string", "pattern": f"^{_regex_literal(settings.canonical)}(\\|[\\s\\S]*)?$",
                              "description": "Our canonical URL|version"},
            "status": {"enum": list(READABLE_STATUSES)},
            "item": NESTED,
        },
        "description": "A FHIR R4 QuestionnaireResponse to our questionnaire, sent with Content-Type: "
                       "application/fhir+json: its answers are read, each question answered in one item.",
    }


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}


CLINIC = {
    "type": "object", "description": "The clinic's contact block, when the request named a clinic.",
    "required": ["slug", "name", "phone", "address", "country", "emergency_number", "example"],
    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "phone": {"type": "string"},
                   "address": {"type": "string"}, "website": {"type": ["string", "null"]},
                   "hours": {"type": ["string", "null"]}, "country": {"type": "string"},
                   "emergency_number": {"type": "string"}, "example": {"type": "boolean"}},
}


def openapi_document(content: Content, languages: list[str] | None = None,
                     fhir: FhirSettings | None = None) -> dict[str, Any]:
    languages = languages or [content.language]
    fhir = fhir or FhirSettings()
    ruleset = content.ruleset
    guidance_item = {
        "type": "object",
        "required": ["rule", "level", "topic", "title", "text", "because"],
        "properties": {
            "rule": {"type": "string"},
            "level": {"type": "string", "enum": [level.value for level in Level]},
            "topic": {"type": "string", "enum": [topic.value for topic in Topic]},
            "title": {"type": "string"},
            "text": {"type": "string"},
            "because": {"type": "array", "items": {
                "type": "object", "required": ["question", "answer", "text"],
                "properties": {"question": {"type": "string"}, "answer": {}, "text": {"type": "string"}}}},
        },
    }
    evaluation = {
        "type": "object",
        "required": ["ruleset", "highest_level", "guidance", "disclaimer"],
        "properties": {
            "ruleset": {"type": "object", "required": ["version", "sha256"],
                        "properties": {"version": {"type": "string"}, "sha256": {"type": "string"}}},
            "highest_level": {"type": ["string", "null"], "enum": [level.value for level in Level] + [None]},
            "guidance": {"type": "array", "items": guidance_item,
                         "description": "Ordered emergency, urgent, discuss, info."},
            "answers": {"type": "object", "description": "The answers that were used, after branching."},
            "disclaimer": {"type": "string"},
            "language": {"type": "string", "description": "The language the text is in."},
            "clinic": CLINIC,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Intrathecal therapy conversation questionnaire",
            "version": ruleset.version,
            "description": "Guidance on what to talk about with a provider. Not a diagnosis and never a "
                           "decision about eligibility. Nothing sent is stored or logged.",
        },
        "paths": {
            "/api/v1/questionnaire": {"get": {
                "summary": "The questions, answer codes and branching",
                "responses": {"200": {"description": "The questionnaire",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
            "/fhir/Questionnaire/{id}": {"get": {
                "summary": "The questionnaire as a FHIR R4 Questionnaire (also: flask fhir export); the rest of "
                           "the read-only FHIR server is described by GET /fhir/metadata",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "The last segment of FHIR_CANONICAL (itb-conversation by default)"}],
                "responses": {"200": {"description": "The Questionnaire resource", "content": {
                    FHIR_JSON: {"schema": {"$ref": "#/components/schemas/Questionnaire"}}}},
                              "404": {"description": "Another id", "content": {
                                  FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}}}},
            }},
            "/api/v1/evaluate": {"post": {
                "summary": "Guidance for a set of answers",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["answers"], "additionalProperties": False,
                    "properties": {"answers": {"$ref": "#/components/schemas/Answers"},
                                   "clinic": {"type": "string", **({"enum": sorted(content.clinics)} if content.clinics
                                                                   else {}),
                                              "description": "A clinic's slug: its emergency number goes in "
                                                             "the guidance and its contact block comes back."},
                                   "language": {"type": "string", "enum": languages,
                                                "description": "Language of the guidance; without it, "
                                                               "the Accept-Language header decides."}}}},
                    FHIR_JSON: {"schema": {"$ref": "#/components/schemas/QuestionnaireResponseBody"}}}},
                "responses": {
                    "200": {"description": "Guidance, most pressing first",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Evaluation"}},
                                        FHIR_JSON: {"schema": {"$ref": "#/components/schemas/QuestionnaireResponse"}}}},
                    "400": _error("Invalid JSON, answers that do not fit the questionnaire, or an unknown clinic"),
                    "413": _error("The body is over 64 KB"),
                    "415": _error("The body is not sent as application/json"),
                },
            }},
        },
        "components": {"schemas": {"Answers": _answer_schema(content), "Evaluation": evaluation, "Errors": ERRORS,
                                   "QuestionnaireResponseBody": fhir_request_schema(fhir),
                                   "QuestionnaireResponseItem": fhir_item_schema(content, fhir), **FHIR_SCHEMAS}},
    }
