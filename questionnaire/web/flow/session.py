"""What the flow keeps in the signed session cookie: the answers, the clinic and the language chosen.

Nothing is stored on the server. The views, clinic links and resume-by-upload all read and write
the answers through these functions.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, session
from flask_wtf import FlaskForm

from ...answers import parse_value, to_json
from ...model import AnswerValue
from ..http.language import SESSION_KEY as LANGUAGE_KEY
from ..state import ANSWERS_KEY, CLINIC_KEY, find_clinic, person_content, session_answers

SESSION_KEY = ANSWERS_KEY


class ActionForm(FlaskForm):
    """A button that changes state (start, start over): carries only the CSRF token."""


def saved_answers() -> dict[str, AnswerValue]:
    """Answers from the signed session cookie; any that no longer fit the questions are dropped."""
    questions = person_content().questionnaire.by_id
    answers: dict[str, AnswerValue] = {}
    for qid, value in session_answers().items():
        if qid in questions:
            try:
                answers[qid] = parse_value(questions[qid], value)
            except ValueError:
                continue
    return answers


def save_answers(answers: dict[str, AnswerValue]) -> None:
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME idle
    session[SESSION_KEY] = to_json(person_content().questionnaire, answers)


def start_page(**extra: Any) -> str:
    """The start page (general or a clinic's): start, or continue the answers in progress."""
    return render_template("start.html", form=ActionForm(), in_progress=bool(saved_answers()), **extra)


def clear_session_keeping_clinic() -> None:
    """Start afresh (answers, language choice) but stay with the clinic that sent the person."""
    slug = session.get(CLINIC_KEY)
    session.clear()
    if find_clinic(slug) is not None:
        session[CLINIC_KEY] = slug


def clear_session_keeping_choices() -> None:
    """Clear answers but keep the clinic and the language the person chose (neither is about their health)."""
    language = session.get(LANGUAGE_KEY)
    clear_session_keeping_clinic()
    if language is not None:
        session[LANGUAGE_KEY] = language
