"""Clinical governance: named sign-off of each rule and translation, approved releases and the safety case.

No Flask: the CLI (`flask rules sign-off|release|safety-case`), start-up and the review pages call these.
"""

from __future__ import annotations

from .hazards import HAZARDS_FILE, Hazard, HazardLog, load_hazard_log, risk
from .records import RELEASES_FILE, SIGNOFFS_FILE, Release, SignOff
from .safety_case import SafetyCase, build_safety_case, check_safety_case, report_lines
from .signing import Signable, rule_hash, signable_items, translation_hash
from .state import Governance, ItemStatus, SignOffState, load_governance, unreleased_message

__all__ = [
    "Governance",
    "HAZARDS_FILE",
    "Hazard",
    "HazardLog",
    "ItemStatus",
    "RELEASES_FILE",
    "Release",
    "SIGNOFFS_FILE",
    "SafetyCase",
    "SignOff",
    "SignOffState",
    "Signable",
    "build_safety_case",
    "check_safety_case",
    "load_governance",
    "load_hazard_log",
    "report_lines",
    "risk",
    "rule_hash",
    "signable_items",
    "translation_hash",
    "unreleased_message",
]
