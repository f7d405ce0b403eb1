"""A minimal read-only FHIR R4 server under /fhir: metadata, the Questionnaire, its terminology, `$evaluate`.

Nothing is stored: every resource is built from the loaded content, and a posted response is read,
evaluated and forgotten. Errors are OperationOutcomes (the app's error handler asks `outcome_response`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for
from werkzeug.wrappers import Response

from ...errors import AnswerError
from ...fhir import FHIR_MEDIA_TYPE, build_questionnaire, build_response, response_language
from ...fhir.rest import Problem, capability_statement, operation_outcome, searchset
from ...fhir.terminology import (
    build_code_system,
    build_evaluate_operation,
    build_structure_definitions,
    code_system_id,
    coded_questions,
)
from ..http.language import browser_language
from ..http.security import no_store
from ..state import emergency_number, languages, served
from . import fhir

bp = Blueprint("fhir_server", __name__, url_prefix="/fhir")
SEARCH_PARAMETERS = frozenset({"url", "version", "_id", "_language", "_format", "_pretty"})
STARTED = date.today().isoformat()  # the CapabilityStatement's date when the content has no release date


def outcome_response(status: int, problems: list[Problem]) -> Response:
    """An OperationOutcome as the body of an error, with `expression` at the item where a problem names one."""
    body = operation_outcome(status, problems, fhir.base_content())
    response = fhir.fhir_json(body, compact=True)
    response.status_code = status
    return no_store(response)


def _not_found(what: str) -> Response:
    return outcome_response(404, [(None, f"There is no {what[:100]} here.")])


def _language() -> str | None:
    """`?_language=` when given, else Accept-Language; `es-US` or `es-MX` is `es`. None: English with translations."""
    served_languages = languages()
    asked = request.args.get("_language")
    if asked is not None:
        return response_language({"language": asked}, served_languages)
    if "Accept-Language" not in request.headers:
        return None
    chosen = response_language({"language": browser_language(served_languages)}, served_languages)
    return chosen if chosen != served_languages[0] else None


def _questionnaire() -> dict[str, Any]:
    return build_questionnaire(fhir.base_content(), fhir.settings(), fhir.publication(), _language())


def _cacheable(resource: dict[str, Any]) -> Response:
    """A resource that changes only with the content: an ETag by version and body, revalidated on each use."""
    response = fhir.fhir_json(resource)
    version = str(resource.get("version", "")).replace('"', "")
    response.set_etag(f"{version}-{hashlib.sha256(response.get_data()).hexdigest()[:16]}", weak=True)
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Language")
    if "language" in resource:
        response.headers["Content-Language"] = resource["language"]
    return response.make_conditional(request)


@bp.get("/metadata")
def metadata() -> Response:
    content, settings, publication = fhir.base_content(), fhir.settings(), fhir.publication()
    statement = capability_statement(content, settings, publication, publication.date or STARTED,
                                     url_for("fhir_server.metadata", _external=True).rsplit("/", 1)[0],
                                     content.ruleset.version)
    return _cacheable(statement)


@bp.get("/Questionnaire/<resource_id>")
def read_questionnaire(resource_id: str) -> Response:
    if resource_id != fhir.settings().questionnaire_id:
        return _not_found(f"Questionnaire/{resource_id}")
    return _cacheable(_questionnaire())


@bp.get("/Questionnaire")
def search_questionnaire() -> Response:
    """A searchset Bundle: our Questionnaire when `url`, `version` and `_id` (all optional) match it."""
    settings = fhir.settings()
    resource = _questionnaire()
    url = request.args.get("url")
    version = request.args.get("version")
    if url is not None and "|" in url:  # a canonical with its version
        url, version = url.split("|", 1)
    matches = ((url is None or url == resource["url"]) and (version is None or version == resource["version"])
               and request.args.get("_id", settings.questionnaire_id) == settings.questionnaire_id)
    full_url = url_for("fhir_server.read_questionnaire", resource_id=settings.questionnaire_id, _external=True)
    ignored = sorted(name for name in request.args if name not in SEARCH_PARAMETERS)
    bundle = searchset(request.url, [(full_url, resource)] if matches else [], ignored)
    response = fhir.fhir_json(bundle)
    response.vary.add("Accept-Language")
    return response


@bp.get("/CodeSystem/<resource_id>")
def read_code_system(resource_id: str) -> Response:
    """By logical id (`itb-conversation-has-pump`) or by the canonical's last segment (`...-has_pump`)."""
    content, settings = fhir.base_content(), fhir.settings()
    for question in coded_questions(content):
        if resource_id in (code_system_id(settings, question), settings.code_system(question).rsplit("/", 1)[1]):
            return _cacheable(build_code_system(content, question, settings, fhir.publication()))
    return _not_found(f"CodeSystem/{resource_id}")


@bp.get("/StructureDefinition/<resource_id>")
def read_structure_definition(resource_id: str) -> Response:
    found = build_structure_definitions(fhir.base_content(), fhir.settings(), fhir.publication()).get(resource_id)
    return _cacheable(found) if found else _not_found(f"StructureDefinition/{resource_id}")


@bp.get("/OperationDefinition/<resource_id>")
def read_operation_definition(resource_id: str) -> Response:
    operation = build_evaluate_operation(fhir.base_content(), fhir.settings(), fhir.publication())
    return _cacheable(operation) if resource_id == operation["id"] else _not_found(f"OperationDefinition/{resource_id}")


@bp.post("/QuestionnaireResponse/$evaluate")
def evaluate() -> Response:
    """The posted QuestionnaireResponse again, with the guidance as extensions, in its language."""
    if request.mimetype not in (FHIR_MEDIA_TYPE, "application/json"):
        return outcome_response(415, [(None, "Send a QuestionnaireResponse as JSON with Content-Type: "
                                             "application/fhir+json.")])
    try:
        resource = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        return outcome_response(400, [(None, "The body is not valid JSON.")])
    try:
        answers = fhir.read_response(resource)
    except AnswerError as exc:
        return outcome_response(400, list(exc.problems))
    served_languages = languages()
    language = response_language(resource, served_languages) or _language() or served_languages[0]
    _, worded = served(answers, language)
    evaluation = worded.evaluate(answers, emergency_number=emergency_number(None))
    response = fhir.fhir_json(build_response(evaluation, fhir.settings(), base=fhir.base_content()), compact=True)
    response.headers["Content-Language"] = language
    return no_store(response)
