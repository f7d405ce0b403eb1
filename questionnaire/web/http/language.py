"""Which language a page is in: a switcher link (?lang=es) remembered in the session, else the browser's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request, session, url_for
from flask_babel import Babel

from ..state import current_clinic, current_language, languages, start_url

SESSION_KEY = "lang"
TRANSLATIONS = Path(__file__).resolve().parents[3] / "translations"
NAMES = {"en": "English", "es": "Español"}
# The best of our languages per Accept-Language header seen: browsers send few distinct headers,
# and parsing one costs more than answering a whole API request's rules. Bounded, so odd headers
# cannot grow it without limit; it holds header strings, never answers.
_BROWSER_CHOICE: dict[tuple[tuple[str, ...], str], str | None] = {}
_BROWSER_CHOICE_MAX = 512


def select_language() -> str:
    served = languages()
    chosen = requested_language(served)
    if chosen is not None:
        if not request.path.startswith("/api/"):  # the API stays stateless: no cookie
            session[SESSION_KEY] = chosen
        return chosen
    remembered = session.get(SESSION_KEY)
    if remembered in served:
        return str(remembered)
    browser = browser_choice(served)  # the browser's language beats a clinic's default (issue 15)
    if browser is not None:
        return browser
    clinic = current_clinic()  # a clinic's default language, for a browser that names none of ours
    if clinic is not None and clinic.language in served:
        return clinic.language
    return served[0]


def requested_language(languages: tuple[str, ...]) -> str | None:
    """The switcher's ?lang= when it names one of `languages`."""
    chosen = request.args.get("lang") if request.query_string else None
    return chosen if chosen in languages else None


def stateless_language(languages: tuple[str, ...]) -> str:
    """For the API: ?lang= when it names one of `languages`, else the browser's; no session, no clinic link."""
    return requested_language(languages) or browser_language(languages)


def browser_choice(languages: tuple[str, ...]) -> str | None:
    """The best of `languages` for the browser's Accept-Language header; None when it names none of them."""
    key = (languages, request.headers.get("Accept-Language", ""))
    if key in _BROWSER_CHOICE:
        return _BROWSER_CHOICE[key]
    chosen = request.accept_languages.best_match(languages)
    if len(_BROWSER_CHOICE) < _BROWSER_CHOICE_MAX:
        _BROWSER_CHOICE[key] = chosen
    return chosen


def browser_language(languages: tuple[str, ...]) -> str:
    """The best of `languages` for the browser's Accept-Language header, else the first."""
    return browser_choice(languages) or languages[0]


def language_link(code: str) -> str:
    """This page in language `code`, built from its endpoint, never the raw path (which a link can make
    `/\\evil.example`); a page with no GET route of its own (a 404, a form post) links to the start."""
    rule = request.url_rule
    if request.endpoint and rule is not None and "GET" in (rule.methods or ()):
        kept: dict[str, Any] = {"v": request.args["v"]} if "v" in request.args else {}  # a question page's view counter
        return url_for(request.endpoint, **(request.view_args or {}), **kept, lang=code)
    return start_url(lang=code)


def init_app(app: Flask, served: tuple[str, ...]) -> None:
    Babel(app, locale_selector=select_language, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(lambda: {
        "language": current_language(),
        "other_languages": [(code, NAMES.get(code, code)) for code in served if code != current_language()],
        "language_link": language_link,
    })
