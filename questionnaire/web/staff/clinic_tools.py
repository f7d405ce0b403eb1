"""Staff tools per clinic: its link, QR code (SVG, PNG), a printable poster and an embed snippet.

Behind the same access setting as the review pages (REVIEW_ACCESS: public, password or off).
Every clinic's link and poster are meant to be public anyway; nothing here shows answers.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Blueprint, abort, current_app, render_template
from flask.typing import ResponseReturnValue
from markupsafe import escape
from werkzeug.wrappers import Response

from ...i18n import DEFAULT_LOCALE
from ...model import Clinic
from ..flow.clinics import clinic_link
from ..http.language import requested_language
from ..state import base_content, current_language, find_clinic, languages
from .access import check_access, headers

bp = Blueprint("staff", __name__, url_prefix="/staff/clinics")
bp.before_request(check_access)  # public, password (HTTP Basic) or off, as for /review
bp.after_request(headers)  # noindex; no-store behind a password

PAPER = {"a4": "A4", "letter": "Letter"}


def make_qr(link: str) -> segno.QRCode:
    """Error correction level M survives a worn or partly covered poster and keeps the code small."""
    return segno.make_qr(link, error="m", boost_error=False)


def qr_svg(link: str) -> bytes:
    out = io.BytesIO()
    make_qr(link).save(out, kind="svg", scale=8, border=4, xmldecl=False, title=link)
    return out.getvalue()


def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    make_qr(link).save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def embed_snippet(clinic: Clinic, link: str) -> str:
    """The HTML a clinic pastes into its own site: the link and name HTML-escaped for their attributes
    ("Smith & Jones" becomes `Smith &amp; Jones`), so the clinic's page shows exactly its name."""
    return (f'<iframe src="{escape(link)}" title="{escape(clinic.name)}: pump therapy questionnaire"\n'
            f'        width="100%" height="900" loading="lazy"></iframe>')


def poster_link(clinic: Clinic, language: str | None) -> str:
    """The link a poster in `language` carries: a Spanish poster opens the questionnaire in Spanish."""
    link = clinic_link(clinic)
    return link if language in (None, DEFAULT_LOCALE) else f"{link}?lang={language}"


@bp.app_context_processor
def staff_warnings() -> dict[str, Any]:
    """Staff pages warn when PUBLIC_URL is not set: links and QR codes would carry this server's own address."""
    return {"public_url_missing": not current_app.config.get("PUBLIC_URL")}


def _clinic(slug: str) -> Clinic:
    clinic = find_clinic(slug)
    if clinic is None:
        abort(404)
    return clinic


@bp.get("/")
def index() -> ResponseReturnValue:
    clinics = base_content().clinics
    return render_template("staff/clinics.html", clinics=sorted(clinics.values(), key=lambda c: c.name))


@bp.get("/<slug>")
def clinic(slug: str) -> ResponseReturnValue:
    found = _clinic(slug)
    link = clinic_link(found)
    return render_template("staff/clinic.html", shown=found, link=link, snippet=embed_snippet(found, link))


@bp.get("/<slug>/qr.svg")
def qr_code_svg(slug: str) -> ResponseReturnValue:
    found = _clinic(slug)
    link = poster_link(found, requested_language(languages()))  # ?lang=es: the Spanish poster's code
    return _download(qr_svg(link), "image/svg+xml", f"{found.slug}-qr.svg")


@bp.get("/<slug>/qr.png")
def qr_code_png(slug: str) -> ResponseReturnValue:
    found = _clinic(slug)
    link = poster_link(found, requested_language(languages()))
    return _download(qr_png(link), "image/png", f"{found.slug}-qr.png")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/<slug>/poster/<paper>")
def poster(slug: str, paper: str) -> ResponseReturnValue:
    if paper not in PAPER:
        abort(404)
    found = _clinic(slug)
    language = current_language()
    return render_template("staff/poster.html", shown=found, link=poster_link(found, language), paper=paper,
                           qr_language=None if language == DEFAULT_LOCALE else language)
