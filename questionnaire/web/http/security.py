"""Security headers on every response, trusted-proxy handling, and no caching of anything session-derived.

A small WSGI middleware rather than Flask-Talisman: Talisman's last release is from 2023, it
cannot build frame-ancestors from per-request state (clinic framing calls `allow_framing`), and it
forces HTTPS redirects that belong to the proxy in front of this app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Everything comes from this app: no inline code, no eval, no other origin.
CSP_BASE = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")

# Browser features the questionnaire never uses (printing needs none of them).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
    "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
    "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
))

HSTS = "max-age=31536000; includeSubDomains"

# An origin as a CSP source: scheme, host, optional port; nothing that could end or add a directive.
ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")

FRAME_ANCESTORS = "questionnaire.frame_ancestors"  # WSGI environ key: origins this response may be framed by


def allow_framing(origins: list[str] | tuple[str, ...]) -> None:
    """Let these origins frame this request's page (a clinic's embed_origins); invalid origins are dropped.

    Kept in the WSGI environ, where the header middleware reads it as the response starts and the
    session cookie's attributes (framing.py) read it through `framed_by`.
    """
    request.environ[FRAME_ANCESTORS] = [origin for origin in origins if isinstance(origin, str) and ORIGIN.match(origin)]


def framed_by() -> list[str]:
    """The origins allowed to frame this request's page; empty when no one may."""
    return list(request.environ.get(FRAME_ANCESTORS) or [])


# The headers every response gets, built once: CSP and X-Frame-Options for a page nobody may frame.
FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
UNFRAMED_HEADERS = (
    ("Content-Security-Policy", f"{CSP_BASE}; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    *FIXED_HEADERS,
)
_OUR_NAMES = frozenset(name.lower() for name, _ in UNFRAMED_HEADERS)
_FRAMING_NAMES = frozenset(("content-security-policy", "x-frame-options"))


def stricter_than_ours(policy: str) -> bool:
    """Whether a view's own CSP forbids at least what ours does: it may keep it (the logo's sandbox).

    Stricter means: every directive's only source is 'none' (default-src and frame-ancestors
    among them), or a bare `sandbox` with no allow-* tokens. Anything else is replaced by ours.
    """
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split() or [""]
        if name:
            directives[name.lower()] = values
    if directives.get("default-src") != ["'none'"] or directives.get("frame-ancestors") != ["'none'"]:
        return False
    return all(values == ["'none'"] or (name == "sandbox" and not values) for name, values in directives.items())


class SecurityHeaders:
    """WSGI middleware: the security headers on every response this app sends, whatever produced it.

    At the WSGI layer rather than in an `after_request` hook: it also covers responses Flask's
    hooks never see, and it appends the fixed header pairs to the outgoing list once, where a hook
    pays for Werkzeug validating each header twice (on `extend`, and again when the response
    copies its headers to start). Ours replace any a view set, except a CSP stricter than ours
    (`stricter_than_ours`: the logo's sandbox); `Cache-Control: no-store` goes on
    everything but successful static files, unless a view chose its own caching.
    """

    def __init__(self, app: WSGIApplication, static_prefix: str):
        self.app = app
        self.static_prefix = static_prefix.rstrip("/") + "/"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {name.lower() for name, _ in headers}
            own = next((value for name, value in headers if name.lower() == "content-security-policy"), None)
            keep = own is not None and stricter_than_ours(own)
            if not names.isdisjoint(_OUR_NAMES):  # a view set one of ours: ours win, unless its CSP is stricter
                dropped = _OUR_NAMES - _FRAMING_NAMES if keep else _OUR_NAMES
                headers = [(name, value) for name, value in headers if name.lower() not in dropped]
            allowed = environ.get(FRAME_ANCESTORS)
            if keep:
                headers.extend(pair for pair in UNFRAMED_HEADERS if pair[0].lower() not in _FRAMING_NAMES)
                headers.append(("X-Frame-Options", "DENY"))
            elif allowed:
                headers.append(("Content-Security-Policy", f"{CSP_BASE}; frame-ancestors {' '.join(allowed)}"))
                headers.extend(FIXED_HEADERS)
            else:
                headers.extend(UNFRAMED_HEADERS)
            if environ.get("wsgi.url_scheme") == "https":  # after ProxyFix, when proxies are trusted
                headers.append(("Strict-Transport-Security", HSTS))
            if "cache-control" not in names and not (
                    int(status[:3]) < 400 and environ.get("PATH_INFO", "").startswith(self.static_prefix)):
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


PUBLIC_PATHS = ("/api/", "/fhir/")  # JSON and FHIR endpoints: they take JSON bodies, and check them themselves


def forms_only() -> None:
    """Pages take HTML form posts only. Flask-WTF would read a JSON body as the form, and crash on `0` or `[1]`."""
    if request.method == "POST" and request.is_json and not request.path.startswith(PUBLIC_PATHS):
        abort(415)


def init_app(app: Flask, proxies: int = 0) -> None:
    """Register the header middleware and the page-form check; trust `proxies` proxies' X-Forwarded-*
    headers (TRUSTED_PROXIES; 0: none). Called once every blueprint is registered."""
    # The form check on every blueprint with a page outside /api/ and /fhir/ (the app itself, for a
    # route of its own), rather than on every request: an API call no longer pays for a hook that
    # would let it pass (tests/test_security.py walks every POST route).
    pages = {rule.endpoint.rpartition(".")[0] or None for rule in app.url_map.iter_rules()
             if not rule.rule.startswith(PUBLIC_PATHS) and rule.endpoint != "static"}
    for blueprint in sorted(pages, key=str):
        app.before_request_funcs.setdefault(blueprint, []).insert(0, forms_only)  # first, as an app-wide hook ran
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.static_url_path or "/static")  # type: ignore[method-assign]
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies)


def no_store(response: Response) -> Response:
    """Pages that show answers must never be kept by a browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
