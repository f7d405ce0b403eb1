"""The Flask face of the questionnaire: web flow, JSON API, CLI and error pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from ..engine import Engine
from ..model import Content
from . import api, cli, errors, views


@dataclass(frozen=True)
class Loaded:
    """What the app serves: content loaded once at start-up and its compiled engine."""

    content: Content
    engine: Engine


def init_app(app: Flask, content: Content) -> None:
    """Attach loaded content, blueprints, error pages and CLI commands to the app."""
    app.extensions["questionnaire"] = Loaded(content=content, engine=Engine(content))
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.init_app(app)
    cli.init_app(app)
    app.context_processor(lambda: {"ruleset": content.ruleset,
                                   "emergency_number": app.config["EMERGENCY_NUMBER"]})
