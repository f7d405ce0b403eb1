"""The hazard log and `flask rules safety-case`: every control's evidence is checked, and a broken link fails CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from questionnaire import load_content
from questionnaire.errors import ContentErrors
from questionnaire.governance import build_safety_case, load_hazard_log, risk
from questionnaire.governance.hazards import LIKELIHOODS, SEVERITIES
from questionnaire.loader import DEFAULT_CONTENT_DIR
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
RELEASED = FIXTURES / "released"


def copy(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(source, tmp_path / source.name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_safety_case_holds_on_the_shipped_content_with_at_least_12_hazards(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rules", "safety-case"])
    assert result.exit_code == 0, result.output
    case = build_safety_case(load_content(), DEFAULT_CONTENT_DIR, ROOT)
    assert case is not None and case.holds
    assert len(case.hazards) >= 12
    for checked in case.hazards:
        assert any(control.holds for control in checked.controls), checked.hazard.id
        kinds = {item.evidence.kind for control in checked.controls for item in control.evidence}
        assert kinds, checked.hazard.id
        assert f"{checked.hazard.id}: {checked.hazard.title}" in result.output
    all_kinds = {item.evidence.kind for h in case.hazards for c in h.controls for item in c.evidence}
    assert all_kinds == {"invariant", "scenario", "test"}
    for heading in ("risk before controls:", "[VERIFIED]", "residual risk:", "Residual risks above 2", "Open items:",
                    "No clinician has signed off any rule", "Release: none; this content is a draft"):
        assert heading in result.output, heading


@pytest.mark.parametrize(("file", "old", "new", "named"), [
    ("safety/hazards.yaml", "invariant: seizure-is-emergency", "invariant: seizure-is-emergencyy",
     "FIX-01: invariant 'seizure-is-emergencyy' ("),
    ("invariants.yaml", "then: {highest_level: emergency}", "then: {excludes: [pump-seizure]}",
     "FIX-01: invariant 'seizure-is-emergency'"),
    ("scenarios/people.yaml", "includes: [pump-seizure, pump-itch-or-fever, severe-stiffness]",
     "includes: [pump-seizure, pump-itch-or-fever, severe-stiffness, talk]",
     "FIX-01: scenario 'A pump user who had a seizure with a fever should call for help at once.'"),
    ("safety/hazards.yaml", "scenario: A pump user who had a seizure", "scenario: A pump user who had two seizures",
     "FIX-01: scenario 'A pump user who had two seizures"),
    ("safety/hazards.yaml", "test: tests/test_signoff.py::test_the_released_fixture",
     "test: tests/test_signoff.py::test_the_unreleased_fixture", "FIX-01: test 'tests/test_signoff.py::test_the_unreleased"),
    ("safety/hazards.yaml", "test: tests/test_signoff.py", "test: tests/test_no_such_file.py",
     "no test file tests/test_no_such_file.py"),
    ("safety/hazards.yaml", "rules: [pump-seizure]", "rules: [pump-seizures]", "names unknown rule 'pump-seizures'"),
], ids=["unknown-invariant", "unproven-invariant", "failing-scenario", "unknown-scenario", "missing-test",
        "missing-test-file", "unknown-rule"])
def test_breaking_any_evidence_link_fails_naming_the_hazard(runner: FlaskCliRunner, tmp_path: Path, file: str,
                                                            old: str, new: str, named: str) -> None:
    directory = copy(RELEASED, tmp_path)
    assert runner.invoke(args=["rules", "safety-case", "--content", str(directory)]).exit_code == 0
    edit(directory / file, old, new)
    result = runner.invoke(args=["rules", "safety-case", "--content", str(directory)])
    assert result.exit_code == 1, result.output
    assert "The safety case does not hold:" in result.output
    assert named in result.output.split("The safety case does not hold:", 1)[1]
    assert "[BROKEN]" in result.output


def test_a_broken_link_in_the_shipped_log_names_its_hazard(runner: FlaskCliRunner, tmp_path: Path) -> None:
    directory = copy(DEFAULT_CONTENT_DIR, tmp_path)
    log = load_hazard_log(directory)
    assert log is not None
    hazard, evidence = next((h, e) for h in log.hazards for c in h.controls for e in c.evidence if e.kind == "invariant")
    edit(directory / "safety" / "hazards.yaml", f"invariant: {evidence.ref}\n", f"invariant: {evidence.ref}-gone\n")
    result = runner.invoke(args=["rules", "safety-case", "--content", str(directory)])
    assert result.exit_code == 1
    assert f"{hazard.id}: invariant '{evidence.ref}-gone'" in result.output
    assert "no invariant has this id" in result.output


def test_hazard_log_mistakes_name_file_line_and_hazard(tmp_path: Path) -> None:
    directory = copy(RELEASED, tmp_path)
    path = directory / "safety" / "hazards.yaml"
    edit(path, "before: {severity: catastrophic, likelihood: medium}", "before: {severity: catastrophc, likelihood: medium}")
    edit(path, "after: {severity: catastrophic", "afterwards: {severity: catastrophic")
    with pytest.raises(ContentErrors) as raised:
        load_hazard_log(directory)
    message = str(raised.value)
    assert "hazards.yaml:4: [FIX-01] before/severity 'catastrophc' is not valid." in message
    assert "Did you mean 'catastrophic'?" in message
    assert "[FIX-01] unknown key 'afterwards'" in message and "Did you mean 'after'?" in message


def test_risk_after_controls_may_not_exceed_risk_before(tmp_path: Path) -> None:
    directory = copy(RELEASED, tmp_path)
    edit(directory / "safety" / "hazards.yaml", "after: {severity: catastrophic, likelihood: very-low}",
         "after: {severity: catastrophic, likelihood: very-high}")
    with pytest.raises(ContentErrors, match=r"\[FIX-01\] the risk after controls \(5\) is higher than before \(4\)"):
        load_hazard_log(directory)


def test_the_risk_matrix_runs_from_1_to_5_and_never_falls_as_severity_or_likelihood_rises() -> None:
    assert risk("minor", "very-low") == 1 and risk("catastrophic", "very-high") == 5
    for severity in SEVERITIES:
        values = [risk(severity, likelihood) for likelihood in LIKELIHOODS]
        assert values == sorted(values), severity
    for likelihood in LIKELIHOODS:
        values = [risk(severity, likelihood) for severity in SEVERITIES]
        assert values == sorted(values), likelihood
