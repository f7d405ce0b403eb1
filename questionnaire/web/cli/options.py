"""The options every staff command shares, declared once."""

from __future__ import annotations

from pathlib import Path

import click

content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A content directory to use instead of the one the app serves.")
