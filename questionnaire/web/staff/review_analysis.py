"""The rule analysis (scenarios, lint, proofs) for the review pages: run once per app, in the background.

The shipped rule set's analysis takes about 1 s (bench/analysis_bench.py), but it grows with the
rules and invariants, and it once took 40 s, longer than gunicorn's 30 s worker timeout: run
inside a request, a review page would be killed before it answered. So the first review page
starts the analysis on a thread of its own and waits at most REVIEW_ANALYSIS_WAIT seconds (2; in
tests, until it ends); if it has not ended by then, the review pages say it is running, and how
long it has taken so far, instead of the findings.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from ...analysis import Finding, Proof, ScenarioResult, analyse
from ...errors import ContentErrors
from ...governance import SafetyCase, check_safety_case, load_hazard_log
from ...governance.findings import signoff_findings
from ...governance.signing import every_rule
from ..state import base_content, content_folder, once

EXTENSION = "review_analysis"
SAFETY_EXTENSION = "review_safety_case"
DEFAULT_WAIT = 2.0  # seconds a review page waits for a running analysis before saying it is running


@dataclass(frozen=True)
class ReviewAnalysis:
    """What the analysis found, indexed by rule; `problem` says why there is none."""

    scenarios: tuple[ScenarioResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    proofs: tuple[Proof, ...] = ()
    problem: str | None = None  # "running" (for `running_for` seconds), "content-errors" (see `errors`) or "failed"
    errors: tuple[str, ...] = ()
    running_for: int = 0
    scenarios_by_rule: dict[str, list[ScenarioResult]] = field(default_factory=dict)
    findings_by_rule: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.problem is None

    @property
    def general_findings(self) -> list[Finding]:
        """Findings about the rule set as a whole, not one rule."""
        return [finding for finding in self.findings if not finding.rule]

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


def _run() -> ReviewAnalysis:
    loaded = base_content()
    directory = content_folder()
    try:
        result = analyse(loaded, directory)
        result.findings.extend(signoff_findings(loaded, directory))  # governance builds on analysis
    except ContentErrors as exc:  # a broken scenario or invariant file: staff need file, line and id
        return ReviewAnalysis(problem="content-errors", errors=tuple(str(error) for error in exc.errors))
    except Exception:  # a failing analysis must not take the review pages down with it
        current_app.logger.exception("Rule analysis failed for the review pages")
        return ReviewAnalysis(problem="failed")
    by_rule: dict[str, list[ScenarioResult]] = defaultdict(list)
    for scenario in result.scenarios:
        for rule_id in dict.fromkeys(scenario.fired):
            by_rule[rule_id].append(scenario)
    findings_by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.rule:
            findings_by_rule[finding.rule].append(finding)
    return ReviewAnalysis(scenarios=tuple(result.scenarios), findings=tuple(result.findings),
                          proofs=tuple(result.proofs), scenarios_by_rule=dict(by_rule),
                          findings_by_rule=dict(findings_by_rule))


@dataclass(frozen=True)
class _Run:
    """The analysis of this app, on its thread: its future result and when it started."""

    result: Future[ReviewAnalysis]
    started: float


def _start() -> _Run:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    result: Future[ReviewAnalysis] = Future()

    def work() -> None:
        with app.app_context():
            result.set_result(_run())  # _run catches what can fail, so the future always gets a value

    # A daemon thread: a worker that stops mid-analysis must not wait for it (nothing is lost, it is derived).
    threading.Thread(target=work, name="review-analysis", daemon=True).start()
    return _Run(result, time.monotonic())


def get() -> ReviewAnalysis:
    """The app's analysis, started on first use (content is frozen at start-up, so one run serves every
    request); `problem="running"` when it has not ended within REVIEW_ANALYSIS_WAIT seconds."""
    run = once(EXTENSION, _start)
    wait = current_app.config.get("REVIEW_ANALYSIS_WAIT", None if current_app.testing else DEFAULT_WAIT)
    try:
        return run.result.result(timeout=wait)
    except TimeoutError:
        return ReviewAnalysis(problem="running", running_for=int(time.monotonic() - run.started))


@dataclass(frozen=True)
class SafetyCaseView:
    """The safety case checked against the same analysis the pages show; `errors` when the log is broken."""

    case: SafetyCase | None = None
    errors: tuple[str, ...] = ()


def _check_safety_case(analysis: ReviewAnalysis) -> SafetyCaseView:
    directory = content_folder()
    try:
        log = load_hazard_log(directory)
    except ContentErrors as exc:
        return SafetyCaseView(errors=tuple(str(error) for error in exc.errors))
    if log is None or not analysis.available:
        return SafetyCaseView()
    rules = [rule.id for rule in every_rule(base_content())]
    return SafetyCaseView(case=check_safety_case(log, analysis.proofs, analysis.scenarios, rules,
                                                 Path(current_app.root_path)))


def safety_case(analysis: ReviewAnalysis) -> SafetyCaseView:
    """Checked once per app, against the analysis it rests on; not before that analysis has ended."""
    if analysis.problem == "running":
        return SafetyCaseView()
    return once(SAFETY_EXTENSION, lambda: _check_safety_case(analysis))
