"""The Flask face of the questionnaire, by face: http plumbing, the patient flow, the API, staff pages, the CLI.

`state` sits below them all; nothing outside web/ (but app.py) imports Flask (tests/test_import_graph.py).
"""

from __future__ import annotations

from flask import Flask

from ..model import Content
from . import state
from .api import fhir, fhir_server
from .api import v1 as api
from .cli import clinics as clinics_cli
from .cli import fhir as fhir_cli
from .cli import rules as cli
from .flow import about, clinics, views
from .http import compression, cors, errors, framing, health, jsonprovider, language, security
from .settings import Settings
from .staff import clinic_tools, review


def init_app(app: Flask, content: Content, settings: Settings) -> None:
    """Attach the settings, loaded content, blueprints, error pages and CLI commands to the app."""
    state.keep_settings(app, settings)
    # Template indentation is for people editing templates, not for patients' phones: drop it.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    compression.init_app(app)  # static text files only; pages stay uncompressed (BREACH)
    jsonprovider.init_app(app)  # orjson; keys keep the documented order, no sort per response
    loaded = state.load(app, content)
    language.init_app(app, loaded.languages)
    app.register_blueprint(views.bp)
    health.init_app(app)  # /healthz and /readyz for load balancers and orchestrators
    app.register_blueprint(api.bp)
    app.register_blueprint(about.bp)  # /about: the information page
    clinics.init_app(app)
    app.register_blueprint(clinic_tools.bp)
    framing.init_app(app)
    clinics_cli.init_app(app)
    fhir.init_app(app)
    fhir_cli.init_app(app)
    app.register_blueprint(fhir_server.bp)
    cors.init_app(app)
    review.init_app(app)
    errors.init_app(app, {"/api/": api.error_response, "/fhir/": fhir_server.outcome_response})
    security.init_app(app, settings.trusted_proxies)
    cli.init_app(app)
    app.context_processor(lambda: {"ruleset": content.ruleset,
                                   "emergency_number": state.current_emergency_number()})
