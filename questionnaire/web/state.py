"""Typed access to what the app loaded at start-up, and what of it this request is served.

The bottom of the web layer: every face (http, flow, api, staff, cli) reads app state through
these functions, never `current_app.extensions[...]`, and this module imports none of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, request, session, url_for
from flask_babel import get_locale

from ..engine import Engine
from ..governance import Governance
from ..i18n import DEFAULT_LOCALE, localize
from ..loader import DEFAULT_CONTENT_DIR
from ..model import Clinic, Content
from ..perspective import answers_as_caregiver, for_caregiver
from .settings import Settings

EXTENSION = "questionnaire"
GOVERNANCE = "governance"
SETTINGS = "questionnaire_settings"
ANSWERS_KEY = "answers"  # the session's answers (the signed cookie; never stored on the server)
CLINIC_KEY = "clinic"  # the slug of the clinic whose link the person followed
STAFF_AREAS = ("staff", "review")  # blueprints whose pages never wear a clinic's name
T = TypeVar("T")
_ONCE = threading.RLock()  # re-entrant: one thing built once may ask for another (the safety case, the analysis)


@dataclass(frozen=True)
class Loaded:
    """What the app serves: content loaded once at start-up, and per language its words and engine."""

    content: Content
    by_language: Mapping[str, tuple[Content, Engine]]
    caregiver_by_language: Mapping[str, tuple[Content, Engine]] = field(default_factory=dict)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.by_language)


def load(app: Flask, content: Content) -> Loaded:
    """Word the content once per language and perspective, build each engine, and keep them on the app."""
    languages = (DEFAULT_LOCALE, *sorted(code for code in content.locales if code != DEFAULT_LOCALE))
    by_language, caregiver_by_language = {}, {}
    for code in languages:
        localized = localize(content, code)
        by_language[code] = (localized, Engine(localized))
        worded = for_caregiver(localized)
        caregiver_by_language[code] = (worded, Engine(worded))
    loaded = Loaded(content=content, by_language=by_language, caregiver_by_language=caregiver_by_language)
    app.extensions[EXTENSION] = loaded
    return loaded


def loaded() -> Loaded:
    state: Loaded = current_app.extensions[EXTENSION]
    return state


def is_loaded() -> bool:
    """False in a process that has not finished loading (the readiness probe asks)."""
    return isinstance(current_app.extensions.get(EXTENSION), Loaded)


def base_content() -> Content:
    """The content as loaded: English, with every locale; ids and codes are the same in every language."""
    return loaded().content


def languages() -> tuple[str, ...]:
    """The languages served, English first."""
    return loaded().languages


def current_language() -> str:
    return str(get_locale() or DEFAULT_LOCALE)


def session_answers() -> dict[str, Any]:
    """The raw answers in the session cookie (not yet checked against the questions)."""
    raw = session.get(ANSWERS_KEY)
    return raw if isinstance(raw, dict) else {}


def served(answers: Mapping[str, Any] | None = None, language: str | None = None) -> tuple[Content, Engine]:
    """Content and engine in the person's language, worded for a caregiver when the answers say so.

    Ids, codes and rules are the same in every language and perspective: only words differ.
    `answers` defaults to the answers in the session.
    """
    state = loaded()
    if answers is None:
        answers = session_answers()
    table = state.caregiver_by_language if answers_as_caregiver(state.content, answers) else state.by_language
    return table.get(language or current_language(), table[DEFAULT_LOCALE])


def person_content() -> Content:
    """The content in the person's language and perspective."""
    return served()[0]


def person_engine() -> Engine:
    return served()[1]


def is_caregiver() -> bool:
    """True when the session's answers say someone answers for another person."""
    return answers_as_caregiver(base_content(), session_answers())


def reviewer_content() -> Content:
    """The content in the reviewer's language, in the words a patient answering for themself sees."""
    by_language = loaded().by_language
    return by_language.get(current_language(), by_language[DEFAULT_LOCALE])[0]


def settings() -> Settings:
    """The environment settings, parsed and checked once at start-up (settings.py)."""
    parsed: Settings = current_app.extensions[SETTINGS]
    return parsed


def keep_settings(app: Flask, parsed: Settings) -> None:
    app.extensions[SETTINGS] = parsed


def content_folder() -> Path:
    """The content directory the app was started with (QUESTIONNAIRE_CONTENT_DIR, else the shipped one)."""
    return Path(settings().content_dir or DEFAULT_CONTENT_DIR)


def once(key: str, build: Callable[[], T]) -> T:
    """`build()` on first use, then the same result for the app's life: content is frozen at start-up."""
    extensions = current_app.extensions
    if key not in extensions:
        with _ONCE:
            if key not in extensions:
                extensions[key] = build()
    built: T = extensions[key]
    return built


def governance() -> Governance:
    """The sign-off and release records read at start-up."""
    records: Governance = current_app.extensions[GOVERNANCE]
    return records


def keep_governance(app: Flask, records: Governance) -> None:
    app.extensions[GOVERNANCE] = records


def find_clinic(slug: object) -> Clinic | None:
    return base_content().clinics.get(slug) if isinstance(slug, str) else None


def current_clinic() -> Clinic | None:
    """The clinic of this request: from the /c/<slug> link itself, else from the session (never on staff pages)."""
    if request.blueprint in STAFF_AREAS:
        return None
    if request.endpoint in ("clinics.start", "clinics.logo") and request.view_args:
        return find_clinic(request.view_args.get("slug"))
    return find_clinic(session.get(CLINIC_KEY))


def emergency_number(clinic: Clinic | None = None) -> str:
    """The clinic's number; else EMERGENCY_NUMBER if set; else the number for DEFAULT_COUNTRY."""
    if clinic is not None:
        return clinic.emergency_number
    configured = settings()
    if configured.emergency_number:
        return configured.emergency_number
    return base_content().emergency_numbers[configured.default_country]


def current_emergency_number() -> str:
    return emergency_number(current_clinic())


def start_url(**args: Any) -> str:
    """The person's start page: their clinic's link when they came through one, else /."""
    clinic = current_clinic()
    if clinic is not None:
        return url_for("clinics.start", slug=clinic.slug, **args)
    return url_for("flow.start", **args)
