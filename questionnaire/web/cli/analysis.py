"""Reviewer commands on the `rules` group: test, coverage, lint and diff (the analysis lives in questionnaire.analysis)."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from ...analysis import (
    Proof,
    ScenarioResult,
    coverage,
    diff,
    impact_json,
    impact_markdown,
    lint,
    load_invariants,
    load_scenarios,
    prove_invariants,
    run_scenarios,
)
from ...analysis.changes import GitUnavailable, content_at_revision
from ...errors import ContentErrors
from ...governance.findings import signoff_findings
from ...loader import load_content
from ...model import Content
from ..state import base_content, content_folder, settings
from .options import content_option


def _loaded(content_dir: Path | None) -> tuple[Content, Path]:
    if content_dir is None:
        return base_content(), content_folder()
    try:
        return load_content(content_dir), content_dir
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None


def _results(content: Content, content_dir: Path) -> list[ScenarioResult]:
    try:
        return run_scenarios(content, load_scenarios(content_dir, content))
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None


@click.command("test")
@with_appcontext
@content_option
def test_command(content_dir: Path | None) -> None:
    """Run every scenario; print pass or fail for each and exit 1 on any failure."""
    content, directory = _loaded(content_dir)
    results = _results(content, directory)
    failed = [result for result in results if not result.passed]
    for result in results:
        click.echo(f"{'PASS' if result.passed else 'FAIL'}  {result.scenario.name}")
        if not result.passed:
            click.echo(f"      {result.scenario.file}:{result.scenario.line}")
            for problem in result.problems:
                click.echo(f"      - {problem}")
            click.echo(f"      fired: {', '.join(result.fired) or 'nothing'}")
    click.echo(f"\n{len(results) - len(failed)} passed, {len(failed)} failed, {len(results)} scenarios")
    if failed or not results:
        if not results:
            click.echo(f"No scenarios found in {directory / 'scenarios'}", err=True)
        raise SystemExit(1)


@click.command("coverage")
@with_appcontext
@content_option
def coverage_command(content_dir: Path | None) -> None:
    """Scenarios per rule, rules no scenario fires (exit 1 if any) and answer codes nothing reads."""
    content, directory = _loaded(content_dir)
    report = coverage(content, _results(content, directory))
    width = max((len(rule_id) for rule_id in report.per_rule), default=10)
    click.echo("Scenarios firing each rule:")
    for rule_id, count in report.per_rule.items():
        click.echo(f"  {rule_id:<{width}}  {count}{'  <- no scenario' if not count else ''}")
    covered = len(report.per_rule) - len(report.uncovered)
    click.echo(f"\nRule coverage: {covered} of {len(report.per_rule)} rules")
    if report.unread_codes:
        click.echo("Answer codes no rule or show_if reads (fine for context questions; check the rest):")
        for question, code in report.unread_codes:
            click.echo(f"  {question}: {code}")
    if report.uncovered:
        click.echo(f"Rules with no scenario: {', '.join(report.uncovered)}", err=True)
        raise SystemExit(1)


def _proof_line(proof: Proof) -> str:
    invariant = proof.invariant
    if proof.holds:
        return f"  PROVEN  {invariant.id}: {invariant.description}"
    return (f"  BROKEN  {invariant.id}: {invariant.description}\n"
            f"          counterexample: {json.dumps(proof.counterexample)}\n"
            f"          with these answers it is not true that {invariant.then_text}")


@click.command("lint")
@with_appcontext
@content_option
def lint_command(content_dir: Path | None) -> None:
    """Exact lint of rules and proofs of every invariant; exit 1 on an error or a broken invariant."""
    content, directory = _loaded(content_dir)
    months = settings().review_overdue_months
    findings = sorted(lint(content, directory, review_months=months) + signoff_findings(content, directory),
                      key=lambda finding: finding.severity != "error")
    try:
        proofs = prove_invariants(content, load_invariants(directory, content))
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None
    for finding in findings:
        click.echo(str(finding))
        if finding.counterexample is not None:
            click.echo(f"  e.g. {json.dumps(finding.counterexample)}")
    errors = [finding for finding in findings if finding.severity == "error"]
    click.echo(f"\n{len(errors)} errors, {len(findings) - len(errors)} warnings")
    click.echo(f"\nInvariants ({len(proofs)}):")
    for proof in proofs:
        click.echo(_proof_line(proof))
    broken = [proof for proof in proofs if not proof.holds]
    if errors or broken:
        raise SystemExit(1)


@click.command("diff")
@with_appcontext
@click.argument("old", required=False, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("new", required=False, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--git", "revision", help="Compare the content at this git revision with the working tree.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
def diff_command(old: Path | None, new: Path | None, revision: str | None, as_json: bool) -> None:
    """Impact of a rule change: OLD NEW content directories, or --git REV against the working tree."""
    with ExitStack() as stack:
        if revision is not None:
            if new is not None:
                raise click.UsageError("with --git give at most one content directory (the working tree's)")
            new = old or content_folder()
            try:
                old = stack.enter_context(content_at_revision(revision, new))
            except GitUnavailable as exc:
                raise click.ClickException(f"cannot read revision {revision!r}: {exc}") from None
        if old is None or new is None:
            raise click.UsageError("give two content directories, OLD and NEW, or --git REV")
        try:
            impact = diff(old, new)
        except ContentErrors as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(json.dumps(impact_json(impact), indent=2, ensure_ascii=False) if as_json else impact_markdown(impact))


def register(group: AppGroup) -> None:
    for command in (test_command, coverage_command, lint_command, diff_command):
        group.add_command(command)
