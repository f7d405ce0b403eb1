"""The guided web flow: start, one page per step, check your answers, results."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ...flow import Flow
from ...model import AnswerValue, Page, Question
from ...summary import clinician_lines, counts, print_margins_css, questions_to_ask, topics_raised
from ..http.security import no_store
from ..state import ANSWERS_KEY, current_clinic, current_emergency_number, current_language, is_caregiver, start_url
from ..state import person_content as content
from ..state import person_engine as engine
from . import navigation
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
def start() -> ResponseReturnValue:
    return start_page()


@bp.post("/start")
def begin() -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("start.html", form=form, in_progress=False, expired=True), 400
    if saved_answers() and request.form.get("confirm") != "yes":
        return _confirm_clearing(form, "flow.begin")  # answers in progress: ask before clearing them
    clear_session_keeping_choices()
    save_answers({})
    return navigation.go(content().questionnaire.pages[0].id)


@bp.post("/start-over")
def start_over() -> ResponseReturnValue:
    # A forged post from another site (possible inside a clinic's frame, where the cookie is
    # SameSite=None) must not wipe someone's answers; an expired session has none to keep.
    form = ActionForm()
    if not form.validate_on_submit() and saved_answers():
        return render_template("error.html", title=_("Please try again"),
                               advice=_("The page was open too long. Press “Start over” again.")), 400
    if saved_answers() and request.form.get("confirm") != "yes":
        return _confirm_clearing(form, "flow.start_over")
    clear_session_keeping_choices()
    return redirect(start_url(cleared=1))


def _confirm_clearing(form: ActionForm, endpoint: str) -> Response:
    """A page (no JavaScript needed) asking before the answers in progress are cleared."""
    return no_store(current_app.make_response(render_template("confirm_clear.html", form=form, action=url_for(endpoint))))


def _answers_gone() -> Response:
    """No answers in this session (cleared after 30 minutes, or never started): say so, never jump elsewhere."""
    return no_store(current_app.make_response(render_template("nothing.html", form=ActionForm())))


def _next(flow: Flow, page: Page) -> Response:
    following = flow.next_page(page)
    return navigation.go(following.id) if following else redirect(url_for("flow.check"))


@bp.route("/questions", methods=["GET", "POST"])
def page() -> ResponseReturnValue:
    """Every question page, at one URL: which page is the session's (navigation.py), never the URL's."""
    questionnaire = content().questionnaire
    answers = saved_answers()
    flow = Flow(questionnaire, answers)
    if request.method == "POST" and "change" in request.form:  # "Change" on check your answers
        return _change(flow, request.form.get("change", ""))
    view = navigation.requested()
    current = questionnaire.page(view.page_id) if view is not None else None
    if current is None or ANSWERS_KEY not in session:
        return _answers_gone()
    if request.method == "POST" and request.form.get("nav") == "back":
        return _back(flow, current, view)  # type: ignore[arg-type]  # view is set when current is
    questions = flow.shown_questions(current)
    changing = bool(view and view.changing)
    if not questions:
        # Branching hides this whole page (an earlier answer changed): move on as if it had been answered.
        return _next(flow, current)
    form_type = form_class(questions)
    form = form_type() if request.method == "POST" else form_type(data=initial_data(questions, answers))
    if request.method == "POST" and form.validate():
        answers.update(form.answers())
        flow = Flow(questionnaire, answers)  # re-apply branching: drops answers now hidden
        save_answers(flow.answers)
        if changing:
            pending = flow.first_unanswered()
            return navigation.go(pending.id, changing=True) if pending else redirect(url_for("flow.check"))
        return _next(flow, current)
    back_url = _back_link(flow, current, changing)
    interrupting = engine().interrupting_rules(flow.answers)
    if request.method == "GET" and advice_due(interrupting):
        return _advice(flow, back_url, ActionForm())
    status = 400 if request.method == "POST" else 200
    return no_store(current_app.make_response((render_template(
        "page.html", page=current, form=form, questions=questions, progress=flow.progress(current),
        back_url=back_url, nav_form=ActionForm(), changing=changing, reminder=reminder_level(interrupting),
    ), status)))


def _back_link(flow: Flow, current: Page, changing: bool) -> str | None:
    """Where the in-page Back goes by a plain link (check, the start page); None: by a POST (another page)."""
    if changing:
        return url_for("flow.check")
    return None if flow.previous_page(current) else start_url()


def _back(flow: Flow, current: Page, view: navigation.View) -> Response:
    """The in-page Back button: a POST, so no URL names the page it goes to."""
    if not ActionForm().validate_on_submit():
        return redirect(navigation.url(view))  # a stale or forged button: stay on this page
    previous = flow.previous_page(current)
    if view.changing:
        return redirect(url_for("flow.check"))
    return navigation.go(previous.id) if previous else redirect(start_url())


def _change(flow: Flow, page_id: str) -> Response:
    """ "Change" on check your answers: a POST naming the page in its body, never in a URL."""
    target = content().questionnaire.page(page_id)
    if not ActionForm().validate_on_submit() or target is None or not flow.shown_questions(target):
        return redirect(url_for("flow.check"))
    return navigation.go(target.id, changing=True)


def _advice(flow: Flow, back_url: str | None, nav_form: ActionForm | None = None) -> Response:
    """The emergency or urgent advice for the answers so far, shown at once in place of the page."""
    evaluation = engine().interrupting(flow.answers, emergency_number=current_emergency_number())
    return no_store(current_app.make_response(render_template(
        "advice.html", evaluation=evaluation, continue_url=continue_url(), back_url=back_url, nav_form=nav_form)))


def _finished_flow() -> Flow | Response:
    """The flow when every shown question is answered; otherwise the page to go to instead."""
    flow = Flow(content().questionnaire, saved_answers())
    if not flow.answers:
        return _answers_gone()
    pending = flow.first_unanswered()
    if pending is not None:
        return navigation.go(pending.id)
    return flow


def _answer_rows(flow: Flow) -> list[tuple[Page, list[tuple[Question, AnswerValue]]]]:
    return [(page, [(q, flow.answers[q.id]) for q in flow.shown_questions(page)]) for page in flow.shown_pages()]


@bp.get("/check")
def check() -> ResponseReturnValue:
    flow = _finished_flow()
    if not isinstance(flow, Flow):
        return flow
    interrupting = engine().interrupting_rules(flow.answers)
    if advice_due(interrupting):
        return _advice(flow, None)
    return no_store(current_app.make_response(render_template(
        "check.html", rows=_answer_rows(flow), form=ActionForm(), reminder=reminder_level(interrupting))))


@bp.get("/results")
def results() -> ResponseReturnValue:
    flow = _finished_flow()
    if not isinstance(flow, Flow):
        return flow
    evaluation = engine().evaluate(flow.answers, emergency_number=current_emergency_number())
    return no_store(current_app.make_response(render_template(
        "results.html", evaluation=evaluation, rows=_answer_rows(flow), form=ActionForm(), made_on=clinic_date(date.today()),
        counts=counts(evaluation), questions=questions_to_ask(evaluation), clinician=clinician_lines(evaluation),
        topics=topics_raised(evaluation))))


@bp.get("/results/print.css")
def print_css() -> Response:
    """The printout's page margins in the person's language: form name, date, "Page N of M" (no answers)."""
    css = print_margins_css(_("Pump therapy: prepare for your visit"), clinic_date(date.today()),
                            _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    return no_store(current_app.response_class(css, mimetype="text/css"))


def clinic_date(day: date) -> str:
    """A date in the person's language, written as the clinic's country writes it (GB: 1 December 2026)."""
    language, clinic = current_language(), current_clinic()
    locale = language
    if clinic is not None:
        try:
            locale = str(Locale.parse(f"{language}_{clinic.country}"))
        except (UnknownLocaleError, ValueError):
            pass  # a language and country Babel does not pair: the language's own way
    with force_locale(locale):
        return format_date(day, "long")
