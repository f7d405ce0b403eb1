"""Application factory: configuration, content loaded once, the web layer attached."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask

from questionnaire.clinics import country_hint, local_origins
from questionnaire.errors import ContentErrors
from questionnaire.governance import load_governance, unreleased_message
from questionnaire.loader import DEFAULT_CONTENT_DIR, load_content
from questionnaire.web import init_app
from questionnaire.web.settings import Settings, SettingsError, StartupError, from_environment, parse
from questionnaire.web.staff import governance as governance_web

__all__ = ["SettingsError", "StartupError", "create_app"]


def _serves_requests() -> bool:
    """False for staff commands such as `flask rules check`, which need no session key; True otherwise."""
    context = click.get_current_context(silent=True)
    return context is None or context.command.name == "run"


def _trust_only_our_hosts(app: Flask, settings: Settings) -> None:
    """Serve only the hosts in TRUSTED_HOSTS, else PUBLIC_URL's host: any other Host header gets a 400.

    Flask's own TRUSTED_HOSTS check (werkzeug's host_is_trusted) runs on every request, so no link,
    QR code or redirect can be built from a Host header someone else chose. Required outside debug
    and testing; staff commands such as `flask rules check` serve nothing and need neither.
    """
    hosts = list(settings.trusted_hosts or ())
    if not hosts and settings.public_url:
        hosts = [str(urlsplit(settings.public_url).hostname)]
    app.config["TRUSTED_HOSTS"] = hosts or None  # None: every host, development and tests only
    if not hosts and not (app.debug or app.testing or not _serves_requests()):
        raise SettingsError("Cannot start: set PUBLIC_URL (the address patients use, such as "
                            "https://pump.example.org) or TRUSTED_HOSTS (the host names this app answers to, "
                            "separated by commas). Requests for any other host are refused.")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start on invalid content or a missing SECRET_KEY outside debug."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.from_mapping(
        from_environment(),  # every setting the app reads (questionnaire/web/settings.py), as written
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=30),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        MAX_FORM_PARTS=100,  # the longest page posts a few dozen fields
        WTF_CSRF_TIME_LIMIT=None,  # the session's own 30-minute expiry bounds the token
    )
    if test_config:
        app.config.update(test_config)
    settings = parse(app.config, debug=app.debug)  # SettingsError names the variable and what would do
    app.config["SESSION_COOKIE_SECURE"] = settings.session_cookie_secure
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing or not _serves_requests()):
            raise SettingsError("Cannot start: set the SECRET_KEY environment variable (a long random string, "
                                "the same on every instance). For a first try run with --debug instead.")
        app.config["SECRET_KEY"] = secrets.token_hex(32)  # development only: sessions end on restart
    _trust_only_our_hosts(app, settings)
    try:
        content = load_content(settings.content_dir)
        governance = load_governance(settings.content_dir or DEFAULT_CONTENT_DIR, content)
    except ContentErrors as exc:
        raise StartupError(f"Cannot start: the content files have errors.\n{exc}") from None
    if settings.require_signed_content and governance.release is None and _serves_requests():
        raise StartupError(unreleased_message(governance))  # staff commands still run, to sign and release it
    country = settings.default_country
    if country not in content.emergency_numbers:
        raise StartupError(f"Cannot start: DEFAULT_COUNTRY {country!r} has no emergency number in "
                           f"emergency_numbers.yaml.{country_hint(country, content.emergency_numbers)}")
    local = local_origins(content.clinics)
    if local and not (app.debug or app.testing):
        raise StartupError("Cannot start: embed_origins on this machine (localhost) are for development only "
                           "(--debug); list the clinic's real https site instead:\n  " + "\n  ".join(local))
    init_app(app, content, settings)
    governance_web.init_app(app, governance)
    return app
