"""Which language a page is in: a switcher link (?lang=es) remembered in the session, else the browser's."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request, session
from flask_babel import Babel, get_locale

SESSION_KEY = "lang"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
NAMES = {"en": "English", "es": "Español"}


def select_language() -> str:
    languages: tuple[str, ...] = current_app.extensions["questionnaire"].languages
    chosen = request.args.get("lang")
    if chosen in languages:
        if not request.path.startswith("/api/"):  # the API stays stateless: no cookie
            session[SESSION_KEY] = chosen
        return chosen
    remembered = session.get(SESSION_KEY)
    if remembered in languages:
        return str(remembered)
    from .clinics import current_clinic  # a clinic's default language, until the person picks one

    clinic = current_clinic()
    if clinic is not None and clinic.language in languages:
        return clinic.language
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "en")


def init_app(app: Flask, languages: tuple[str, ...]) -> None:
    Babel(app, locale_selector=select_language, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(lambda: {
        "language": current_language(),
        "other_languages": [(code, NAMES.get(code, code)) for code in languages if code != current_language()],
    })
