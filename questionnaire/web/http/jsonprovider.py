"""Flask's JSON, written by orjson: every API response, `jsonify` and `|tojson`.

The standard library's encoder was the largest single cost of an `/api/v1/evaluate` request
(~20 µs of a ~7 KB body); orjson writes the same document in ~2 µs. Keys keep their order (no
sorting), text is UTF-8 as the `application/json` media type says.

Anything orjson refuses (a lone surrogate echoed from a tampered body, an integer past 64 bits)
falls back to the standard library with `ensure_ascii`, so a response is never lost to the encoder.
Request bodies are still read by the standard library: its errors are the ones the API documents.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.wrappers import Response


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False
    compact: bool | None = None

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self._flask = app  # typed as the WSGI Flask app (the base class keeps the sans-IO type)

    def _pretty(self) -> bool:
        return self.compact is False or (self.compact is None and self._flask.debug)

    def _bytes(self, obj: Any, pretty: bool) -> bytes:
        option = orjson.OPT_INDENT_2 if pretty else 0
        try:
            return orjson.dumps(obj, default=self.default, option=option)
        except orjson.JSONEncodeError:  # a TypeError: unsupported type, bad UTF-8, integer past 64 bits
            text = json.dumps(obj, default=self.default, ensure_ascii=True, indent=2 if pretty else None,
                              separators=None if pretty else (",", ":"))
            return text.encode("ascii")

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # a caller asking for json.dumps options (indent=…) gets exactly those
            kwargs.setdefault("default", self.default)
            return json.dumps(obj, **kwargs)
        return self._bytes(obj, pretty=False).decode("utf-8")

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        body = self._bytes(obj, pretty=self._pretty())
        return self._flask.response_class(body, mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
