"""CORS for the public, cookie-free endpoints (/fhir/ and /api/v1/), so a clinic's portal or an EHR can call them.

`Access-Control-Allow-Origin: *` and never credentials: these endpoints read no cookie and set
none. Patient pages, staff and review pages get no CORS headers, so other origins cannot read them.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

PUBLIC = ("/fhir/", "/api/v1/")
HEADERS = (("Access-Control-Allow-Origin", "*"),
           ("Access-Control-Expose-Headers", "Content-Language, Content-Disposition, ETag, Location"))
PREFLIGHT = (("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
             ("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Type, If-None-Match, Prefer"),
             ("Access-Control-Max-Age", "600"))


def public() -> bool:
    return request.path.startswith(PUBLIC)


def preflight() -> Response | None:
    """Answer a CORS preflight for a public endpoint before any view or check runs."""
    if request.method == "OPTIONS" and public() and "Access-Control-Request-Method" in request.headers:
        return Response(status=204, headers=PREFLIGHT)
    return None


def allow_any_origin(response: Response) -> Response:
    if public():
        response.headers.extend(HEADERS)
    return response


def init_app(app: Flask) -> None:
    app.before_request(preflight)
    app.after_request(allow_any_origin)
