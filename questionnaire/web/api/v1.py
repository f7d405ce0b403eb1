"""The JSON API: the same validation and engine as the web flow, stateless, no CSRF."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ...answers import parse_answers
from ...clinics import clinic_to_json
from ...engine import evaluation_to_json
from ...errors import MAX_PROBLEMS, AnswerError, shorten
from ...fhir import FHIR_MEDIA_TYPE
from ..flow.clinics import unknown_clinic_message
from ..http.language import stateless_language
from ..state import base_content, emergency_number, find_clinic, languages, served
from ..state import person_content as content
from . import fhir
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(status: int, problems: list[tuple[str | None, str]], more: int = 0) -> ResponseReturnValue:
    """The one error shape: {"errors": [{"question": id or null, "message": text}]}, at most 20 and "and N more"."""
    more += max(0, len(problems) - MAX_PROBLEMS)
    shown = [{"question": None if question is None else shorten(question), "message": message}
             for question, message in problems[:MAX_PROBLEMS]]
    if more:
        shown.append({"question": None, "message": f"... and {more} more problem{'s' if more != 1 else ''} "
                                                   f"(the first {MAX_PROBLEMS} are listed)"})
    return jsonify({"errors": shown}), status


@bp.get("/questionnaire")
def questionnaire() -> ResponseReturnValue:
    return jsonify(questionnaire_to_json())


def questionnaire_to_json() -> dict[str, Any]:
    loaded = content()
    pages = []
    for page in loaded.questionnaire.pages:
        questions = []
        for question in page.questions:
            item: dict[str, Any] = {"id": question.id, "type": question.type.value, "text": question.text}
            if question.help:
                item["help"] = question.help
            if question.options:
                item["options"] = [{"code": o.code, "label": o.label} for o in question.options]
            if question.minimum is not None:
                item["min"], item["max"] = question.minimum, question.maximum
                item["labels"] = {str(k): v for k, v in sorted(question.scale_labels.items())}
            if question.show_if is not None:
                item["show_if"] = sorted(question.show_if.question_ids())
            questions.append(item)
        pages.append({"id": page.id, "title": page.title, "questions": questions})
    ruleset = loaded.ruleset
    return {"ruleset": {"version": ruleset.version, "sha256": ruleset.sha256}, "pages": pages}


@bp.post("/evaluate")
def evaluate() -> ResponseReturnValue:
    if not request.is_json:
        return error_response(415, [(None, "Send the body as JSON with Content-Type: application/json")])
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return error_response(400, [(None, "The body is not valid JSON")])
    if not isinstance(body, dict):
        return error_response(400, [(None, "The body must be a JSON object like {\"answers\": {...}}")])
    if request.mimetype == FHIR_MEDIA_TYPE:  # a QuestionnaireResponse: read its answers, then as any other body
        try:
            body = fhir.as_api_body(body)
        except AnswerError as exc:
            return error_response(400, list(exc.problems), exc.more)
    unknown = sorted(key for key in body if key not in ("answers", "language", "clinic"))
    if unknown:
        return error_response(400, [(None, f"Unknown field '{shorten(unknown[0])}'; the body holds only 'answers' "
                                           f"and, optionally, 'language' and 'clinic'")])
    if "answers" not in body:
        return error_response(400, [(None, "Missing 'answers': an object mapping question ids to answers")])
    clinic = find_clinic(body.get("clinic"))
    if "clinic" in body and clinic is None:
        return error_response(400, [(None, unknown_clinic_message(body["clinic"]))])
    served_languages = languages()
    if "language" in body:
        language = body["language"]
    else:  # the clinic's, else ?lang=, else Accept-Language; the API has no session to remember one in
        language = clinic.language if clinic else stateless_language(served_languages)
    if language not in served_languages:
        return error_response(400, [(None, f"Unknown language {str(language)[:20]!r}. Valid languages: "
                                           f"{', '.join(served_languages)}")])
    try:
        # Ids and codes are the same in every language and perspective: check against the loaded content.
        answers = parse_answers(base_content().questionnaire, body["answers"])
    except AnswerError as exc:
        return error_response(400, list(exc.problems), exc.more)
    _, worded = served(answers, language)  # the caregiver's wording when the answers say so
    evaluation = worded.evaluate(answers, emergency_number=emergency_number(clinic))
    if fhir.wants_fhir():  # Accept: application/fhir+json
        return fhir.response_for(evaluation)
    response = jsonify({**evaluation_to_json(evaluation),
                        **({"clinic": clinic_to_json(clinic)} if clinic else {})})
    response.headers.extend((("Content-Language", language), ("Vary", "Accept-Language")))
    return response


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document(content(), list(languages()),
                                    fhir.settings()))
