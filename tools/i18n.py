"""Translation status of the content: missing and stale keys per language, and a skeleton for new ones.

Usage:
    .venv/bin/python tools/i18n.py status [LANG ...]     # exit 1 if any key is missing or stale
    .venv/bin/python tools/i18n.py skeleton LANG         # YAML entries to paste into locales/LANG.yaml

A skeleton entry carries the English as a comment and the hash of that English as `source`;
write the translation in `text`. For a stale key the old translation is shown too, so the
translator can see what changed. Use --content DIR for another content directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from questionnaire.errors import ContentErrors  # noqa: E402
from questionnaire.i18n import content_strings, missing, source_hash, stale  # noqa: E402
from questionnaire.loader import load_content  # noqa: E402
from questionnaire.model import Content  # noqa: E402


def status(content: Content, languages: list[str]) -> int:
    total = len(content_strings(content))
    problems = 0
    for language in languages:
        lacking, old = missing(content, language), stale(content, language)
        problems += len(lacking) + len(old)
        print(f"{language}: {total - len(lacking)}/{total} translated, {len(lacking)} missing, {len(old)} stale")
        for key in lacking:
            print(f"  missing  {key}")
        for key in old:
            print(f"  stale    {key}  (the English changed after it was translated)")
    return 1 if problems else 0


def skeleton(content: Content, language: str) -> str:
    """Entries for every missing or stale key, ready to fill in and paste under `strings:`."""
    english = content_strings(content)
    old = content.locales[language].strings if language in content.locales else {}
    lines = []
    for key in [*missing(content, language), *stale(content, language)]:
        lines.append(f"  # EN: {english[key]}")
        if key in old:
            lines.append(f"  # was: {old[key].text}")
        lines.append(f"  {key}: {{text: \"\", source: \"{source_hash(english[key])}\"}}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["status", "skeleton"])
    parser.add_argument("languages", nargs="*")
    parser.add_argument("--content", type=Path, default=None, help="content directory (default: the shipped one)")
    args = parser.parse_args(argv)
    try:
        content = load_content(args.content)
    except ContentErrors as exc:
        print(exc, file=sys.stderr)
        return 2
    languages = args.languages or sorted(content.locales)
    if args.command == "status":
        return status(content, languages)
    if len(languages) != 1:
        parser.error("skeleton takes exactly one language")
    print(skeleton(content, languages[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
