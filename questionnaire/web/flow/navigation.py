"""Where the person is, kept in the session: every question page is served from one URL, /questions.

A path that named the page (/questions/pump) told every access log that the person has a pump.
Now the page lives in the signed session cookie, and a GET may carry only a view counter
(`/questions?v=7`: the 7th page shown in this visit), which the session maps to the page shown at
that view. Browser Back and Forward re-request those URLs and get the same pages again, without
JavaScript. The counter says how many pages were shown, which the number of requests in a log says
anyway; it names no page, question or answer. An unknown, stale or tampered counter shows the page
the person is on now.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

SESSION_KEY = "nav"  # {"first": view number of views[0], "views": [[page id, changing?], ...]}
MAX_VIEWS = 40  # views remembered (browser Back that far still works); bounds the cookie (~12 bytes a view)


@dataclass(frozen=True)
class View:
    """One page shown: its view number (the `v` of its URL), the page, and whether it was opened from "Change"."""

    number: int
    page_id: str
    changing: bool = False


def _views() -> tuple[int, list[tuple[str, bool]]]:
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict):
        return 1, []
    first, views = raw.get("first"), raw.get("views")
    if not isinstance(first, int) or isinstance(first, bool) or first < 1 or not isinstance(views, list):
        return 1, []
    kept = [(str(item[0]), bool(item[1])) for item in views
            if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)]
    return first, kept


def reset() -> None:
    session.pop(SESSION_KEY, None)


def push(page_id: str, changing: bool = False) -> View:
    """A new view of `page_id`, the next number in this visit; the oldest views are forgotten past MAX_VIEWS."""
    first, views = _views()
    views.append((page_id, changing))
    if len(views) > MAX_VIEWS:
        first += len(views) - MAX_VIEWS
        views = views[-MAX_VIEWS:]
    session[SESSION_KEY] = {"first": first, "views": [list(view) for view in views]}
    return View(first + len(views) - 1, page_id, changing)


def latest() -> View | None:
    """The page the person is on now (the last one shown), if any in this visit."""
    first, views = _views()
    if not views:
        return None
    page_id, changing = views[-1]
    return View(first + len(views) - 1, page_id, changing)


def requested() -> View | None:
    """The view this request's `?v=` names; the latest view when there is none, or it is unknown or stale."""
    first, views = _views()
    number = request.args.get("v", "")
    if number.isdigit() and len(number) <= 6 and first <= int(number) < first + len(views):
        page_id, changing = views[int(number) - first]
        return View(int(number), page_id, changing)
    return latest()


def url(view: View) -> str:
    return url_for("flow.page", v=view.number)


def go(page_id: str, changing: bool = False) -> Response:
    """Redirect to a new view of `page_id` (a URL that names only the view number)."""
    return redirect(url(push(page_id, changing)))
