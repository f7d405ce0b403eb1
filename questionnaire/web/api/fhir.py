"""FHIR on the web: the Questionnaire, "Save my answers (file)", the API's FHIR forms and resume by upload.

Nothing is stored: a download is built from the session cookie, an upload is read, checked and
forgotten, and only its answers go into the session.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ...answers import to_json, visible_answers
from ...engine import Evaluation
from ...errors import AnswerError
from ...fhir import (
    DEFAULT_CANONICAL,
    FHIR_MEDIA_TYPE,
    FhirSettings,
    Publication,
    answers_from_response,
    build_response,
    response_language,
)
from ...flow import Flow
from ...model import AnswerValue
from ..flow.session import ActionForm, save_answers, saved_answers
from ..http.language import SESSION_KEY as LANGUAGE_KEY
from ..http.security import no_store
from ..state import base_content, current_emergency_number, languages
from ..state import person_content as content
from ..state import person_engine as engine
from ..state import settings as app_settings

bp = Blueprint("fhir", __name__)


class ResumeForm(FlaskForm):
    """Upload of a QuestionnaireResponse saved earlier from the results page."""

    response_file = FileField(_l("Your saved answers file"),
                              validators=[FileRequired(message=_l("Choose the file with your saved answers."))])


def settings() -> FhirSettings:
    return FhirSettings(canonical=app_settings().fhir_canonical or DEFAULT_CANONICAL)


def publication() -> Publication:
    """Title in every language, publisher, date and copyright: from the configuration and page strings."""
    titles = []
    for code in languages():
        with force_locale(code):
            titles.append((code, _("Pump therapy: prepare for your visit")))
    configured, defaults = app_settings(), Publication()
    return Publication(titles=tuple(titles), publisher=configured.fhir_publisher or defaults.publisher,
                       date=configured.fhir_date or release_date(base_content().ruleset.version),
                       experimental=configured.fhir_experimental, copyright=configured.fhir_copyright or COPYRIGHT)


def fhir_json(resource: dict[str, Any], filename: str | None = None, compact: bool = False) -> Response:
    """FHIR JSON; responses are compact so the fullest one stays far below the 64 KB upload limit."""
    text = json.dumps(resource, ensure_ascii=False, separators=(",", ":")) if compact else \
        json.dumps(resource, ensure_ascii=False, indent=2)
    response = current_app.response_class(text + "\n", mimetype=FHIR_MEDIA_TYPE)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_response(resource: Any) -> dict[str, AnswerValue]:
    """The answers in an uploaded or posted QuestionnaireResponse, after branching; AnswerError if they do not fit."""
    loaded = base_content()
    answers = answers_from_response(loaded, resource, settings())
    return visible_answers(loaded.questionnaire, answers)


def as_api_body(resource: Any) -> dict[str, Any]:
    """A QuestionnaireResponse posted to the API, as the API's own {"answers": ...} body."""
    body: dict[str, Any] = {"answers": to_json(base_content().questionnaire, read_response(resource))}
    language = response_language(resource, languages())
    if language is not None:
        body["language"] = language
    return body


def wants_fhir() -> bool:
    """The client asked for application/fhir+json rather than our JSON."""
    if "fhir" not in request.headers.get("Accept", "").lower():  # only a header naming it can prefer it: skip the parse
        return False
    return request.accept_mimetypes.best_match(["application/json", FHIR_MEDIA_TYPE]) == FHIR_MEDIA_TYPE


def response_for(evaluation: Evaluation) -> Response:
    return no_store(fhir_json(build_response(evaluation, settings(), base=base_content()), compact=True))


@bp.get("/results/fhir")
def download() -> ResponseReturnValue:
    """The person's answers and guidance as a file; built from the session cookie, kept nowhere."""
    flow = Flow(content().questionnaire, saved_answers())
    if not flow.answers or flow.first_unanswered() is not None:
        return redirect(url_for("flow.results"))  # results knows where an unfinished person should go
    evaluation = engine().evaluate(flow.answers, emergency_number=current_emergency_number())  # as on results
    filename = f"pump-therapy-answers-{date.today().isoformat()}.fhir.json"
    return no_store(fhir_json(build_response(evaluation, settings(), base=base_content()), filename=filename,
                              compact=True))


def _start_page(form: ResumeForm | None, problems: list[str], details: list[str] | None = None) -> ResponseReturnValue:
    """The start page again, with what went wrong with the upload at the top and by the field."""
    page = render_template("start.html", form=ActionForm(formdata=None), in_progress=bool(saved_answers()),
                           resume_form=form, resume_errors=problems, resume_details=details or [])
    return no_store(current_app.make_response((page, 400)))


@bp.post("/resume")
def resume() -> ResponseReturnValue:
    """Read an uploaded QuestionnaireResponse, put its answers in the session and go to "check your answers"."""
    try:
        form = ResumeForm()
    except RequestEntityTooLarge:
        return _start_page(None, [_("This file is too big. A saved answers file is smaller than 64 KB.")])
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return _start_page(form, [_("This page was open too long. Please choose your file again.")])
        return _start_page(form, [str(message) for message in form.response_file.errors])
    data = form.response_file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    try:
        resource = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _start_page(form, [_("This is not a saved answers file. Choose the file that ends in .json "
                                    "that you saved from your results.")])
    try:
        answers = read_response(resource)
    except AnswerError as exc:
        return _start_page(form, [_("We could not use the answers in this file. You can start again instead.")],
                           [message for _question, message in exc.problems])
    if not answers:
        return _start_page(form, [_("This file has no answers in it. You can start again instead.")])
    language = response_language(resource, languages())
    if language is not None:  # the file's language, as if the person had picked it with the switcher
        session[LANGUAGE_KEY] = language
    save_answers(answers)
    return redirect(url_for("flow.check", resumed=1))


COPYRIGHT = ("Example content from an open-source project, for preparing a conversation with a provider. "
             "Not a diagnosis, and not for clinical use until a clinical team has signed off every rule file.")
CHANGELOG = Path(__file__).resolve().parents[3] / "CHANGELOG.md"


@cache
def release_date(version: str) -> str | None:
    """The date of this version's CHANGELOG entry (`### 1.2.0 - 2026-11-24`), when there is one."""
    try:
        text = CHANGELOG.read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(rf"^### {re.escape(version)} - (\d{{4}}-\d{{2}}-\d{{2}})\b", text, re.MULTILINE)
    return found.group(1) if found else None


def init_app(app: Flask) -> None:
    """The download and resume routes; the FHIR_* settings are read in settings.py."""
    app.register_blueprint(bp)
