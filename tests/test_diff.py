"""Impact report: exactly the rules and scenarios that changed, and the share of answer sets affected."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from questionnaire import Engine, load_content
from questionnaire.analysis import diff, impact_json
from questionnaire.errors import ContentErrors
from tests.test_lint import _every_answer_set

IMPACT = Path(__file__).parent / "fixtures" / "impact"
OLD, NEW = IMPACT / "old", IMPACT / "new"


def test_diff_names_exactly_the_changed_rules_in_words():
    impact = diff(OLD, NEW)
    assert {(c.rule, c.status) for c in impact.rules} == {
        ("no-pump-info", "added"), ("severe", "changed"), ("itch-and-fever", "changed")}
    severe = next(c for c in impact.rules if c.rule == "severe")
    assert any("was shown when answered 7 or more" in words and "now shown when answered 6 or more" in words
               for words in severe.changes)
    assert any('now also shows for answers it did not show for before, e.g. {"severity": 6}' in words
               for words in severe.changes)
    assert next(c for c in impact.rules if c.rule == "itch-and-fever").changes == ("rationale reworded",)


def test_diff_names_exactly_the_scenarios_whose_outcome_changes():
    impact = diff(OLD, NEW)
    assert impact.scenario_count == 4
    assert [s.name for s in impact.scenarios] == ["A person without a pump whose stiffness is a 6 out of 10."]
    moved = impact.scenarios[0]
    assert set(moved.added) == {"severe", "no-pump-info"} and moved.removed == ("talk",)
    assert (moved.old_highest, moved.new_highest) == ("info", "discuss")


def test_share_of_answer_sets_is_exact_and_matches_brute_force():
    impact = diff(OLD, NEW)
    old, new = load_content(OLD), load_content(NEW)
    every = _every_answer_set(new.questionnaire)
    before, after = Engine(old), Engine(new)
    differ = sum(1 for answers in every
                 if [(g.rule.id, g.text) for g in before.evaluate(answers, "911").guidance]
                 != [(g.rule.id, g.text) for g in after.evaluate(answers, "911").guidance])
    # severity 6 (7 answer sets) or no pump (12), counted once each: 18 of 84
    assert (impact.affected, impact.total) == (differ, len(every)) == (18, 84)
    assert impact.method.startswith("exact count")


def test_diff_command_prints_markdown_and_json(runner):
    result = runner.invoke(args=["rules", "diff", str(OLD), str(NEW)])
    assert result.exit_code == 0, result.output
    assert "## Rules added (1)" in result.output and "`no-pump-info`" in result.output
    assert "## Scenarios whose outcome changes (1 of 4)" in result.output
    assert "18 of 84 possible answer sets (21.43%)" in result.output
    as_json = runner.invoke(args=["rules", "diff", str(OLD), str(NEW), "--json"])
    body = json.loads(as_json.output)
    assert body["affected"] == 18 and body["total"] == 84
    assert body == json.loads(json.dumps(impact_json(diff(OLD, NEW))))


def test_diff_against_a_git_revision(runner, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(OLD, repo / "content")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "old rules"], check=True)
    shutil.rmtree(repo / "content")
    shutil.copytree(NEW, repo / "content")
    result = runner.invoke(args=["rules", "diff", "--git", "HEAD", str(repo / "content")])
    assert result.exit_code == 0, result.output
    assert "18 of 84 possible answer sets" in result.output
    missing = runner.invoke(args=["rules", "diff", "--git", "no-such-revision", str(repo / "content")])
    assert missing.exit_code == 1 and "cannot read revision 'no-such-revision'" in missing.output


def test_changed_rule_without_new_review_date_is_a_warning(tmp_path):
    from questionnaire.analysis.changes import change_findings

    repo = tmp_path / "repo"
    shutil.copytree(OLD, repo / "content")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "old rules"], check=True)
    shutil.rmtree(repo / "content")
    shutil.copytree(NEW, repo / "content")  # severe changed, reviewed_on kept
    findings = change_findings(load_content(repo / "content"), repo / "content")
    assert {f.rule for f in findings} == {"severe", "itch-and-fever"}
    assert all(f.severity == "warning" and "reviewed_on" in f.message for f in findings)
    assert change_findings(load_content(OLD), tmp_path) == []  # not a git checkout: skipped quietly


def test_when_an_exact_count_is_too_large_the_sample_is_stated_and_close():
    impact = diff(OLD, NEW, count_budget=1)
    assert impact.method.startswith("estimated from a fixed random sample of 10,000 answer sets")
    assert abs(impact.affected - 18) <= 3 and impact.total == 84


def test_a_rule_set_older_than_2_0_0_without_topics_still_diffs_against_the_new_one(tmp_path):
    # Before 2.0.0 topics were fixed in code, so old content declares none: `rules diff` against
    # such a version must still work (with the new content's topics), and the app must not start on it.
    old = tmp_path / "old"
    shutil.copytree(OLD, old)
    ruleset = old / "ruleset.yaml"
    text = ruleset.read_text(encoding="utf-8")
    start = text.index("topics:")
    kept = [line for line in text[start:].splitlines(keepends=True)[1:] if not line.startswith(("  ", "-"))]
    ruleset.write_text(text[:start] + "".join(kept), encoding="utf-8")
    assert "topics:" not in ruleset.read_text(encoding="utf-8")
    with pytest.raises(ContentErrors, match="'topics' is a required property"):
        load_content(old)
    impact = diff(old, NEW)
    assert {(c.rule, c.status) for c in impact.rules} == {
        ("no-pump-info", "added"), ("severe", "changed"), ("itch-and-fever", "changed")}
