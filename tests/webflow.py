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


def complete(client: FlaskClient, pages: dict[str, dict[str, Any]], csrf: bool = False, start_at: str = "/",
             advice: list[str] | None = None) -> list[str]:
    """Start (at `start_at`, e.g. a clinic link), then answer each page the flow sends us to; return every URL visited.

    Where the flow shows emergency or urgent advice in place of a page, go on as a person would
    ("Continue with the questions": the same URL again); those URLs are added to `advice`.
    """
    start = client.get(start_at)
    data = {"csrf_token": csrf_token(start.get_data(as_text=True))} if csrf else {}
    response = client.post("/start", data=data)
    visited = [start_at, "/start"]
    while response.status_code == 302:
        location = response.location
        visited.append(location)
        if location.startswith("/questions/"):
            page_id = location.split("/")[2].split("?")[0]
            form = client.get(location)
            assert form.status_code == 200, location
            if ADVICE_VIEW in form.get_data(as_text=True):
                if advice is not None:
                    advice.append(location)
                form = client.get(location)
                assert ADVICE_VIEW not in form.get_data(as_text=True), f"the advice showed twice at {location}"
            payload = dict(pages[page_id])
            if csrf:
                payload["csrf_token"] = csrf_token(form.get_data(as_text=True))
            response = client.post(location, data=payload)
            assert response.status_code in (302, 200), (location, response.get_data(as_text=True)[:2000])
        else:
            break
    return visited
