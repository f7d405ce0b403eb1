"""Lint findings from the sign-off records: rules and translations edited since someone signed them off.

Here, not in analysis/lint.py: governance builds on analysis (the safety case reads its proofs), not the
reverse, so `flask rules lint` and the review pages add these to lint's own findings.
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.findings import CHANGED_SINCE_SIGN_OFF, SIGN_OFF_RECORDS, Finding
from ..errors import ContentErrors
from ..model import Content
from .state import SignOffState, load_governance


def _rule_of(key: str) -> str | None:
    """The rule id in a translation key like 'rule.<id>.guidance', or None for questions and the disclaimer."""
    parts = key.split(".")
    return parts[1] if parts[0] == "rule" else None


def signoff_findings(content: Content, content_dir: Path) -> list[Finding]:
    """Rules and translations edited since someone signed them off: the sign-off no longer covers them."""
    try:
        governance = load_governance(content_dir, content)
    except ContentErrors as exc:
        return [Finding(None, "error", SIGN_OFF_RECORDS, str(exc))]
    return [Finding(status.item.ident if status.item.kind == "rule" else _rule_of(status.item.ident), "warning",
                    CHANGED_SINCE_SIGN_OFF,
                    f"{status.item} changed since sign-off by {status.signoff.reviewer} ({status.signoff.role}) on "
                    f"{status.signoff.signed_on.isoformat()}; the sign-off no longer covers it: have it signed off "
                    f"again (flask rules sign-off)")
            for status in governance.statuses if status.state is SignOffState.CHANGED and status.signoff is not None]
