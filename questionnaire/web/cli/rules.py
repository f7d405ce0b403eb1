"""Staff commands: `flask rules check` and `flask rules evaluate ANSWERS.json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

import click
from flask import Flask
from flask.cli import AppGroup

from ...answers import parse_answers
from ...engine import Engine, evaluation_to_json
from ...errors import AnswerError, ContentErrors
from ...loader import load_content
from ...model import Content
from ..state import base_content
from ..state import emergency_number as clinic_emergency_number
from .options import content_option

rules = AppGroup("rules", help="Check rule files and try them on saved answers.")



def _content(content_dir: Path | None) -> Content:
    if content_dir is None:
        return base_content()
    try:
        return load_content(content_dir)
    except ContentErrors as exc:
        raise click.ClickException(str(exc)) from None


@rules.command("check")
@content_option
def check(content_dir: Path | None) -> None:
    """Validate questions and rules; print every error and exit 1 if there are any."""
    content = _content(content_dir)
    questionnaire, ruleset = content.questionnaire, content.ruleset
    fallback = 1 if ruleset.fallback else 0
    click.echo(f"OK: {len(questionnaire.questions)} questions on {len(questionnaire.pages)} pages, "
               f"{len(ruleset.rules) + fallback} rules, rule set {ruleset.label}")


@rules.command("evaluate")
@click.argument("answers_file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of text.")
@click.option("--emergency-number", default=None, help="The number to put in emergency advice.")
@content_option
def evaluate(answers_file: BinaryIO, as_json: bool, emergency_number: str | None,
             content_dir: Path | None) -> None:
    """Print the guidance for a saved set of answers ({"answers": {...}} or just the answers)."""
    content = _content(content_dir)
    try:
        body = json.loads(answers_file.read())
    except ValueError as exc:
        raise click.ClickException(f"{answers_file.name} is not valid JSON: {exc}") from None
    raw = body.get("answers", body) if isinstance(body, dict) else body
    try:
        answers = parse_answers(content.questionnaire, raw)
    except AnswerError as exc:
        lines = [f"  {question or '(answers)'}: {message}" for question, message in exc.problems]
        raise click.ClickException("the answers do not fit the questionnaire:\n" + "\n".join(lines)) from None
    number = emergency_number or clinic_emergency_number()  # EMERGENCY_NUMBER, else DEFAULT_COUNTRY's
    evaluation = Engine(content).evaluate(answers, emergency_number=number)
    if as_json:
        click.echo(json.dumps(evaluation_to_json(evaluation), indent=2, ensure_ascii=False))
        return
    click.echo(f"Rule set {content.ruleset.label}")
    for level, items in evaluation.by_level():
        click.echo(f"\n{level.value.upper()}")
        for item in items:
            click.echo(f"- {item.rule.title} [{item.rule.id}]")
            click.echo(f"  {item.text}")
            for reason in item.because:
                click.echo(f"  because: {reason.text}")


def init_app(app: Flask) -> None:
    from .analysis import register  # test, coverage, lint, diff
    from .governance import register as register_governance  # sign-off, release, safety-case

    register(rules)
    register_governance(rules)
    app.cli.add_command(rules)
