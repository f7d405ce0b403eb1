"""Rule analysis for reviewers: scenarios, coverage, exact lint, proven invariants and impact reports.

No Flask: the CLI (`flask rules test|coverage|lint|diff`) and the review pages call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model import Content
from .coverage import Coverage, coverage
from .diff import Impact, diff
from .findings import Finding
from .impact import impact_json, impact_markdown
from .invariants import Invariant, Proof, load_invariants, prove_invariants
from .lint import is_overdue, lint, review_due
from .scenarios import Scenario, ScenarioResult, load_scenarios, run_scenarios


@dataclass(frozen=True)
class Analysis:
    """Everything a reviewer needs about one content directory."""

    scenarios: list[ScenarioResult]
    findings: list[Finding]
    proofs: list[Proof]
    coverage: Coverage
    invariants: tuple[Invariant, ...] = field(default=())


def analyse(content: Content, content_dir: Path, today: date | None = None) -> Analysis:
    """Run scenarios, lint and invariant proofs; ContentErrors if a scenario or invariant file is broken."""
    results = run_scenarios(content, load_scenarios(content_dir, content))
    invariants = load_invariants(content_dir, content)
    return Analysis(scenarios=results, findings=lint(content, content_dir, today=today),
                    proofs=prove_invariants(content, invariants), coverage=coverage(content, results),
                    invariants=invariants)


__all__ = [
    "Analysis",
    "Coverage",
    "Finding",
    "Impact",
    "Invariant",
    "Proof",
    "Scenario",
    "ScenarioResult",
    "analyse",
    "coverage",
    "diff",
    "impact_json",
    "impact_markdown",
    "is_overdue",
    "lint",
    "load_invariants",
    "load_scenarios",
    "prove_invariants",
    "review_due",
    "run_scenarios",
]
