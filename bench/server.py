"""The benchmarks' gunicorn: tests/serving.py's harness (one for tests and benchmarks) with the bench settings.

The production worker count unless told, gunicorn.conf.py's settings, the access log written to
/dev/null as in a quiet production (nothing read back per request by the bench process), and a
refusal to go on if gunicorn does not start.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.serving import Gunicorn  # noqa: E402


def serve(app: str, workers: int | None = None) -> Gunicorn:
    """gunicorn serving `app` (such as "app:create_app()") on a free loopback port; a context manager."""
    return Gunicorn(app=app, workers=workers, env={"ACCESS_LOG": "/dev/null"}, must_start=True, keep=40)
