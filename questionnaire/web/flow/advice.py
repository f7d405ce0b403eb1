"""Warning signs act at once: advice before any further question, then a reminder on every later page.

After a page whose answers make a rule of an interrupt level (ruleset.yaml `interrupt`) apply,
the next page the flow sends the person to (a question page or "Check your answers") shows that
advice instead of its questions, at the same URL, with a link to the same URL to go on. Only
*which* advice was shown is kept, as rule ids in the signed session cookie: never an answer, and
no URL says that a sign was reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request, session, url_for

from ...model import Rule
from ..http.language import requested_language
from ..state import languages

SESSION_KEY = "advice"  # {"shown": [rule ids already shown], "at": path showing the advice now, if any}


def _state() -> tuple[set[str], str | None]:
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict):
        return set(), None
    shown = raw.get("shown")
    at = raw.get("at")
    return ({rid for rid in shown if isinstance(rid, str)} if isinstance(shown, list) else set(),
            at if isinstance(at, str) else None)


def advice_due(rules: Sequence[Rule]) -> bool:
    """Whether this page shows the advice instead of its questions; if so, the rules count as shown.

    Due when a rule applies that this person has not been shown yet, or when they switch language
    on the advice itself (they must still read it, now in their language).
    """
    shown, at = _state()
    ids = {rule.id for rule in rules}
    switching = at == request.path and requested_language(languages()) is not None
    if ids and (not ids <= shown or switching):
        session[SESSION_KEY] = {"shown": sorted(shown | ids), "at": request.path}
        return True
    if at is not None:  # they went on: the next view of that page shows its questions
        session[SESSION_KEY] = {"shown": sorted(shown)}
    return False


def continue_url() -> str:
    """The same page again (keeping ?change=1 and the like), where its questions now show."""
    values: dict[str, Any] = {key: value for key, value in request.args.items() if key != "lang"}
    values.update(request.view_args or {})
    return url_for(str(request.endpoint), **values)


def reminder_level(rules: Sequence[Rule]) -> str | None:
    """The level of the reminder on later pages: the highest of the interrupting rules (they come highest first)."""
    return rules[0].level.value if rules else None
