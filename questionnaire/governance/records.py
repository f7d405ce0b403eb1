"""Sign-off and release records: YAML lists in the content directory, validated at start-up, appended by the CLI.

Both files are kept out of the content hash (RuleSet.sha256): signing or releasing changes no word a
patient sees, so a release can name the hash of the very content it approves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ContentError, ContentErrors, did_you_mean, valid_list
from ..i18n import content_strings
from ..model import Content
from ..yamlfile import path_label, read_yaml
from .signing import KINDS, RULE, TRANSLATION, Signable, every_rule

SIGNOFFS_FILE = "signoffs.yaml"
RELEASES_FILE = "releases.yaml"
_HASH = re.compile(r"^[0-9a-f]{64}$")
_SIGNOFF_KEYS = ("kind", "id", "language", "reviewer", "role", "date", "sha256")
_RELEASE_KEYS = ("version", "sha256", "officer", "role", "date", "summary")


@dataclass(frozen=True)
class SignOff:
    """A named person's sign-off of one rule or translated string, against the hash of its text then."""

    kind: str
    ident: str
    reviewer: str
    role: str
    signed_on: date
    sha256: str
    file: str
    line: int
    language: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.kind, self.language, self.ident)


@dataclass(frozen=True)
class Release:
    """A release the clinical safety officer approved: the content hash, who, when and the safety case."""

    version: str
    sha256: str
    officer: str
    role: str
    released_on: date
    summary: str
    file: str
    line: int

    @property
    def label(self) -> str:
        return f"{self.version} ({self.sha256[:12]})"



def _read_list(path: Path, errors: list[ContentError]) -> tuple[str, list[Any]]:
    """A missing or comment-only file is an empty list; anything but a list is an error."""
    label = path_label(path)
    if not path.is_file():
        return label, []
    try:
        document = read_yaml(path, label)
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return label, []
    if document is None:
        return label, []
    if not isinstance(document, list):
        errors.append(ContentError(label, getattr(document, "line", 1), None,
                                   "the file is a list of records, each starting with '- '"))
        return label, []
    return label, document


Check = Callable[[str, str | None], None]


def _fields(raw: Any, label: str, keys: tuple[str, ...], required: tuple[str, ...], ident_key: str,
            errors: list[ContentError]) -> tuple[Mapping[str, Any], Check] | None:
    """Check a record's keys; return it and an error reporter that names its line and id."""
    line = getattr(raw, "line", None)
    if not isinstance(raw, Mapping):
        errors.append(ContentError(label, line, None, f"each record is a mapping with: {valid_list(required)}"))
        return None
    ident = raw.get(ident_key) if isinstance(raw.get(ident_key), str) else None
    key_lines: dict[str, int] = getattr(raw, "key_lines", {})

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(label, key_lines.get(key, line) if key else line, ident, message))

    for key in raw:
        if key not in keys:
            error(f"unknown key '{key}'. Valid keys: {valid_list(keys)}.{did_you_mean(key, keys)}", key)
    for key in required:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            error(f"'{key}' is missing or empty; a record never leaves out who, what or when", key)
    return raw, error


def _date(raw: Mapping[str, Any], key: str, error: Check) -> date | None:
    try:
        return date.fromisoformat(str(raw.get(key)))
    except ValueError:
        error(f"{key} {raw.get(key)!r} is not a real date (YYYY-MM-DD)", key)
        return None


def _hash(raw: Mapping[str, Any], error: Check) -> None:
    if not _HASH.match(str(raw.get("sha256", ""))):
        error("sha256 must be 64 lowercase hex digits (the hash of what was signed)", "sha256")


def load_signoffs(directory: Path, content: Content, errors: list[ContentError]) -> tuple[SignOff, ...]:
    """Read signoffs.yaml; unknown rules, languages or string keys are errors with a suggestion."""
    label, document = _read_list(Path(directory) / SIGNOFFS_FILE, errors)
    rule_ids = [rule.id for rule in every_rule(content)]
    keys = content_strings(content) if document else {}
    records = []
    for raw in document:
        checked = _fields(raw, label, _SIGNOFF_KEYS, ("kind", "id", "reviewer", "role", "date", "sha256"), "id", errors)
        if checked is None:
            continue
        fields, error = checked
        before = len(errors)
        kind, ident, language = fields.get("kind"), str(fields.get("id")), fields.get("language")
        if kind not in KINDS:
            error(f"kind {kind!r} is not valid. Valid kinds: {valid_list(KINDS)}.{did_you_mean(kind, KINDS)}", "kind")
        elif kind == RULE:
            if language is not None:
                error("a rule sign-off has no 'language' (the rule's translations are signed one by one)", "language")
            if ident not in rule_ids:
                error(f"no rule has this id.{did_you_mean(ident, rule_ids)}", "id")
        elif not isinstance(language, str) or language not in content.locales:
            error(f"language {language!r} has no locale file. Valid: {valid_list(sorted(content.locales))}."
                  f"{did_you_mean(language, content.locales)}", "language")
        elif ident not in content.locales[language].strings:
            error(f"the {language} locale has no string with this key.{did_you_mean(ident, keys)}", "id")
        signed_on = _date(fields, "date", error)
        _hash(fields, error)
        if len(errors) == before and signed_on is not None:
            records.append(SignOff(kind=str(kind), ident=ident, reviewer=fields["reviewer"].strip(),
                                   role=fields["role"].strip(), signed_on=signed_on, sha256=fields["sha256"],
                                   file=label, line=getattr(raw, "line", 1),
                                   language=language if kind == TRANSLATION else None))
    return tuple(records)


def load_releases(directory: Path, errors: list[ContentError]) -> tuple[Release, ...]:
    label, document = _read_list(Path(directory) / RELEASES_FILE, errors)
    releases = []
    for raw in document:
        checked = _fields(raw, label, _RELEASE_KEYS, _RELEASE_KEYS, "version", errors)
        if checked is None:
            continue
        fields, error = checked
        before = len(errors)
        released_on = _date(fields, "date", error)
        _hash(fields, error)
        if len(errors) == before and released_on is not None:
            releases.append(Release(version=fields["version"], sha256=fields["sha256"], officer=fields["officer"].strip(),
                                    role=fields["role"].strip(), released_on=released_on,
                                    summary=fields["summary"].strip(), file=label, line=getattr(raw, "line", 1)))
    return tuple(releases)


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def signoff_yaml(item: Signable, reviewer: str, role: str, signed_on: date) -> str:
    lines = [f"- kind: {item.kind}"]
    if item.language:
        lines.append(f"  language: {item.language}")
    lines += [f"  id: {_quoted(item.ident)}", f"  reviewer: {_quoted(reviewer)}", f"  role: {_quoted(role)}",
              f'  date: "{signed_on.isoformat()}"', f"  sha256: {item.sha256}"]
    return "\n".join(lines) + "\n"


def release_yaml(version: str, sha256: str, officer: str, role: str, released_on: date, summary: str) -> str:
    return "\n".join([f"- version: {_quoted(version)}", f"  sha256: {sha256}", f"  officer: {_quoted(officer)}",
                      f"  role: {_quoted(role)}", f'  date: "{released_on.isoformat()}"',
                      f"  summary: {_quoted(summary)}"]) + "\n"


def append(path: Path, text: str) -> None:
    """Add records at the end of the file, keeping its comments and earlier records as they are."""
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing = re.sub(r"^\[\]\s*$", "", existing, flags=re.M)  # an explicit empty list becomes records
    separator = "" if not existing or existing.endswith("\n") else "\n"
    path.write_text(existing + separator + text, encoding="utf-8")
