"""Named sign-off of each rule and translation, and releases that rest on it: an edit voids a sign-off, visibly."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from app import StartupError, create_app
from questionnaire import load_content
from questionnaire.conditions import Not
from questionnaire.governance import SignOffState, load_governance, rule_hash
from questionnaire.loader import DEFAULT_CONTENT_DIR
from questionnaire.model import Level, Reference, Topic
from tests.conftest import FIXTURES

RELEASED = FIXTURES / "released"
REVIEWER = ["--reviewer", "Test fixture reviewer", "--role", "Test data, not a clinician"]
OFFICER = ["--officer", "Test fixture safety officer", "--role", "Test data, not a clinical safety officer",
           "--summary", "Test fixture: one hazard, its control verified."]


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A copy of the signed and released fixture that a test may edit."""
    return Path(shutil.copytree(RELEASED, tmp_path / "released"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_released_fixture_is_signed_released_and_its_safety_case_holds(runner: FlaskCliRunner) -> None:
    content = load_content(RELEASED)
    governance = load_governance(RELEASED, content)
    assert not governance.pending and governance.release is not None
    assert governance.release.sha256 == content.ruleset.sha256
    assert {record.reviewer for record in governance.signoffs} == {"Test fixture reviewer"}
    result = runner.invoke(args=["rules", "safety-case", "--content", str(RELEASED)])
    assert result.exit_code == 0, result.output
    assert "Release: 0.2.0" in result.output and "Test fixture safety officer" in result.output


def test_nothing_shipped_is_signed_or_released(content) -> None:
    governance = load_governance(DEFAULT_CONTENT_DIR, content)
    assert governance.signoffs == () and governance.releases == ()
    assert governance.release is None
    assert len(governance.pending) == len(governance.statuses) > 54


def test_sign_off_needs_a_named_reviewer_and_refuses_unknown_rules(runner: FlaskCliRunner, released: Path) -> None:
    records = (released / "signoffs.yaml").read_text()
    for args in (["--reviewer", "  ", "--role", "Nurse", "pump-seizure"], ["--role", "Nurse", "pump-seizure"],
                 ["--reviewer", "Dr B", "--role", "", "pump-seizure"], [*REVIEWER]):
        result = runner.invoke(args=["rules", "sign-off", "--content", str(released), *args])
        assert result.exit_code == 2, (args, result.output)
    result = runner.invoke(args=["rules", "sign-off", "--content", str(released), *REVIEWER, "pump-seizure",
                                 "pump-seizur"])
    assert result.exit_code == 1
    assert "no rule has the id 'pump-seizur'. Did you mean 'pump-seizure'? Nothing was signed." in result.output
    assert (released / "signoffs.yaml").read_text() == records, "nothing written"


def test_sign_off_writes_one_record_per_rule_with_who_when_and_the_hash(runner: FlaskCliRunner, tmp_path: Path) -> None:
    directory = Path(shutil.copytree(RELEASED, tmp_path / "fresh"))
    (directory / "signoffs.yaml").write_text("# no records yet\n")
    result = runner.invoke(args=["rules", "sign-off", "--content", str(directory), "--reviewer", "Dr Ana Test",
                                 "--role", "Consultant (test)", "pump-seizure"])
    assert result.exit_code == 0, result.output
    assert "Signed off by Dr Ana Test (Consultant (test))" in result.output and "rule pump-seizure" in result.output
    content = load_content(directory)
    governance = load_governance(directory, content)
    [record] = governance.signoffs
    rule = next(r for r in content.ruleset.rules if r.id == "pump-seizure")
    assert (record.kind, record.ident, record.reviewer, record.role, record.sha256) == (
        "rule", "pump-seizure", "Dr Ana Test", "Consultant (test)", rule_hash(rule))
    assert (directory / "signoffs.yaml").read_text().startswith("# no records yet\n- kind: rule\n")
    assert governance.rule_status("pump-seizure").signed and not governance.rule_status("talk").signed
    again = runner.invoke(args=["rules", "sign-off", "--content", str(directory), *REVIEWER, "pump-seizure"])
    assert "already signed off against its current text: rule pump-seizure" in again.output
    assert len(load_governance(directory, content).signoffs) == 1


def test_editing_signed_guidance_shows_changed_since_sign_off_in_lint_and_review(runner: FlaskCliRunner,
                                                                                 released: Path) -> None:
    edit(released / "rules" / "rules.yaml", "A seizure with fever needs care at once.",
         "A seizure with fever needs care soon.")
    governance = load_governance(released, load_content(released))
    status = governance.rule_status("pump-seizure")
    assert status is not None and status.state is SignOffState.CHANGED
    assert governance.release is None, "the edit changed the content hash: no longer the approved release"
    lint = runner.invoke(args=["rules", "lint", "--content", str(released)])
    assert ("warning: [pump-seizure] changed-since-sign-off: rule pump-seizure changed since sign-off by Test "
            "fixture reviewer") in lint.output
    assert lint.output.count("changed-since-sign-off") == 1
    client = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(released)}).test_client()
    page = client.get("/review/rules/pump-seizure").get_data(as_text=True)
    assert "Changed since sign-off" in page and "Test fixture reviewer" in page
    assert "Signed off" in client.get("/review/rules/pump-itch-or-fever").get_data(as_text=True)
    index = client.get("/review/").get_data(as_text=True)
    assert "5 of 6 rules signed off" in index


