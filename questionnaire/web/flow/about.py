"""Information pages (/about): balanced text about the therapy and its alternatives, from content files."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup, escape

from ..state import reviewer_content

bp = Blueprint("info", __name__)


@cache
def _svg(path: Path) -> str:
    """A drawing from static/, without its own English title: the page gives it one in its language."""
    return re.sub(r"<title[^>]*>.*?</title>|\s(role|aria-labelledby)=\"[^\"]*\"", "", path.read_text("utf-8"), flags=re.S)


def inline_figure(image: str, alt: str) -> Markup:
    """The drawing inline (one request fewer on a 30 KB page), named by `alt` for screen readers."""
    svg = _svg(Path(str(current_app.static_folder)) / image)
    # Our own file from static/ (name fixed by the schema pattern); the only text added is escaped.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1))  # nosec B704


@bp.get("/about")
def about() -> str:
    """Intrathecal therapy: what it is, and the other options (content/pages/about.yaml)."""
    content = reviewer_content()  # the page's language, in the words the review pages show (no caregiver wording)
    page = content.info_pages.get("about")
    if page is None:  # a content directory without the page (test fixtures, a clinic's own content)
        abort(404)
    return render_template("info.html", page=page, inline_figure=inline_figure)
