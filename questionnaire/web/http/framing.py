"""The session cookie inside a clinic's frame: SameSite=None; Secure; Partitioned where framing is allowed.

Browsers do not send a SameSite=Lax cookie to a page framed by another site, so without this the
flow breaks on the first form post inside the frame. The relaxed cookie is sent only on responses
for a clinic flow that lists sites allowed to frame it (`allow_framing`), loaded in a frame
(the browser's `Sec-Fetch-Dest: iframe`), and only while EMBEDDING_COOKIES is on. `Partitioned`
keeps the cookie to the framing site (CHIPS): it still works where third-party cookies are
blocked, and it cannot follow the person to other sites.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request

from ..state import settings
from .security import framed_by

API_PREFIX = "/api/"


def _framed(app: Flask) -> bool:
    """An embeddable clinic page loaded in a frame (or by a browser that does not say where it loads it)."""
    if not (has_request_context() and settings().embedding_cookies and framed_by()):
        return False
    return request.headers.get("Sec-Fetch-Dest", "iframe") == "iframe"


def _partitioned() -> bool:
    # Only when the browser says it is a frame: a partitioned and an unpartitioned cookie of the same
    # name would otherwise both be kept for a top-level visit.
    return request.headers.get("Sec-Fetch-Dest") == "iframe"


class FramedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with frame-friendly cookie attributes for embeddable pages.

    The JSON API is stateless: it gets an empty, read-only session, and no cookie is read,
    verified, signed or sent (Flask skips saving a null session), which also saves building the
    signer on every API request.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(API_PREFIX):
            return self.null_session_class()
        return super().open_session(app, request)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if _framed(app) else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if _framed(app) else super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return True if _framed(app) and _partitioned() else super().get_cookie_partitioned(app)


def init_app(app: Flask) -> None:
    app.session_interface = FramedSessionInterface()
