"""Staff commands: `flask clinics check` and `flask clinics qr SLUG --out DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from ...errors import did_you_mean
from ...model import Content
from ..staff.clinic_tools import qr_png, qr_svg
from ..state import base_content, settings
from .options import content_option
from .rules import _content

clinics = AppGroup("clinics", help="Check clinic files and make their QR codes.")


@clinics.command("check")
@content_option
def check(content_dir: Path | None) -> None:
    """Validate the clinic files and the emergency-number table; print every error and exit 1 if any."""
    content = _content(content_dir)
    click.echo(f"OK: {len(content.clinics)} clinic(s), {len(content.emergency_numbers)} countries with an emergency number")
    for clinic in content.clinics.values():
        framing = ", ".join(clinic.embed_origins) or "nobody"
        click.echo(f"  {clinic.slug}: {clinic.name} ({clinic.country}, emergency {clinic.emergency_number}; "
                   f"may be framed by {framing}){' [example]' if clinic.example else ''}")


@clinics.command("qr")
@click.argument("slug")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory to write SLUG-qr.svg and SLUG-qr.png into.")
@click.option("--base-url", default=None, help="The app's public address, e.g. https://pump.example.org "
                                              "(default: the PUBLIC_URL setting).")
def qr(slug: str, out_dir: Path, base_url: str | None) -> None:
    """Write the QR code of a clinic's link as SVG and PNG."""
    content: Content = base_content()
    clinic = content.clinics.get(slug)
    if clinic is None:
        raise click.ClickException(f"no clinic '{slug}'. Clinics: {', '.join(sorted(content.clinics)) or 'none'}."
                                   f"{did_you_mean(slug, content.clinics)}")
    base = base_url or settings().public_url
    if not base or not str(base).startswith(("https://", "http://")):
        raise click.ClickException("give the app's public address with --base-url https://... or the PUBLIC_URL "
                                   "setting: the QR code must carry the link patients can open")
    link = f"{str(base).rstrip('/')}/c/{clinic.slug}"
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix, data in (("svg", qr_svg(link)), ("png", qr_png(link))):
        path = out_dir / f"{clinic.slug}-qr.{suffix}"
        path.write_bytes(data)
        click.echo(f"wrote {path}")
    click.echo(f"link: {link}")


def init_app(app: Flask) -> None:
    app.cli.add_command(clinics)
