"""Checks on one rule's text that the schema cannot express, run by the loader for every rule.

An emergency rule must say which number to call: the placeholder is filled with the clinic's
(or the country's) number, so a number typed into the text would be wrong in another country and
a missing one leaves a person told to "call now" with nothing to call. A reference must name its
source: a blank title is no reference at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import EMERGENCY_NUMBER_PLACEHOLDER, Level


def rule_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for each problem in a schema-valid rule mapping."""
    problems = []
    if raw["level"] == Level.EMERGENCY.value:
        for key in ("guidance", "caregiver_guidance"):
            if key in raw and EMERGENCY_NUMBER_PLACEHOLDER not in raw[key]:
                problems.append((key, f"emergency {key} must contain {EMERGENCY_NUMBER_PLACEHOLDER}, which is filled "
                                      f"in with the number to call where the person lives"))
    for index, reference in enumerate(raw["references"]):
        if not reference["title"].strip():
            problems.append(("references", f"references/{index}: the title is blank; give the source's title "
                                           f"(and a url where there is one)"))
    return problems
