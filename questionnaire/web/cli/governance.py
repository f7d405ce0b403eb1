"""Clinical governance commands on the `rules` group: sign-off, release and safety-case."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ...errors import ContentErrors, did_you_mean
from ...governance import (
    RELEASES_FILE,
    SIGNOFFS_FILE,
    Governance,
    SafetyCase,
    build_safety_case,
    load_governance,
    report_lines,
)
from ...governance.records import append, release_yaml, signoff_yaml
from ...governance.signing import RULE, TRANSLATION
from ...loader import load_content
from ...model import Content
from ..state import content_folder
from .options import content_option


def _fresh(content_dir: Path | None) -> tuple[Content, Governance, Path]:
    """The content and its records as they are on disk now (the files may have changed since start-up)."""
    directory = content_dir or content_folder()
    try:
        content = load_content(directory)
        return content, load_governance(directory, content), directory
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None


def _person(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise click.UsageError(f"{what} must name a real person or role; it is never filled in for you")
    return value


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


@click.command("sign-off")
@with_appcontext
@click.argument("rule_ids", nargs=-1)
@click.option("--reviewer", required=True, help="Your full name, as it should appear in the record.")
@click.option("--role", required=True, help="Your clinical role, e.g. 'Consultant in rehabilitation medicine'.")
@click.option("--all-pending", is_flag=True, help="Every rule not signed off against its current text.")
@click.option("--translations", "language", help="Also every pending translated string in this language (e.g. es).")
@content_option
def sign_off_command(rule_ids: tuple[str, ...], reviewer: str, role: str, all_pending: bool, language: str | None,
                     content_dir: Path | None) -> None:
    """Record that REVIEWER has read and signs off these rules (and translations) as they are now."""
    reviewer, role = _person(reviewer, "--reviewer"), _person(role, "--role")
    if not (rule_ids or all_pending or language):
        raise click.UsageError("name the rules to sign off, or use --all-pending and/or --translations LANG")
    content, governance, directory = _fresh(content_dir)
    rules = {status.item.ident: status for status in governance.rules()}
    unknown = [rule_id for rule_id in rule_ids if rule_id not in rules]
    if unknown:
        raise click.ClickException("; ".join(f"no rule has the id '{rule_id}'.{did_you_mean(rule_id, rules)}"
                                             for rule_id in unknown) + " Nothing was signed.")
    if language is not None and language not in content.locales:
        raise click.ClickException(f"no translation into '{language}'.{did_you_mean(language, content.locales)} "
                                   f"Nothing was signed.")
    chosen = [rules[rule_id] for rule_id in dict.fromkeys(rule_ids)]
    if all_pending:
        chosen += [status for status in governance.rules() if not status.signed and status not in chosen]
    if language is not None:
        chosen += [status for status in governance.translations()
                   if status.item.language == language and not status.signed]
    already = [status for status in chosen if status.signed]
    todo = [status for status in chosen if not status.signed]
    for status in already:
        click.echo(f"already signed off against its current text: {status.item} "
                   f"({status.signoff.reviewer if status.signoff else ''})")
    if not todo:
        click.echo("Nothing to sign: everything chosen is already signed off against its current text.")
        return
    signed_on = datetime.fromisoformat(_today()).date()
    append(directory / SIGNOFFS_FILE, "".join(signoff_yaml(status.item, reviewer, role, signed_on) for status in todo))
    load_governance(directory, content)  # what was written must read back; a failure here is a bug, not data
    click.echo(f"Signed off by {reviewer} ({role}) on {signed_on.isoformat()}:")
    for status in todo:
        changed = " (changed since the last sign-off)" if status.signoff is not None else ""
        click.echo(f"  {status.item}{changed}")
    rules_signed = sum(status.item.kind == RULE for status in todo)
    click.echo(f"{rules_signed} rules and {sum(s.item.kind == TRANSLATION for s in todo)} translations written to "
               f"{directory / SIGNOFFS_FILE}. Check the diff and commit it.")


def _safety_case(content: Content, directory: Path) -> SafetyCase | None:
    try:
        return build_safety_case(content, directory, Path(current_app.root_path))
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None


@click.command("release")
@with_appcontext
@click.option("--officer", required=True, help="The clinical safety officer's full name.")
@click.option("--role", required=True, help="Their role, e.g. 'Clinical safety officer'.")
@click.option("--summary", required=True, help="The safety-case summary this release rests on.")
@content_option
def release_command(officer: str, role: str, summary: str, content_dir: Path | None) -> None:
    """Approve the content as it is now: refused unless everything is signed off and the safety case holds."""
    officer, role, summary = _person(officer, "--officer"), _person(role, "--role"), _person(summary, "--summary")
    content, governance, directory = _fresh(content_dir)
    if governance.release is not None:
        raise click.ClickException(f"this content is already the approved release {governance.release.label} "
                                   f"({governance.release.file}:{governance.release.line})")
    pending = governance.pending
    if pending:
        lines = [f"  {status}" for status in pending]
        raise click.ClickException("cannot release: not everything is signed off against its current text "
                                   f"({governance.summary()}):\n" + "\n".join(lines))
    case = _safety_case(content, directory)
    if case is None or not case.holds:
        problems = case.problems if case is not None else [f"no hazard log at {directory / 'safety/hazards.yaml'}"]
        raise click.ClickException("cannot release: the safety case does not hold:\n"
                                   + "\n".join(f"  {problem}" for problem in problems))
    ruleset = content.ruleset
    released_on = datetime.fromisoformat(_today()).date()
    append(directory / RELEASES_FILE, release_yaml(ruleset.version, ruleset.sha256, officer, role, released_on, summary))
    load_governance(directory, content)
    click.echo(f"Released {ruleset.label}, approved by {officer} ({role}) on {released_on.isoformat()}.\n"
               f"Written to {directory / RELEASES_FILE}. Check the diff and commit it; deploy with "
               f"REQUIRE_SIGNED_CONTENT=1.")


@click.command("safety-case")
@with_appcontext
@content_option
def safety_case_command(content_dir: Path | None) -> None:
    """Check every hazard's evidence (invariants proven, scenarios passing, tests present) and print the report."""
    directory = content_dir or content_folder()
    content, governance, directory = _fresh(directory)
    case = _safety_case(content, directory)
    if case is None:
        raise click.ClickException(f"no hazard log at {directory / 'safety' / 'hazards.yaml'}")
    for line in report_lines(case):
        click.echo(line)
    release = governance.release
    click.echo(f"Sign-off: {governance.summary()}.")
    click.echo(f"Release: {release.label} approved by {release.officer} ({release.role}) on {release.released_on}"
               if release else "Release: none; this content is a draft (patients see a notice saying so).")
    if not case.holds:
        click.echo("\nThe safety case does not hold:", err=True)
        for problem in case.problems or ["the hazard log lists no hazards"]:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)


def register(group: AppGroup) -> None:
    for command in (sign_off_command, release_command, safety_case_command):
        group.add_command(command)
