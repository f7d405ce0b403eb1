"""What the sign-off and release records mean on the pages: the draft notice and the release line."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ...governance import Governance
from ..state import keep_governance


def init_app(app: Flask, records: Governance) -> None:
    keep_governance(app, records)  # read through state.governance()

    @app.context_processor
    def release_state() -> dict[str, Any]:
        # `content_release` is None while the served content is not an approved release: pages show the draft notice.
        return {"content_release": records.release}
