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
from questionnaire.web.staff import governance as governance_web


class StartupError(SystemExit):
    """Stops the process with a clear message instead of a traceback."""


def _serves_requests() -> bool:
    """False for staff commands such as `flask rules check`, which need no session key; True otherwise."""
    context = click.get_current_context(silent=True)
    return context is None or context.command.name == "run"


def _host_list(value: str | None) -> list[str] | None:
    """TRUSTED_HOSTS as written in the environment: host names separated by commas or spaces."""
    return [host for host in value.replace(",", " ").split()] if value else None


def _trust_only_our_hosts(app: Flask) -> None:
    """Serve only the hosts in TRUSTED_HOSTS, else PUBLIC_URL's host: any other Host header gets a 400.

    Flask's own TRUSTED_HOSTS check (werkzeug's host_is_trusted) runs on every request, so no link,
    QR code or redirect can be built from a Host header someone else chose. Required outside debug
    and testing; staff commands such as `flask rules check` serve nothing and need neither.
    """
    public = app.config.get("PUBLIC_URL")
    if public:
        parts = urlsplit(str(public))
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise StartupError(f"Cannot start: PUBLIC_URL must be the app's address such as https://pump.example.org "
                               f"(or with a path prefix), not {str(public)[:80]!r}")
        if not app.config.get("TRUSTED_HOSTS"):
            app.config["TRUSTED_HOSTS"] = [parts.hostname]
    if isinstance(app.config.get("TRUSTED_HOSTS"), str):
        app.config["TRUSTED_HOSTS"] = _host_list(app.config["TRUSTED_HOSTS"])
    if not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = None  # every host: development and tests only
        if not (app.debug or app.testing or not _serves_requests()):
            raise StartupError("Cannot start: set PUBLIC_URL (the address patients use, such as "
                               "https://pump.example.org) or TRUSTED_HOSTS (the host names this app answers to, "
                               "separated by commas). Requests for any other host are refused.")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start on invalid content or a missing SECRET_KEY outside debug."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.from_mapping(
        QUESTIONNAIRE_CONTENT_DIR=os.environ.get("QUESTIONNAIRE_CONTENT_DIR"),
        EMERGENCY_NUMBER=os.environ.get("EMERGENCY_NUMBER"),  # overrides DEFAULT_COUNTRY's number when set
        DEFAULT_COUNTRY=os.environ.get("DEFAULT_COUNTRY", "US"),  # emergency number with no clinic (ISO 3166)
        PUBLIC_URL=os.environ.get("PUBLIC_URL"),  # the address clinic links and QR codes carry
        TRUSTED_HOSTS=_host_list(os.environ.get("TRUSTED_HOSTS")),  # Host names served; others get 400
        EMBEDDING_COOKIES=os.environ.get("EMBEDDING_COOKIES", "1") != "0",  # SameSite=None in clinic frames
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=30),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "1") != "0" and not app.debug,
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        MAX_FORM_PARTS=100,  # the longest page posts a few dozen fields
        TRUSTED_PROXIES=os.environ.get("TRUSTED_PROXIES", "0"),  # proxies whose X-Forwarded-* headers are trusted
        WTF_CSRF_TIME_LIMIT=None,  # the session's own 30-minute expiry bounds the token
        REVIEW_ACCESS=os.environ.get("REVIEW_ACCESS", "public"),  # staff review pages: public, password or off
        REVIEW_PASSWORD_HASH=os.environ.get("REVIEW_PASSWORD_HASH"),
        REVIEW_OVERDUE_MONTHS=os.environ.get("REVIEW_OVERDUE_MONTHS", "12"),
        REQUIRE_SIGNED_CONTENT=os.environ.get("REQUIRE_SIGNED_CONTENT", "0"),  # 1: serve approved releases only
    )
    if test_config:
        app.config.update(test_config)
    if not str(app.config["TRUSTED_PROXIES"]).isdigit():
        raise StartupError(f"Cannot start: TRUSTED_PROXIES must be a whole number of proxies in front of the app "
                           f"(0 when none), not {app.config['TRUSTED_PROXIES']!r}")
    app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"])
    if str(app.config["REQUIRE_SIGNED_CONTENT"]) not in ("0", "1", "False", "True"):
        raise StartupError(f"Cannot start: REQUIRE_SIGNED_CONTENT must be 1 (serve approved releases only) or 0, "
                           f"not {app.config['REQUIRE_SIGNED_CONTENT']!r}")
    app.config["REQUIRE_SIGNED_CONTENT"] = str(app.config["REQUIRE_SIGNED_CONTENT"]) in ("1", "True")
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing or not _serves_requests()):
            raise StartupError("Cannot start: set the SECRET_KEY environment variable (a long random string, "
                               "the same on every instance). For a first try run with --debug instead.")
        app.config["SECRET_KEY"] = secrets.token_hex(32)  # development only: sessions end on restart
    _trust_only_our_hosts(app)
    try:
        content = load_content(app.config["QUESTIONNAIRE_CONTENT_DIR"])
        governance = load_governance(app.config["QUESTIONNAIRE_CONTENT_DIR"] or DEFAULT_CONTENT_DIR, content)
    except ContentErrors as exc:
        raise StartupError(f"Cannot start: the content files have errors.\n{exc}") from None
    if app.config["REQUIRE_SIGNED_CONTENT"] and governance.release is None and _serves_requests():
        raise StartupError(unreleased_message(governance))  # staff commands still run, to sign and release it
    country = str(app.config["DEFAULT_COUNTRY"]).upper()
    if country not in content.emergency_numbers:
        raise StartupError(f"Cannot start: DEFAULT_COUNTRY {country!r} has no emergency number in "
                           f"emergency_numbers.yaml.{country_hint(country, content.emergency_numbers)}")
    app.config["DEFAULT_COUNTRY"] = country
    local = local_origins(content.clinics)
    if local and not (app.debug or app.testing):
        raise StartupError("Cannot start: embed_origins on this machine (localhost) are for development only "
                           "(--debug); list the clinic's real https site instead:\n  " + "\n  ".join(local))
    init_app(app, content)
    governance_web.init_app(app, governance)
    return app
