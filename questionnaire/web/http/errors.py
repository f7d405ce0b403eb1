"""Friendly error pages for people; under /api/ and /fhir/ the error body of that face; never a traceback."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response

MESSAGES = {
    400: (_l("Something went wrong with that request"), _l("Please go back and try again.")),
    404: (_l("Page not found"), _l("The page you asked for is not here.")),
    405: (_l("That did not work"), _l("Please go back and use the buttons on the page.")),
    413: (_l("That was too much to send"), _l("Please go back and try again.")),
    415: (_l("That did not work"), _l("Please go back and try again.")),
}


# An error body for machines under a path prefix: (status, [(question id or None, message)]) -> response.
MachineError = Callable[[int, list[tuple[str | None, str]]], Any]


def _render(code: int, description: str | None, machines: Mapping[str, MachineError]) -> ResponseReturnValue:
    for prefix, render in machines.items():
        if request.path.startswith(prefix):
            return render(code, [(None, description or "Request failed")])
    title, advice = MESSAGES.get(code, (_l("Sorry, something went wrong"), _l("Please try again in a moment.")))
    return render_template("error.html", title=title, advice=advice), code


def init_app(app: Flask, machines: Mapping[str, MachineError]) -> None:
    """Error pages for people; under each prefix in `machines` (the API, FHIR) that face's own error body."""
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URL can be built for it
            return Response("Bad request: this site is not served at that address.\n", 400, mimetype="text/plain")
        response = app.make_response(_render(error.code or 500, error.description, machines))
        for name, value in error.get_headers():  # e.g. Allow on 405, which RFC 9110 requires
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> ResponseReturnValue:
        # Logged by Flask without request data; the person sees a plain apology.
        return _render(500, "The server could not answer. Nothing you entered was kept on the server.", machines)
