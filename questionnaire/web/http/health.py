"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (content loaded).

Neither reads or writes the session, nor asks anything outside this process. The security
headers and `Cache-Control: no-store` apply to them as to every response (security.py), and
gunicorn.conf.py leaves their successful answers out of the access log, so a probe every few
seconds adds no noise.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from werkzeug.wrappers import Response

from ..state import is_loaded, loaded

bp = Blueprint("health", __name__)

PROBE_PATHS = ("/healthz", "/readyz")


def _text(body: str, status: int = 200) -> Response:
    return Response(body + "\n", status=status, mimetype="text/plain")


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the worker answers. Checks nothing else, so a slow check never restarts a healthy process."""
    return _text("ok")


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: the rule set, questions and every language's engine are loaded (they are, once at start-up)."""
    if not is_loaded() or not loaded().by_language:
        return _text("not ready: no content loaded", 503)
    content = loaded().content
    if not content.ruleset.rules or not content.questionnaire.pages:
        return _text("not ready: the rule set or the questions are empty", 503)
    return _text(f"ready: rule set {content.ruleset.version}, {len(content.ruleset.rules)} rules, "
                 f"languages {' '.join(loaded().languages)}")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
