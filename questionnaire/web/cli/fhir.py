"""`flask fhir export|publish`: the questionnaire as FHIR R4 resources, for a validator or a FHIR server."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from ...fhir import FhirSettings, build_questionnaire
from ..api.fhir import publication, settings
from ..state import base_content

commands = AppGroup("fhir", help="FHIR R4 exports of the questionnaire.")


@commands.command("export")
@click.option("--canonical", default=None, help="The Questionnaire's canonical URL (default: the app's FHIR_CANONICAL).")
def export(canonical: str | None) -> None:
    """Print the questionnaire as a FHIR R4 Questionnaire (JSON)."""
    chosen = FhirSettings(canonical=canonical) if canonical else settings()
    click.echo(json.dumps(build_questionnaire(base_content(), chosen, publication()), ensure_ascii=False, indent=2))


@commands.command("publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def publish(directory: Path) -> None:
    """Write the Questionnaire, its CodeSystems, extension StructureDefinitions and $evaluate as FHIR JSON files.

    For a validator or a FHIR server that should host them; file names are <resourceType>-<id>.json.
    """
    from ...fhir.terminology import (
        build_code_system,
        build_evaluate_operation,
        build_structure_definitions,
        coded_questions,
    )

    content, chosen, published = base_content(), settings(), publication()
    resources = [build_questionnaire(content, chosen, published), build_evaluate_operation(content, chosen, published),
                 *(build_code_system(content, q, chosen, published) for q in coded_questions(content)),
                 *build_structure_definitions(content, chosen, published).values()]
    directory.mkdir(parents=True, exist_ok=True)
    for resource in resources:
        path = directory / f"{resource['resourceType']}-{resource['id']}.json"
        path.write_text(json.dumps(resource, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"Wrote {len(resources)} resources to {directory}")


def init_app(app: Flask) -> None:
    app.cli.add_command(commands)
