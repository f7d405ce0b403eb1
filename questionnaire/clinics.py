"""Clinic files and the emergency-number table: read, validated and frozen at start-up.

A clinic file (`clinics/<slug>.yaml`) says who shares the questionnaire, whom to call, which
emergency number works where its patients live, and which sites may frame the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ContentError, ContentErrors, did_you_mean, shorten, valid_list
from .logos import LOGO_TYPES, MAX_LOGO_BYTES, MAX_LOGO_PIXELS, read_logo
from .model import Clinic, Source
from .schema_errors import schema_errors
from .yamlfile import content_files, read_each, read_yaml

CLINICS_DIR = "clinics"
EMERGENCY_NUMBERS_FILE = "emergency_numbers.yaml"
DEFAULT_NUMBERS_PATH = Path(__file__).parent / "content" / EMERGENCY_NUMBERS_FILE
# Only https origins (plain http only for this machine, for development): no paths, quotes or spaces.
ORIGIN = r"^(https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?)$"
LOCAL_HOSTS = ("localhost", "127.0.0.1")  # framing by this machine: development only (app.py refuses it otherwise)
# A phone number as people write it: digits, spaces, + ( ) - . and nothing that could be markup.
PHONE = re.compile(r"^\+?[0-9 ().-]+$")
PHONE_DIGITS = (3, 15)  # a short number such as 111 up to E.164's longest
NAME_REFUSED = '"<>'  # the name goes into the staff embed snippet's attribute and onto other sites
COUNTRY_HINTS = {"UK": "GB", "EN": "GB", "USA": "US"}
__all__ = ["CLINICS_DIR", "LOGO_TYPES", "MAX_LOGO_BYTES", "MAX_LOGO_PIXELS", "clinic_to_json", "country_hint",
           "load_clinics", "load_emergency_numbers", "local_origins", "read_logo"]

TEXT = {"type": "string", "minLength": 1, "maxLength": 2000}
NUMBERS_SCHEMA = {
    "type": "object",
    "required": ["numbers"],
    "additionalProperties": False,
    "properties": {"numbers": {
        "type": "object", "minProperties": 1,
        "propertyNames": {"pattern": "^[A-Z]{2}$"},
        "additionalProperties": {"type": "string", "pattern": "^[0-9]{2,6}$"},
    }},
}
CLINIC_SCHEMA = {
    "type": "object",
    "required": ["slug", "name", "country", "phone", "address", "language"],
    "additionalProperties": False,
    "properties": {
        "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
        "example": {"type": "boolean"},
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "country": {"type": "string", "minLength": 2, "maxLength": 3},
        "emergency_number": {"type": "string", "pattern": "^[0-9]{2,6}$"},
        "phone": {"type": "string", "minLength": 3, "maxLength": 40},
        "address": TEXT,
        "website": {"type": "string", "pattern": "^https://[^\\s\"'<>]+$", "maxLength": 300},
        "hours": TEXT,
        "language": {"type": "string", "pattern": "^[a-z]{2}$"},
        # One text for every language, or one per language ({en: ..., es: ...}; issue 15).
        "welcome": {"oneOf": [{"type": "string", "minLength": 1, "maxLength": 600},
                              {"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[a-z]{2}$"},
                               "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 600}}]},
        "logo": {"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"},
        "embed_origins": {"type": "array", "maxItems": 20, "uniqueItems": True,
                          "items": {"type": "string", "maxLength": 200}},
    },
}


def load_emergency_numbers(root: Path, label: Callable[[Path], str], errors: list[ContentError]) -> dict[str, str]:
    """The table in `root`, or the one shipped with the app when the content directory has none."""

    path = root / EMERGENCY_NUMBERS_FILE
    if not path.is_file():
        path = DEFAULT_NUMBERS_PATH
    try:
        document = read_yaml(path, label(path))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return {}
    problems = schema_errors(document, NUMBERS_SCHEMA, label(path))
    errors.extend(problems)
    return {} if problems else dict(document["numbers"])


def load_clinics(root: Path, numbers: Mapping[str, str], languages: set[str],
                 label: Callable[[Path], str], errors: list[ContentError]) -> dict[str, Clinic]:
    """Every `clinics/*.yaml` in `root`, by slug; problems are added to `errors`."""

    clinics: dict[str, Clinic] = {}
    for path, name, document in read_each(content_files(root / CLINICS_DIR, label, errors, also=tuple(LOGO_TYPES)),
                                    label, errors):
        problems = schema_errors(document, CLINIC_SCHEMA, name)
        if problems:
            slug = document.get("slug") if isinstance(document, Mapping) else None
            errors.extend(ContentError(p.file, p.line, p.ident or (slug if isinstance(slug, str) else None), p.message)
                          for p in problems)
            continue
        clinic = _build_clinic(document, path, name, numbers, languages, errors)
        if clinic is not None:
            clinics[clinic.slug] = clinic  # one file per slug: the file name must be the slug
    return clinics


def _build_clinic(raw: Any, path: Path, name: str, numbers: Mapping[str, str], languages: set[str],
                  errors: list[ContentError]) -> Clinic | None:
    slug = raw["slug"]
    before = len(errors)

    def error(message: str, key: str) -> None:
        errors.append(ContentError(name, raw.key_lines.get(key, raw.line), slug, message))

    if path.stem != slug:
        error(f"the file for clinic '{slug}' must be named {slug}.yaml", "slug")
    country = raw["country"]
    if country not in numbers and "emergency_number" not in raw:
        hint = country_hint(country, numbers)
        error(f"country '{country}' is not in the emergency-number table (ISO 3166 codes such as "
              f"{valid_list(sorted(numbers), limit=8)}).{hint} Add it to {EMERGENCY_NUMBERS_FILE} "
              f"or give this clinic an emergency_number.", "country")
    if raw["language"] not in languages:
        error(f"language '{raw['language']}' has no translation. Valid languages: {valid_list(sorted(languages))}."
              f"{did_you_mean(raw['language'], languages)}", "language")
    welcomes = raw["welcome"] if isinstance(raw.get("welcome"), dict) else {}
    for code in sorted(set(welcomes) - set(languages)):
        error(f"welcome: language '{code}' has no translation. Valid languages: {valid_list(sorted(languages))}."
              f"{did_you_mean(code, languages)}", "welcome")
    for origin in raw.get("embed_origins", []):
        if not re.match(ORIGIN, origin) or not _port_in_range(origin):
            error(f"embed_origins: '{shorten(origin)}' is not a site origin like https://www.example.org "
                  f"(https, a host name, an optional port up to 65535, no path)", "embed_origins")
    for message, key in _contact_problems(raw):
        error(message, key)
    logo = None
    if "logo" in raw:
        logo, problem = read_logo(path.parent / raw["logo"])
        if problem:
            error(f"logo {raw['logo']}: {problem}", "logo")
    if len(errors) > before:
        return None
    return Clinic(slug=slug, name=raw["name"], country=country,
                  emergency_number=raw.get("emergency_number") or numbers[country],
                  phone=raw["phone"], address=raw["address"], website=raw.get("website"), hours=raw.get("hours"),
                  language=raw["language"], source=Source(name, raw.line),
                  welcome=(welcomes.get(raw["language"]) or next(iter(welcomes.values()))) if welcomes
                  else raw.get("welcome"),
                  welcomes=tuple(sorted(welcomes.items())), logo=logo,
                  embed_origins=tuple(raw.get("embed_origins", ())), example=bool(raw.get("example", False)))


def _contact_problems(raw: Any) -> list[tuple[str, str]]:
    """The phone number and the name, which are shown on every page and pasted into other sites."""
    problems = []
    phone = raw["phone"]
    digits = sum(character.isdigit() for character in phone)
    if not PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        problems.append((f"phone '{shorten(phone)}' is not a phone number: use digits, spaces and + ( ) - . only, "
                         f"{PHONE_DIGITS[0]} to {PHONE_DIGITS[1]} digits, such as (555) 010-0123 or +44 161 496 0123",
                         "phone"))
    refused = sorted({character for character in raw["name"] if character in NAME_REFUSED})
    if refused:
        problems.append((f"name may not contain {' or '.join(refused)}: write the clinic's name as plain words",
                         "name"))
    return problems


def _port_in_range(origin: str) -> bool:
    try:
        return urlsplit(origin).port != 0  # urllib refuses ports over 65535
    except ValueError:
        return False


def local_origins(clinics: Mapping[str, Clinic]) -> list[str]:
    """'slug: origin' for each embed origin on this machine (localhost), which only development may use."""
    return [f"{clinic.source}: [{slug}] {origin}" for slug, clinic in sorted(clinics.items())
            for origin in clinic.embed_origins if urlsplit(origin).hostname in LOCAL_HOSTS]


def country_hint(code: str, numbers: Mapping[str, str]) -> str:
    """' Did you mean 'GB'?' for UK and other near misses of an ISO 3166 code."""
    return f" Did you mean '{COUNTRY_HINTS[code]}'?" if code in COUNTRY_HINTS else did_you_mean(code, numbers)


def clinic_to_json(clinic: Clinic) -> dict[str, Any]:
    """The contact block the API returns and the printout shows."""
    return {"slug": clinic.slug, "name": clinic.name, "phone": clinic.phone, "address": clinic.address,
            "website": clinic.website, "hours": clinic.hours, "country": clinic.country,
            "emergency_number": clinic.emergency_number, "example": clinic.example}
