"""What the sign-off and release records mean on the pages: the draft notice and the release line."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from ..governance import Governance

EXTENSION = "governance"


def governance() -> Governance:
    """The records read at start-up (typed access for the review pages and the CLI)."""
    loaded: Governance = current_app.extensions[EXTENSION]
    return loaded


def init_app(app: Flask, records: Governance) -> None:
    app.extensions[EXTENSION] = records

    @app.context_processor
    def release_state() -> dict[str, Any]:
        # `content_release` is None while the served content is not an approved release: pages show the draft notice.
        return {"content_release": records.release}
