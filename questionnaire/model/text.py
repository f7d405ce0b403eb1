"""Patient text, declared once on the model: which fields are words a person reads, and their keys.

A field that holds patient text is declared with `patient_text(...)` in its dataclass metadata: the
key it is translated under (`question.<id>.text`, formatted with the object's own fields), and
which field holds its caregiver wording. A field of nested objects with text of their own (a
question's options) is declared with `nested_text()`. Translation (i18n), caregiver wording
(perspective) and FHIR's translations all walk these declarations, so a new text field is
translated, re-worded for caregivers and exported as soon as it is declared, and
tests/test_text_fields.py fails for a text field that is not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Translate = Callable[[str, str], str]  # (key, English) -> the words in some language
_TEXT = "patient_text"
_NESTED = "nested_text"


@dataclass(frozen=True)
class PatientText:
    """How one field is translated: its key (relative to the object's prefix) and its caregiver variant."""

    key: str  # e.g. "text", "option.{code}", "label.{key}" for each entry of a mapping (or number of a tuple)
    caregiver: str | None = None  # the field that holds this text worded for a caregiver, if any
    shared: bool = False  # one key for the whole content, not per object (e.g. "answer.scale")


def patient_text(key: str, caregiver: str | None = None, shared: bool = False) -> dict[str, Any]:
    """Field metadata marking patient text; use as `field(metadata=patient_text("text"))`."""
    return {_TEXT: PatientText(key, caregiver, shared)}


def nested_text() -> dict[str, Any]:
    """Field metadata for a tuple of objects that declare text of their own (options, groups)."""
    return {_NESTED: True}


def declared(cls: type) -> list[tuple[str, PatientText]]:
    """The patient-text fields of a dataclass, in field order."""
    return [(f.name, f.metadata[_TEXT]) for f in dataclasses.fields(cls) if _TEXT in f.metadata]


def nested_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.metadata.get(_NESTED)]


def prefix_of(obj: Any) -> str:
    """The key prefix of a top-level object: its class's TEXT_PREFIX formatted with its fields."""
    return str(type(obj).TEXT_PREFIX).format(**_fields(obj))


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def text_key(obj: Any, name: str, prefix: str | None = None, entry: object = None) -> str:
    """The translation key of one declared field (`entry`: the mapping key, for a mapping of texts)."""
    spec = dict(declared(type(obj)))[name]
    if spec.shared:
        return spec.key
    return f"{prefix if prefix is not None else prefix_of(obj)}.{spec.key.format(**_fields(obj), key=entry)}"


def texts(obj: Any, prefix: str | None = None) -> Iterator[tuple[str, str]]:
    """Every (key, English) of an object's declared text, nested objects included; shared keys left out."""
    prefix = prefix if prefix is not None else prefix_of(obj)
    for name, spec in declared(type(obj)):
        value = getattr(obj, name)
        if spec.shared or not value:
            continue
        if isinstance(value, Mapping):
            for entry, text in sorted(value.items()):
                yield text_key(obj, name, prefix, entry), text
        elif isinstance(value, tuple):  # a list of texts (questions to ask): keys number them from 1
            for number, text in enumerate(value, start=1):
                yield text_key(obj, name, prefix, number), text
        else:
            yield text_key(obj, name, prefix), value
    for name in nested_fields(type(obj)):
        for item in getattr(obj, name):
            yield from texts(item, prefix)


def translated(obj: T, tr: Translate, prefix: str | None = None) -> T:
    """The object with every declared text (and nested object) in the words `tr` gives."""
    prefix = prefix if prefix is not None else prefix_of(obj)
    changes: dict[str, Any] = {}
    for name, _spec in declared(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, Mapping):
            changes[name] = {entry: tr(text_key(obj, name, prefix, entry), text) for entry, text in value.items()}
        elif isinstance(value, tuple):
            changes[name] = tuple(tr(text_key(obj, name, prefix, number), text)
                                  for number, text in enumerate(value, start=1))
        elif value:
            changes[name] = tr(text_key(obj, name, prefix), value)
    for name in nested_fields(type(obj)):
        changes[name] = tuple(translated(item, tr, prefix) for item in getattr(obj, name))
    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def for_caregiver(obj: T) -> T:
    """The object with each declared text replaced by its caregiver variant where one is given."""
    changes: dict[str, Any] = {name: getattr(obj, spec.caregiver) for name, spec in declared(type(obj))
                               if spec.caregiver is not None and getattr(obj, spec.caregiver)}
    for name in nested_fields(type(obj)):
        changes[name] = tuple(for_caregiver(item) for item in getattr(obj, name))
    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