def test_release_is_refused_until_the_changed_rule_is_signed_again(runner: FlaskCliRunner, released: Path) -> None:
    edit(released / "rules" / "rules.yaml", "A seizure with fever needs care at once.",
         "A seizure with fever needs care soon.")
    before = (released / "releases.yaml").read_text()
    refused = runner.invoke(args=["rules", "release", "--content", str(released), *OFFICER])
    assert refused.exit_code == 1
    assert "cannot release: not everything is signed off" in refused.output
    assert "rule pump-seizure: changed since sign-off by Test fixture reviewer" in refused.output
    assert "rule talk" not in refused.output, "only what is unsigned is listed"
    assert (released / "releases.yaml").read_text() == before
    signed = runner.invoke(args=["rules", "sign-off", "--content", str(released), *REVIEWER, "--all-pending"])
    assert signed.exit_code == 0 and "rule pump-seizure (changed since the last sign-off)" in signed.output
    done = runner.invoke(args=["rules", "release", "--content", str(released), *OFFICER])
    assert done.exit_code == 0, done.output
    content = load_content(released)
    governance = load_governance(released, content)
    assert len(governance.releases) == 2 and governance.release is not None
    assert governance.release.sha256 == content.ruleset.sha256 and governance.release.officer == OFFICER[1]
    again = runner.invoke(args=["rules", "release", "--content", str(released), *OFFICER])
    assert again.exit_code == 1 and "already the approved release" in again.output


def test_release_is_refused_when_the_safety_case_does_not_hold(runner: FlaskCliRunner, released: Path) -> None:
    (released / "releases.yaml").write_text("")
    edit(released / "safety" / "hazards.yaml", "invariant: seizure-is-emergency", "invariant: seizure-is-urgent")
    result = runner.invoke(args=["rules", "release", "--content", str(released), *OFFICER])
    assert result.exit_code == 1
    assert "the safety case does not hold" in result.output and "FIX-01: invariant 'seizure-is-urgent'" in result.output
    assert (released / "releases.yaml").read_text() == ""


def test_a_translation_sign_off_is_void_when_its_english_changes(runner: FlaskCliRunner, tmp_path: Path) -> None:
    directory = Path(shutil.copytree(DEFAULT_CONTENT_DIR, tmp_path / "content"))
    result = runner.invoke(args=["rules", "sign-off", "--content", str(directory), *REVIEWER, "--translations", "es"])
    assert result.exit_code == 0, result.output
    content = load_content(directory)
    governance = load_governance(directory, content)
    assert all(status.signed for status in governance.translations())
    assert not any(status.signed for status in governance.rules()), "--translations signs only translations"
    rule = content.ruleset.rules[0]
    path = Path(rule.source.file)  # the copy's file: it lies outside the working directory
    edit(path, f"title: {rule.title}", f"title: {rule.title} now")
    changed = load_governance(directory, load_content(directory))
    void = [status for status in changed.translations() if not status.signed]
    assert [status.item.ident for status in void] == [f"rule.{rule.id}.title"]
    assert void[0].state is SignOffState.CHANGED and void[0].item.language == "es"


def test_the_rule_hash_covers_everything_a_reviewer_signs_and_nothing_else(content) -> None:
    rule = next(r for r in content.ruleset.rules if r.caregiver_guidance and r.when is not None)
    signed = rule_hash(rule)
    for change in ({"level": Level.INFO}, {"topic": Topic("general")}, {"title": "x"}, {"guidance": "x"},
                   {"caregiver_title": "x"}, {"caregiver_guidance": "x"}, {"when": Not(rule.when)}, {"rationale": "x"},
                   {"references": (Reference("Another source"),)}):
        assert rule_hash(dataclasses.replace(rule, **change)) != signed, change
    for change in ({"reviewed_by": "someone else"}, {"owner": "x"}):
        assert rule_hash(dataclasses.replace(rule, **change)) == signed, change


def test_the_content_hash_leaves_out_the_records_and_the_hazard_log(tmp_path: Path) -> None:
    directory = Path(shutil.copytree(RELEASED, tmp_path / "content"))
    sha256 = load_content(directory).ruleset.sha256
    for name in ("signoffs.yaml", "releases.yaml", "safety/hazards.yaml"):
        with (directory / name).open("a") as file:
            file.write("# a comment\n")
    assert load_content(directory).ruleset.sha256 == sha256
    edit(directory / "ruleset.yaml", 'version: "0.2.0"', 'version: "0.2.1"')
    assert load_content(directory).ruleset.sha256 != sha256


def test_bad_records_stop_the_app_naming_file_line_and_id(released: Path) -> None:
    (released / "signoffs.yaml").write_text(
        "- kind: rule\n  id: pump-seizur\n  reviewer: A\n  role: B\n  date: \"2026-12-01\"\n  sha256: " + "a" * 64 +
        "\n- kind: rulez\n  id: talk\n  reviewer: \"\"\n  role: B\n  date: \"2026-13-01\"\n  sha256: abc\n")
    (released / "releases.yaml").write_text("- version: \"0.2.0\"\n  sha256: " + "b" * 64 + "\n  officer: X\n")
    with pytest.raises(StartupError) as stopped:
        create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(released)})
    message = str(stopped.value)
    for expected in ("signoffs.yaml:2: [pump-seizur] no rule has this id. Did you mean 'pump-seizure'?",
                     "signoffs.yaml:7: [talk] kind 'rulez' is not valid. Valid kinds: rule, translation. "
                     "Did you mean 'rule'?",
                     "signoffs.yaml:9: [talk] 'reviewer' is missing or empty",
                     "signoffs.yaml:11: [talk] date '2026-13-01' is not a real date",
                     "signoffs.yaml:12: [talk] sha256 must be 64 lowercase hex digits",
                     "releases.yaml:1: [0.2.0] 'role' is missing or empty"):
        assert expected in message, (expected, message)
