"""Helpers that walk the web flow the way a person does: page by page, following redirects."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

# One complete set of answers per page, as a browser would post them.
PUMP_EMERGENCY = {
    "about": {"respondent": "self", "has_pump": "yes"},
    "pump": {"pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"], "pump_recent_change": "no"},
    "health": {"age_group": "age_18_64", "conditions": ["spinal_cord_injury"]},
    "pump-care": {"pump_past_withdrawal": "no", "sci_level": "t6_or_higher", "refill_arranger": "self",
                  "refill_trip": "easy"},
    "symptoms": {"symptoms": ["stiffness"]},
    "stiffness": {"spasm_frequency": "3", "stiffness_severity": "7", "stiffness_helps": "no"},
    "impact": {"daily_impact": ["sleep"]},
    "medicines": {"oral_medicines": ["none"]},
    "treatments": {"other_treatments": ["physical_therapy"]},
    "safety": {"health_factors": ["none"]},
}

NO_PUMP_MS = {
    "about": {"respondent": "caregiver", "has_pump": "no"},
    "health": {"age_group": "age_18_64", "conditions": ["ms"]},
    "symptoms": {"symptoms": ["stiffness", "spasms"], "ms_flare": "no"},
    "stiffness": {"spasm_frequency": "3", "stiffness_severity": "8", "stiffness_helps": "not_sure"},
    "impact": {"daily_impact": ["walking", "transfers"], "goals": ["moving"]},
    "medicines": {"oral_medicines": ["baclofen", "tizanidine"]},
    "medicine-effects": {"oral_medicines_effect": "does_not_help", "side_effects": ["drowsiness"],
                         "oral_medicines_now": ["baclofen"]},
    "treatments": {"other_treatments": ["physical_therapy"], "screening_before": "no"},
    "safety": {"health_factors": ["none"], "refill_visits": "yes"},
}


ADVICE_VIEW = 'class="advice advice-'  # the emergency or urgent advice shown at once, in place of a page


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


PAGE_MARK = re.compile(r'<form method="post" novalidate data-page="([^"]+)"')


def page_shown(html: str) -> str | None:
    """The id of the question page in this HTML (the page says it in its body; no URL does)."""
    match = PAGE_MARK.search(html)
    return match.group(1) if match else None


def complete(client: FlaskClient, pages: dict[str, dict[str, Any]], csrf: bool = False, start_at: str = "/",
             advice: list[str] | None = None, shown: list[str] | None = None) -> list[str]:
    """Start (at `start_at`, e.g. a clinic link), then answer each page the flow sends us to; return every URL visited.

    Where the flow shows emergency or urgent advice in place of a page, go on as a person would
    ("Continue with the questions": the same URL again); those URLs are added to `advice`. The ids
    of the pages answered, in order, are added to `shown`.
    """
    start = client.get(start_at)
    data = {"csrf_token": csrf_token(start.get_data(as_text=True))} if csrf else {}
    response = client.post("/start", data=data)
    visited = [start_at, "/start"]
    while response.status_code == 302:
        location = response.location
        visited.append(location)
        if location.startswith("/questions"):
            form = client.get(location)
            assert form.status_code == 200, location
            if ADVICE_VIEW in form.get_data(as_text=True):
                if advice is not None:
                    advice.append(location)
                form = client.get(location)
                assert ADVICE_VIEW not in form.get_data(as_text=True), f"the advice showed twice at {location}"
            page_id = page_shown(form.get_data(as_text=True))
            assert page_id is not None, (location, form.get_data(as_text=True)[:2000])
            if shown is not None:
                shown.append(page_id)
            payload = dict(pages[page_id])
            if csrf:
                payload["csrf_token"] = csrf_token(form.get_data(as_text=True))
            response = client.post(location, data=payload)
            assert response.status_code in (302, 200), (location, response.get_data(as_text=True)[:2000])
        else:
            break
    return visited


def at(client: FlaskClient, page_id: str, change: bool = False) -> str:
    """The URL of a new view of `page_id`, as if the person had just been sent there (e.g. by "Change").

    The page is held in the session (questionnaire/web/flow/navigation.py), so a test that wants a
    particular page puts a view of it there, as the app's own redirects do, and gets `/questions?v=N`.
    """
    with client.session_transaction() as session:
        nav = session.get("nav") or {"first": 1, "views": []}
        nav["views"].append([page_id, change])
        session["nav"] = nav
        session.setdefault("answers", {})
        return f"/questions?v={nav['first'] + len(nav['views']) - 1}"


def view_at(client: FlaskClient, location: str | None) -> tuple[str, bool] | None:
    """(page id, opened from "Change") for a `/questions?v=N` URL, read from the session as the app does."""
    match = re.fullmatch(r"/questions\?v=(\d+)", location or "")
    if not match:
        return None
    with client.session_transaction() as session:
        nav = session.get("nav") or {"first": 1, "views": []}
        index = int(match.group(1)) - nav["first"]
        if not 0 <= index < len(nav["views"]):
            return None
        page_id, changing = nav["views"][index]
        return page_id, bool(changing)


def page_at(client: FlaskClient, location: str | None) -> str | None:
    """The id of the page a `/questions?v=N` URL shows (None for any other URL)."""
    view = view_at(client, location)
    return view[0] if view else None
