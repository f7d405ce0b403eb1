"""The Flask face of the questionnaire: web flow, JSON API, CLI and error pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from flask import Flask

from ..engine import Engine
from ..i18n import DEFAULT_LOCALE, localize
from ..model import Content
from ..perspective import for_caregiver
from . import (
    api,
    cli,
    clinics,
    clinics_cli,
    cors,
    errors,
    fhir,
    fhir_server,
    framing,
    jsonprovider,
    language,
    review,
    security,
    staff,
    views,
)
from .about import bp as about_bp
from .health import init_app as init_health


@dataclass(frozen=True)
class Loaded:
    """What the app serves: content loaded once at start-up, and per language its words and engine."""

    content: Content
    by_language: Mapping[str, tuple[Content, Engine]]
    caregiver_by_language: Mapping[str, tuple[Content, Engine]] = field(default_factory=dict)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.by_language)


def init_app(app: Flask, content: Content) -> None:
    """Attach loaded content, blueprints, error pages and CLI commands to the app."""
    # Template indentation is for people editing templates, not for patients' phones: drop it.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    jsonprovider.init_app(app)  # orjson; keys keep the documented order, no sort per response
    languages = (DEFAULT_LOCALE, *sorted(code for code in content.locales if code != DEFAULT_LOCALE))
    by_language, caregiver_by_language = {}, {}
    for code in languages:
        localized = localize(content, code)
        by_language[code] = (localized, Engine(localized))
        worded = for_caregiver(localized)
        caregiver_by_language[code] = (worded, Engine(worded))
    app.extensions["questionnaire"] = Loaded(content=content, by_language=by_language,
                                             caregiver_by_language=caregiver_by_language)
    language.init_app(app, languages)
    app.register_blueprint(views.bp)
    init_health(app)  # /healthz and /readyz for load balancers and orchestrators
    app.register_blueprint(api.bp)
    app.register_blueprint(about_bp)  # /about: the information page
    clinics.init_app(app)
    app.register_blueprint(staff.bp)
    framing.init_app(app)
    clinics_cli.init_app(app)
    fhir.init_app(app)
    app.register_blueprint(fhir_server.bp)
    cors.init_app(app)
    review.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    app.context_processor(lambda: {"ruleset": content.ruleset,
                                   "emergency_number": clinics.current_emergency_number()})
