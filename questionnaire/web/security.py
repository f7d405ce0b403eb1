"""Security headers on every response, trusted-proxy handling, and no caching of anything session-derived.

A small hook rather than Flask-Talisman: Talisman's last release is from 2023, it cannot build
frame-ancestors from per-request state (clinic framing sets `g.frame_ancestors`), and it forces
HTTPS redirects that belong to the proxy in front of this app.
"""

from __future__ import annotations

import re

from flask import Flask, abort, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

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

STATIC_ENDPOINTS = ("static",)


def frame_ancestors() -> list[str]:
    """Origins allowed to frame this response, as set per request by clinic code; valid origins only."""
    origins = g.get("frame_ancestors") or []
    return [origin for origin in origins if isinstance(origin, str) and ORIGIN.match(origin)]


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint in STATIC_ENDPOINTS or endpoint.endswith(".static")


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


def add_headers(response: Response) -> Response:
    """Set the security headers; everything but static files is `no-store` unless a view chose otherwise.

    On every response, so it is kept cheap: one pass over the names a view set, one `extend`.
    """
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    allowed = frame_ancestors()
    if allowed or not present.isdisjoint(_OUR_NAMES):  # framed, or a view set one of ours: replace one by one
        if allowed:
            headers["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors {' '.join(allowed)}"
            headers.pop("X-Frame-Options", None)
        else:
            headers["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors 'none'"
            headers["X-Frame-Options"] = "DENY"
        for name, value in FIXED_HEADERS:
            headers[name] = value
        extra: list[tuple[str, str]] = []
    else:  # the common case: none of ours is there to replace
        extra = list(UNFRAMED_HEADERS)
    if request.is_secure:
        extra.append(("Strict-Transport-Security", HSTS))
    if "cache-control" not in present and not (response.status_code < 400 and _is_static()):
        extra.append(("Cache-Control", "no-store"))
    headers.extend(extra)
    return response


def forms_only_outside_the_api() -> None:
    """Pages take HTML form posts only. Flask-WTF would read a JSON body as the form, and crash on `0` or `[1]`."""
    if request.method == "POST" and request.is_json and not request.path.startswith("/api/"):
        abort(415)


def init_app(app: Flask) -> None:
    """Register the header hook; trust `TRUSTED_PROXIES` proxies' X-Forwarded-* headers (0: none)."""
    app.before_request(forms_only_outside_the_api)
    app.after_request(add_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies)
