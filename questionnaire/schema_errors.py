"""Schema problems in a content file as ContentErrors: file, line, nearest id, did-you-mean.

Shared by every reader of content files (questions and rules, clinics, information pages), so
they word schema problems alike; kept out of loader.py so those readers need not import it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import jsonschema

from .errors import ContentError, did_you_mean, shorten, valid_list
from .yamlfile import LineDict

MAX_SCHEMA_ERRORS = 50  # per file


def _line_at(document: Any, path: list[str | int]) -> tuple[int | None, str | None]:
    """Find the line and nearest enclosing id for a JSON-Schema error path."""
    node, line = document, getattr(document, "line", None)
    ident = document.get("id") if isinstance(document, Mapping) and isinstance(document.get("id"), str) else None
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node:
            line = node.key_lines.get(step, line)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            ident = node["id"]
    return line, ident


def schema_errors(document: Any, schema: dict[str, Any], label: str) -> list[ContentError]:
    """Every schema problem in `document` (at most MAX_SCHEMA_ERRORS), located by line and id."""
    validator = jsonschema.Draft202012Validator(schema)
    found = []
    # A badly broken file (say 300,000 list items of the wrong type) would bury the message in errors.
    errors = list(itertools.islice(validator.iter_errors(document), MAX_SCHEMA_ERRORS + 1))
    if len(errors) > MAX_SCHEMA_ERRORS:
        errors = errors[:MAX_SCHEMA_ERRORS]
        found.append(ContentError(label, getattr(document, "line", None), None,
                                  f"more than {MAX_SCHEMA_ERRORS} problems in this file; the first are listed"))
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        line, ident = _line_at(document, list(error.absolute_path))
        extra = _unknown_keys(error)
        if extra and isinstance(error.instance, LineDict):
            line = error.instance.key_lines.get(extra[0], line)
        found.append(ContentError(label, line, ident, _schema_message(error)))
    return found


def _unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    if error.validator != "additionalProperties" or not isinstance(error.schema, Mapping):
        return []
    allowed = error.schema.get("properties", {})
    return [key for key in error.instance if key not in allowed] if isinstance(error.instance, Mapping) else []


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = shorten("/".join(str(p) for p in error.absolute_path) or "the file")
    extra = _unknown_keys(error)
    if extra:
        allowed = list(error.schema.get("properties", {}))
        if allowed:
            return (f"{where}: unknown key '{shorten(extra[0])}'. Valid keys: {valid_list(allowed)}."
                    f"{did_you_mean(extra[0], allowed)}")
    shown = shorten(repr(error.instance))  # never the whole value: it may be a whole file's text
    if error.validator == "enum":
        valid = [str(v) for v in error.validator_value]
        return (f"{where}: {shown} is not valid. Valid values: {valid_list(valid)}."
                f"{did_you_mean(error.instance, valid)}")
    if error.validator == "pattern":
        return f"{where}: {shown} does not have the expected form ({error.validator_value})"
    full = repr(error.instance)
    return f"{where}: {shorten(error.message.replace(full, shown) if len(full) > len(shown) else error.message, 300)}"
