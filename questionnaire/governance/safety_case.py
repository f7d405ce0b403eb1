"""The safety case: every control's evidence checked against the project's own proofs, scenarios and tests.

Tests are checked by reading the test files' syntax tree (ast), not by running `pytest --collect-only`:
it takes milliseconds instead of seconds, imports nothing (no browser, no app), and says exactly which
file or function is missing. Whether each test passes is the pytest run's job in the same CI job.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..analysis import Proof, ScenarioResult, load_invariants, load_scenarios, prove_invariants, run_scenarios
from ..model import Content
from .hazards import RISK_MEANING, Control, Evidence, Hazard, HazardLog, load_hazard_log
from .signing import every_rule


@dataclass(frozen=True)
class EvidenceCheck:
    evidence: Evidence
    holds: bool
    detail: str  # "proven", "passes", "collected", or what is wrong


@dataclass(frozen=True)
class ControlCheck:
    control: Control
    evidence: tuple[EvidenceCheck, ...]
    unknown_rules: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return not self.unknown_rules and all(check.holds for check in self.evidence)


@dataclass(frozen=True)
class HazardCheck:
    hazard: Hazard
    controls: tuple[ControlCheck, ...]

    @property
    def problems(self) -> list[str]:
        found = [f"{self.hazard.id}: {check.evidence.kind} '{check.evidence.ref}' ({self.hazard.file}:"
                 f"{check.evidence.line}): {check.detail}"
                 for control in self.controls for check in control.evidence if not check.holds]
        found += [f"{self.hazard.id}: control '{control.control.description[:50]}' names unknown rule '{rule}'"
                  for control in self.controls for rule in control.unknown_rules]
        if self.hazard.after.risk >= 4:
            found.append(f"{self.hazard.id}: the risk after controls is {self.hazard.after.risk} "
                         f"({RISK_MEANING[self.hazard.after.risk]})")
        return found


@dataclass(frozen=True)
class SafetyCase:
    log: HazardLog
    hazards: tuple[HazardCheck, ...]

    @property
    def problems(self) -> list[str]:
        return [problem for hazard in self.hazards for problem in hazard.problems]

    @property
    def holds(self) -> bool:
        return bool(self.hazards) and not self.problems

    @property
    def verified_controls(self) -> int:
        return sum(control.holds for hazard in self.hazards for control in hazard.controls)


@cache
def _test_names(path: Path, mtime: float) -> frozenset[str]:
    """'test_x' and 'TestClass::test_y' for each test pytest would collect from one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.add(node.name)
            names.update(f"{node.name}::{item.name}" for item in node.body
                         if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"))
    return frozenset(names)


def check_test(node_id: str, project_root: Path) -> tuple[bool, str]:
    """A pytest node id (path::test or path::Class::test, parameters allowed) that exists and would be collected."""
    file_part, _, name = node_id.partition("::")
    path = project_root / file_part
    if not name or not file_part.startswith("tests/"):
        return False, "not a pytest node id (tests/test_x.py::test_name)"
    if not fnmatch.fnmatch(path.name, "test_*.py") or not path.is_file():
        return False, f"no test file {file_part}"
    try:
        names = _test_names(path.resolve(), path.stat().st_mtime)
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        return False, f"cannot read {file_part}: {exc}"
    if name.split("[", 1)[0] not in names:
        return False, f"{file_part} has no test {name.split('[', 1)[0]}"
    return True, "collected"


def check_safety_case(log: HazardLog, proofs: Iterable[Proof], scenarios: Iterable[ScenarioResult],
                      rule_ids: Iterable[str], project_root: Path) -> SafetyCase:
    """Check every evidence link of every control; the invariant proofs and scenario results come from analysis."""
    proven = {proof.invariant.id: proof.holds for proof in proofs}
    passed = {result.scenario.name: result.passed for result in scenarios}
    known_rules = set(rule_ids)

    def check(evidence: Evidence) -> EvidenceCheck:
        if evidence.kind == "invariant":
            if evidence.ref not in proven:
                return EvidenceCheck(evidence, False, "no invariant has this id in invariants.yaml")
            return EvidenceCheck(evidence, proven[evidence.ref], "proven" if proven[evidence.ref] else
                                 "NOT proven: lint found answers that break it")
        if evidence.kind == "scenario":
            if evidence.ref not in passed:
                return EvidenceCheck(evidence, False, "no scenario has this name")
            return EvidenceCheck(evidence, passed[evidence.ref], "passes" if passed[evidence.ref] else "FAILS")
        holds, detail = check_test(evidence.ref, project_root)
        return EvidenceCheck(evidence, holds, detail)

    return SafetyCase(log=log, hazards=tuple(
        HazardCheck(hazard, tuple(ControlCheck(control, tuple(check(e) for e in control.evidence),
                                               tuple(r for r in control.rules if r not in known_rules))
                                  for control in hazard.controls))
        for hazard in log.hazards))


def report_lines(case: SafetyCase) -> list[str]:
    """The clinical safety case report as plain text: hazards, risks, controls, evidence, residual risks, open items."""
    lines = ["Clinical safety case report", "", f"Intended use: {case.log.intended_use}", "",
             f"Hazards: {len(case.hazards)} in {case.log.file}; risk runs 1 (acceptable) to 5 (unacceptable).", ""]
    for checked in case.hazards:
        hazard = checked.hazard
        lines += [f"{hazard.id}: {hazard.title}",
                  f"  cause: {hazard.cause}", f"  effect: {hazard.effect}", f"  possible harm: {hazard.harm}",
                  f"  risk before controls: {hazard.before.risk} ({hazard.before.severity}, {hazard.before.likelihood})"
                  f"; after: {hazard.after.risk} ({hazard.after.severity}, {hazard.after.likelihood})"]
        for control in checked.controls:
            lines.append(f"  [{'VERIFIED' if control.holds else 'BROKEN'}] {control.control.description}")
            lines += [f"      {'ok ' if item.holds else 'NO '} {item.evidence.kind}: {item.evidence.ref} ({item.detail})"
                      for item in control.evidence]
            lines += [f"      NO  rule: {rule} (no rule has this id)" for rule in control.unknown_rules]
        lines += [f"  residual risk: {hazard.residual}", ""]
    lines.append("Residual risks above 2 (need the safety officer's written acceptance):")
    high = [h.hazard for h in case.hazards if h.hazard.after.risk > 2]
    lines += [f"  {h.id}: risk {h.after.risk}: {h.residual}" for h in high] or ["  none"]
    lines += ["", "Open items:", *[f"  - {item}" for item in case.log.open_items or ["none"]], ""]
    controls = sum(len(h.controls) for h in case.hazards)
    lines.append(f"{len(case.hazards)} hazards, {case.verified_controls} of {controls} controls verified.")
    return lines


def build_safety_case(content: Content, content_dir: Path, project_root: Path) -> SafetyCase | None:
    """Load the hazard log and check it against fresh proofs and scenario runs; None when there is no log.

    ContentErrors when the hazard log, a scenario file or the invariants file is broken."""
    log = load_hazard_log(content_dir)
    if log is None:
        return None
    results = run_scenarios(content, load_scenarios(content_dir, content))
    proofs = prove_invariants(content, load_invariants(content_dir, content))
    return check_safety_case(log, proofs, results, (rule.id for rule in every_rule(content)), project_root)
