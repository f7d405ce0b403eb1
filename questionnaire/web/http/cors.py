"""CORS for the public, cookie-free endpoints (/fhir/ and /api/v1/), so a clinic's portal or an EHR can call them.

`Access-Control-Allow-Origin: *` and never credentials: these endpoints read no cookie and set
none. Patient pages, staff and review pages get no CORS headers, so other origins cannot read them.

A WSGI middleware, like the security headers (security.py) it sits inside: it reads the path
from the environ and appends the fixed pairs to the outgoing list, where a Flask hook pair cost
each API call about 8 µs (two hooks, the request proxy, Werkzeug checking each header again).
A preflight is answered here, before Flask, for any public path, as the hook answered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PUBLIC = ("/fhir/", "/api/v1/")
HEADERS = (("Access-Control-Allow-Origin", "*"),
           ("Access-Control-Expose-Headers", "Content-Language, Content-Disposition, ETag, Location"))
PREFLIGHT = (("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
             ("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Type, If-None-Match, Prefer"),
             ("Access-Control-Max-Age", "600"))


class PublicCors:
    """WSGI middleware: CORS headers on every response from a public path, and its preflights answered."""

    def __init__(self, app: WSGIApplication):
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(PUBLIC):
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
            start_response("204 NO CONTENT", [*PREFLIGHT, *HEADERS])
            return []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(HEADERS)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def init_app(app: Flask) -> None:
    """Wrap the app; security.init_app wraps this in turn, so preflights get the security headers too."""
    app.wsgi_app = PublicCors(app.wsgi_app)  # type: ignore[method-assign]
