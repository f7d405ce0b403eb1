"""The one access policy of every staff page (/review, /staff/clinics): REVIEW_ACCESS public, password or off."""

from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_babel import gettext
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from ..state import settings


def check_access() -> Response | None:
    """Off: the pages do not exist. Password: HTTP Basic, the password checked against a hash."""
    access = settings().review_access
    if access == "off":
        abort(404)
    if access == "password":
        auth = request.authorization
        password = auth.password if auth is not None and auth.type == "basic" else None
        if not password or not check_password_hash(str(settings().review_password_hash), password):
            response = make_response(render_template(
                "error.html", title=gettext("Staff password needed"),
                advice=gettext("These review pages are for clinical staff. Ask your team for the password.")), 401)
            response.headers["WWW-Authenticate"] = 'Basic realm="Review pages", charset="UTF-8"'
            return response
    return None


def headers(response: Response) -> Response:
    """Staff pages stay out of search engines; behind a password, out of every cache too."""
    response.headers["X-Robots-Tag"] = "noindex"
    if settings().review_access == "password":
        response.headers["Cache-Control"] = "no-store"
    return response
