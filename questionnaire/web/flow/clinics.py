"""Clinic links: /c/<slug> starts the questionnaire for a clinic, which then travels in the session.

Only the slug is kept in the session. The clinic's name shows on every page, its emergency number
goes into every emergency message, and its contact details go on the results and the printout.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from ...errors import did_you_mean
from ...model import Clinic
from ..http.security import allow_framing
from ..state import CLINIC_KEY, base_content, current_clinic, find_clinic, settings, start_url
from .session import start_page

bp = Blueprint("clinics", __name__)

SESSION_KEY = CLINIC_KEY
LOGO_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
# The flow's pages a clinic may let other sites frame (never the general start page or staff pages).
FRAMEABLE = {"clinics.start", "flow.begin", "flow.start_over", "flow.page", "flow.check", "flow.results"}


def unknown_clinic_message(slug: object) -> str:
    known = sorted(base_content().clinics)
    shown = str(slug)[:40] if isinstance(slug, str) else type(slug).__name__
    return (f"Unknown clinic '{shown}'. Valid clinics: {', '.join(known) or 'none'}."
            f"{did_you_mean(shown, known)}")


def clinic_link(clinic: Clinic) -> str:
    """The link patients are given: PUBLIC_URL when set (what a poster must carry), else this host."""
    base = settings().public_url
    if base:
        return f"{str(base).rstrip('/')}/c/{clinic.slug}"
    return url_for("clinics.start", slug=clinic.slug, _external=True)


@bp.get("/c/<slug>")
def start(slug: str) -> ResponseReturnValue:
    clinic = find_clinic(slug)
    if clinic is None:
        session.pop(SESSION_KEY, None)
        return render_template("clinic_unknown.html"), 404
    session[SESSION_KEY] = slug
    return start_page()  # the same start page, now wearing the clinic's name and number


@bp.get("/c/<slug>/logo")
def logo(slug: str) -> ResponseReturnValue:
    clinic = find_clinic(slug)
    if clinic is None or clinic.logo is None:
        return render_template("clinic_unknown.html"), 404
    response = Response(clinic.logo.data, mimetype=clinic.logo.mimetype)
    # An SVG opened on its own must not run anything: no scripts, nothing loaded, no sniffing. Stricter
    # than the site's CSP, so the header middleware keeps it; logos carry no CSS (questionnaire/logos.py).
    response.headers["Content-Security-Policy"] = LOGO_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def forget_clinic_on_general_start() -> None:
    """The general start page (/) is the questionnaire without a clinic."""
    if request.endpoint == "flow.start" and request.method == "GET":
        session.pop(SESSION_KEY, None)


@bp.before_request
def frame_ancestors_for_clinic() -> None:
    """Let the clinic's listed sites frame its flow (the CSP's frame-ancestors, the cookie's attributes).

    A hook of the flow's blueprints only (here and in views): the API and staff pages are never
    framed, so their requests do not run it at all.
    """
    if request.endpoint not in FRAMEABLE:
        return
    clinic = current_clinic()
    if clinic is not None and clinic.embed_origins:
        allow_framing(clinic.embed_origins)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(lambda: {"clinic": current_clinic(), "start_url": start_url})
