"""Style sheets, scripts and drawings are sent compressed (zstd, brotli or gzip, as the browser accepts).

Flask-Compress does the negotiation, the `Vary: Accept-Encoding` header and the ETags (a compressed
body gets its own, so a 304 still works). Only files from static/ are compressed: they hold nothing
secret. Pages are not: a page carries the session's CSRF token next to text that depends on the
request, which is what a compression side channel (BREACH) needs; staying uncompressed rules it out.
style.css goes from about 9 KB to 3 KB on every page a patient opens (docs/performance.md).
"""

from __future__ import annotations

import functools
from typing import Any, cast

from flask import Flask, Request, Response
from flask_compress import Compress

COMPRESSED_TYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"]


class _CompressedFiles:
    """The compressed bytes of each static file and encoding, made once per process (a few files)."""

    def __init__(self) -> None:
        self._bodies: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._bodies.get(key)

    def set(self, key: str, value: bytes) -> None:
        self._bodies[key] = value


def _static_path(req: Request) -> str:
    return req.path


def init_app(app: Flask) -> None:
    app.config.update(
        COMPRESS_REGISTER=False,  # called below for static files only, never for a page
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_MIN_SIZE=500,  # smaller files (the icon) gain less than the header costs
        COMPRESS_ALGORITHM=["zstd", "br", "gzip"],
    )
    if not app.debug:  # in development the files change while the app runs
        app.config.update(COMPRESS_CACHE_BACKEND=_CompressedFiles, COMPRESS_CACHE_KEY=_static_path)
    compress = Compress(app)
    # Around the static view itself rather than an app-wide after_request hook, which every page and
    # API call would pay for (about 1.5 µs) only to return at once.
    send_static = app.view_functions["static"]

    @functools.wraps(send_static)
    def compressed_static_file(**args: Any) -> Response:
        response = cast(Response, send_static(**args))  # send_static_file returns a Response
        if response.status_code != 200:
            return response  # a 304 has no body; a 206 is part of one
        # Read the small file now: Werkzeug closes it when the response ends, and the bytes can be
        # compressed once and kept (a streamed file would be compressed on every request, and its
        # handle left to the garbage collector).
        response.make_sequence()
        response.direct_passthrough = False  # passed through, a list is never closed: this closes the file
        return compress.after_request(response)

    app.view_functions["static"] = compressed_static_file
