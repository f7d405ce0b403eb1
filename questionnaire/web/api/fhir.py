"""FHIR on the web: the Questionnaire, "Save my answers (file)", the API's FHIR forms and resume by upload.

Nothing is stored: a download is built from the session cookie, an upload is read, checked and
forgotten, and only its answers go into the session.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask.cli import AppGroup
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
    build_questionnaire,
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

bp = Blueprint("fhir", __name__)
commands = AppGroup("fhir", help="FHIR R4 exports of the questionnaire.")


class ResumeForm(FlaskForm):
    """Upload of a QuestionnaireResponse saved earlier from the results page."""

    response_file = FileField(_l("Your saved answers file"),
                              validators=[FileRequired(message=_l("Choose the file with your saved answers."))])


def settings() -> FhirSettings:
    return FhirSettings(canonical=current_app.config["FHIR_CANONICAL"])


def publication() -> Publication:
    """Title in every language, publisher, date and copyright: from the configuration and page strings."""
    titles = []
    for code in languages():
        with force_locale(code):
            titles.append((code, _("Pump therapy: prepare for your visit")))
    config = current_app.config
    return Publication(titles=tuple(titles), publisher=config["FHIR_PUBLISHER"], date=config["FHIR_DATE"],
                       experimental=config["FHIR_EXPERIMENTAL"], copyright=config["FHIR_COPYRIGHT"])


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
def download() -> Any:
    """The person's answers and guidance as a file; built from the session cookie, kept nowhere."""
    flow = Flow(content().questionnaire, saved_answers())
    if not flow.answers or flow.first_unanswered() is not None:
        return redirect(url_for("flow.results"))  # results knows where an unfinished person should go
    evaluation = engine().evaluate(flow.answers, emergency_number=current_emergency_number())  # as on results
    filename = f"pump-therapy-answers-{date.today().isoformat()}.fhir.json"
    return no_store(fhir_json(build_response(evaluation, settings(), base=base_content()), filename=filename,
                              compact=True))


def _start_page(form: ResumeForm | None, problems: list[str], details: list[str] | None = None) -> Any:
    """The start page again, with what went wrong with the upload at the top and by the field."""
    page = render_template("start.html", form=ActionForm(formdata=None), in_progress=bool(saved_answers()),
                           resume_form=form, resume_errors=problems, resume_details=details or [])
    return no_store(current_app.make_response((page, 400)))


@bp.post("/resume")
def resume() -> Any:
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


@commands.command("export")
@click.option("--canonical", default=None, help="The Questionnaire's canonical URL (default: the app's FHIR_CANONICAL).")
def export(canonical: str | None) -> None:
    """Print the questionnaire as a FHIR R4 Questionnaire (JSON)."""
    chosen = FhirSettings(canonical=canonical) if canonical else settings()
    click.echo(json.dumps(build_questionnaire(base_content(), chosen, publication()), ensure_ascii=False, indent=2))


@commands.command("publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def publish(directory: Path) -> None:
    """Write the Questionnaire, its CodeSystems, extension StructureDefinitions and $evaluate as FHIR JSON files.

    For a validator or a FHIR server that should host them; file names are <resourceType>-<id>.json.
    """
    from ...fhir.terminology import (
        build_code_system,
        build_evaluate_operation,
        build_structure_definitions,
        coded_questions,
    )

    content, chosen, published = base_content(), settings(), publication()
    resources = [build_questionnaire(content, chosen, published), build_evaluate_operation(content, chosen, published),
                 *(build_code_system(content, q, chosen, published) for q in coded_questions(content)),
                 *build_structure_definitions(content, chosen, published).values()]
    directory.mkdir(parents=True, exist_ok=True)
    for resource in resources:
        path = directory / f"{resource['resourceType']}-{resource['id']}.json"
        path.write_text(json.dumps(resource, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"Wrote {len(resources)} resources to {directory}")


COPYRIGHT = ("Example content from an open-source project, for preparing a conversation with a provider. "
             "Not a diagnosis, and not for clinical use until a clinical team has signed off every rule file.")
CHANGELOG = Path(__file__).resolve().parents[3] / "CHANGELOG.md"


def release_date(version: str) -> str | None:
    """The date of this version's CHANGELOG entry (`### 1.2.0 - 2026-11-24`), when there is one."""
    try:
        text = CHANGELOG.read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(rf"^### {re.escape(version)} - (\d{{4}}-\d{{2}}-\d{{2}})\b", text, re.MULTILINE)
    return found.group(1) if found else None


def init_app(app: Flask) -> None:
    """Routes and the `flask fhir` commands; FHIR_* settings come from the environment unless configured."""
    app.config.setdefault("FHIR_CANONICAL", os.environ.get("FHIR_CANONICAL") or DEFAULT_CANONICAL)
    defaults = Publication()
    app.config.setdefault("FHIR_PUBLISHER", os.environ.get("FHIR_PUBLISHER") or defaults.publisher)
    app.config.setdefault("FHIR_COPYRIGHT", os.environ.get("FHIR_COPYRIGHT") or COPYRIGHT)
    app.config.setdefault("FHIR_EXPERIMENTAL", os.environ.get("FHIR_EXPERIMENTAL", "1") != "0")
    version = app.extensions["questionnaire"].content.ruleset.version
    app.config.setdefault("FHIR_DATE", os.environ.get("FHIR_DATE") or release_date(version))
    app.register_blueprint(bp)
    app.cli.add_command(commands)
