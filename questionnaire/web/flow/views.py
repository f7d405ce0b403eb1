"""The guided web flow: start, one page per step, check your answers, results."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ...flow import Flow
from ...model import AnswerValue, Page, Question
from ...summary import clinician_lines, counts, print_margins_css, questions_to_ask, topics_raised
from ..http.security import no_store
from ..state import current_emergency_number, is_caregiver, start_url
from ..state import person_content as content
from ..state import person_engine as engine
from .advice import advice_due, continue_url, reminder_level
from .clinics import forget_clinic_on_general_start, frame_ancestors_for_clinic
from .forms import form_class, initial_data
from .session import ActionForm, clear_session_keeping_choices, save_answers, saved_answers, start_page

bp = Blueprint("flow", __name__)
bp.before_request(forget_clinic_on_general_start)  # pages only: the API never runs these
bp.before_request(frame_ancestors_for_clinic)


@bp.app_context_processor
def perspective() -> dict[str, bool]:
    """`caregiver` is true in every template when the answers say someone answers for another person."""
    return {"caregiver": is_caregiver()}


@bp.get("/")
def start() -> Any:
    return start_page()


@bp.post("/start")
def begin() -> Any:
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("start.html", form=form, in_progress=False, expired=True), 400
    clear_session_keeping_choices()
    save_answers({})
    return redirect(url_for("flow.page", page_id=content().questionnaire.pages[0].id))


@bp.post("/start-over")
def start_over() -> Any:
    # A forged post from another site (possible inside a clinic's frame, where the cookie is
    # SameSite=None) must not wipe someone's answers; an expired session has none to keep.
    if not ActionForm().validate_on_submit() and saved_answers():
        return render_template("error.html", title=_("Please try again"),
                               advice=_("The page was open too long. Press “Start over” again.")), 400
    clear_session_keeping_choices()
    return redirect(start_url(cleared=1))


def _find_page(page_id: str) -> Page:
    page = content().questionnaire.page(page_id)
    if page is None:
        abort(404)
    return page


@bp.route("/questions/<page_id>", methods=["GET", "POST"])
def page(page_id: str) -> Any:
    questionnaire = content().questionnaire
    current = _find_page(page_id)
    answers = saved_answers()
    flow = Flow(questionnaire, answers)
    questions = flow.shown_questions(current)
    changing = request.args.get("change") == "1"
    if not questions:
        # Branching hides this whole page: move on as if it had been answered.
        following = flow.next_page(current)
        return redirect(url_for("flow.page", page_id=following.id) if following else url_for("flow.check"))
    form_type = form_class(questions)
    form = form_type() if request.method == "POST" else form_type(data=initial_data(questions, answers))
    if request.method == "POST" and form.validate():
        answers.update(form.answers())
        flow = Flow(questionnaire, answers)  # re-apply branching: drops answers now hidden
        save_answers(flow.answers)
        if changing:
            pending = flow.first_unanswered()
            return redirect(url_for("flow.page", page_id=pending.id, change=1) if pending else url_for("flow.check"))
        following = flow.next_page(current)
        return redirect(url_for("flow.page", page_id=following.id) if following else url_for("flow.check"))
    previous = flow.previous_page(current)
    back_url = url_for("flow.check") if changing else (
        url_for("flow.page", page_id=previous.id) if previous else start_url())
    interrupting = engine().interrupting_rules(flow.answers)
    if request.method == "GET" and advice_due(interrupting):
        return _advice(flow, back_url)
    status = 400 if request.method == "POST" else 200
    return no_store(current_app.make_response((render_template(
        "page.html", page=current, form=form, questions=questions, progress=flow.progress(current),
        back_url=back_url, changing=changing, reminder=reminder_level(interrupting),
    ), status)))


def _advice(flow: Flow, back_url: str | None) -> Response:
    """The emergency or urgent advice for the answers so far, shown at once in place of the page."""
    evaluation = engine().interrupting(flow.answers, emergency_number=current_emergency_number())
    return no_store(current_app.make_response(render_template(
        "advice.html", evaluation=evaluation, continue_url=continue_url(), back_url=back_url)))


def _finished_flow() -> Flow | Response:
    """The flow when every shown question is answered; otherwise the page to go to instead."""
    flow = Flow(content().questionnaire, saved_answers())
    if not flow.answers:
        return no_store(current_app.make_response(render_template("nothing.html")))
    pending = flow.first_unanswered()
    if pending is not None:
        return redirect(url_for("flow.page", page_id=pending.id))
    return flow


def _answer_rows(flow: Flow) -> list[tuple[Page, list[tuple[Question, AnswerValue]]]]:
    return [(page, [(q, flow.answers[q.id]) for q in flow.shown_questions(page)]) for page in flow.shown_pages()]


@bp.get("/check")
def check() -> Any:
    flow = _finished_flow()
    if not isinstance(flow, Flow):
        return flow
    interrupting = engine().interrupting_rules(flow.answers)
    if advice_due(interrupting):
        return _advice(flow, None)
    return no_store(current_app.make_response(render_template(
        "check.html", rows=_answer_rows(flow), reminder=reminder_level(interrupting))))


@bp.get("/results")
def results() -> Any:
    flow = _finished_flow()
    if not isinstance(flow, Flow):
        return flow
    evaluation = engine().evaluate(flow.answers, emergency_number=current_emergency_number())
    return no_store(current_app.make_response(render_template(
        "results.html", evaluation=evaluation, rows=_answer_rows(flow), form=ActionForm(), made_on=date.today(),
        counts=counts(evaluation), questions=questions_to_ask(evaluation), clinician=clinician_lines(evaluation),
        topics=topics_raised(evaluation))))


@bp.get("/results/print.css")
def print_css() -> Response:
    """The printout's page margins in the person's language: form name, date, "Page N of M" (no answers)."""
    css = print_margins_css(_("Pump therapy: prepare for your visit"), format_date(date.today(), "long"),
                            _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    return no_store(current_app.response_class(css, mimetype="text/css"))
