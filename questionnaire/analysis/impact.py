"""The impact report as Markdown to paste into a review, or as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .diff import Impact

_HEADINGS = (("added", "Rules added"), ("removed", "Rules removed"), ("changed", "Rules changed"))


def _share(impact: Impact) -> str:
    return f"{impact.share:.2%}" if impact.affected else "0%"


def impact_markdown(impact: Impact) -> str:
    """A review-ready summary: rule and question changes in words, scenarios that move, share affected."""
    lines = [f"# Impact of rule changes: {impact.old_label} → {impact.new_label}", ""]
    if not impact.rules and not impact.questions:
        lines += ["No rule or question changed.", ""]
    for status, heading in _HEADINGS:
        changes = [change for change in impact.rules if change.status == status]
        if not changes:
            continue
        lines += [f"## {heading} ({len(changes)})", ""]
        for change in changes:
            lines.append(f"- `{change.rule}`: {change.title}")
            lines += [f"  - {words}" for words in change.changes]
        lines.append("")
    if impact.questions:
        lines += [f"## Questions changed ({len(impact.questions)})", "", *(f"- {words}" for words in impact.questions), ""]
    lines += [f"## Scenarios whose outcome changes ({len(impact.scenarios)} of {impact.scenario_count})", ""]
    if not impact.scenarios:
        lines.append("No scenario's guidance changes.")
    for scenario in impact.scenarios:
        parts = []
        if scenario.added:
            parts.append("now also sees " + ", ".join(f"`{r}`" for r in scenario.added))
        if scenario.removed:
            parts.append("no longer sees " + ", ".join(f"`{r}`" for r in scenario.removed))
        if scenario.changed_text:
            parts.append("sees new wording or level in " + ", ".join(f"`{r}`" for r in scenario.changed_text))
        if scenario.old_highest != scenario.new_highest:
            parts.append(f"highest level {scenario.old_highest} → {scenario.new_highest}")
        lines.append(f"- {scenario.name} ({'; '.join(parts)})")
    lines += ["", "## Answer sets affected", "",
              f"{impact.affected:,} of {impact.total:,} possible answer sets ({_share(impact)}) would now see "
              f"different guidance ({impact.method}).", ""]
    return "\n".join(lines)


def impact_json(impact: Impact) -> dict[str, Any]:
    """The same report as JSON: plain lists and numbers."""
    body = asdict(impact)
    body["rules"] = [{**change, "changes": list(change["changes"])} for change in body["rules"]]
    body["questions"] = list(impact.questions)
    body["scenarios"] = [{key: list(value) if isinstance(value, tuple) else value for key, value in scenario.items()}
                         for scenario in body["scenarios"]]
    body["share"] = impact.share
    return body
