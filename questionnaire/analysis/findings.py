"""What lint reports: one finding per problem, with a counterexample where one helps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

NEVER_FIRES = "never-fires"
ALWAYS_FIRES = "always-fires"
EQUIVALENT_CONDITIONS = "equivalent-conditions-different-levels"
MISSING_REFERENCE = "missing-reference"
REVIEW_OVERDUE = "review-overdue"
READING_GRADE = "reading-grade"
DUPLICATE_GUIDANCE = "duplicate-guidance"
CHANGED_WITHOUT_REVIEW = "content-changed-without-new-reviewed_on"
STALE_TRANSLATION = "stale-translation"
MISSING_TRANSLATION = "missing-translation"
CALL_NOW_BELOW_URGENT = "call-now-in-discuss-or-info"
CHANGED_SINCE_SIGN_OFF = "changed-since-sign-off"
SIGN_OFF_RECORDS = "sign-off-records"

KINDS = (NEVER_FIRES, ALWAYS_FIRES, EQUIVALENT_CONDITIONS, MISSING_REFERENCE, REVIEW_OVERDUE, READING_GRADE,
         DUPLICATE_GUIDANCE, CHANGED_WITHOUT_REVIEW, STALE_TRANSLATION, MISSING_TRANSLATION, CALL_NOW_BELOW_URGENT,
         CHANGED_SINCE_SIGN_OFF, SIGN_OFF_RECORDS)


@dataclass(frozen=True)
class Finding:
    """One lint problem; `rule` is None for problems of the rule set as a whole."""

    rule: str | None
    severity: Severity
    kind: str
    message: str
    counterexample: dict[str, Any] | None = None

    def __str__(self) -> str:
        subject = f"[{self.rule}] " if self.rule else ""
        return f"{self.severity}: {subject}{self.kind}: {self.message}"
