"""Clinic files and the emergency-number table: read, validated and frozen at start-up.

A clinic file (`clinics/<slug>.yaml`) says who shares the questionnaire, whom to call, which
emergency number works where its patients live, and which sites may frame the form.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .errors import ContentError, ContentErrors, did_you_mean, valid_list
from .model import Clinic, Logo, Source
from .yamlfile import read_yaml

CLINICS_DIR = "clinics"
EMERGENCY_NUMBERS_FILE = "emergency_numbers.yaml"
DEFAULT_NUMBERS_PATH = Path(__file__).parent / "content" / EMERGENCY_NUMBERS_FILE
MAX_LOGO_BYTES = 100_000
MAX_LOGO_PIXELS = 1024  # widest and tallest a logo may be; it is shown at most a few hundred pixels wide
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
# Only https origins (plain http only for this machine, for development): no paths, quotes or spaces.
ORIGIN = r"^(https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?)$"
COUNTRY_HINTS = {"UK": "GB", "EN": "GB", "USA": "US"}

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
        "welcome": {"type": "string", "minLength": 1, "maxLength": 600},
        "logo": {"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"},
        "embed_origins": {"type": "array", "maxItems": 20, "uniqueItems": True,
                          "items": {"type": "string", "maxLength": 200}},
    },
}


def load_emergency_numbers(root: Path, label: Callable[[Path], str], errors: list[ContentError]) -> dict[str, str]:
    """The table in `root`, or the one shipped with the app when the content directory has none."""
    from .loader import _schema_errors  # the loader's schema messages (line, id, did-you-mean)

    path = root / EMERGENCY_NUMBERS_FILE
    if not path.is_file():
        path = DEFAULT_NUMBERS_PATH
    try:
        document = read_yaml(path, label(path))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return {}
    problems = _schema_errors(document, NUMBERS_SCHEMA, label(path))
    errors.extend(problems)
    return {} if problems else dict(document["numbers"])


def load_clinics(root: Path, numbers: Mapping[str, str], languages: set[str],
                 label: Callable[[Path], str], errors: list[ContentError]) -> dict[str, Clinic]:
    """Every `clinics/*.yaml` in `root`, by slug; problems are added to `errors`."""
    from .loader import _schema_errors

    clinics: dict[str, Clinic] = {}
    for path in sorted((root / CLINICS_DIR).glob("*.yaml")) if (root / CLINICS_DIR).is_dir() else []:
        name = label(path)
        try:
            document = read_yaml(path, name)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        problems = _schema_errors(document, CLINIC_SCHEMA, name)
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
    for origin in raw.get("embed_origins", []):
        if not re.match(ORIGIN, origin):
            error(f"embed_origins: '{origin}' is not a site origin like https://www.example.org "
                  f"(https, a host name, an optional port, no path)", "embed_origins")
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
                  language=raw["language"], source=Source(name, raw.line), welcome=raw.get("welcome"), logo=logo,
                  embed_origins=tuple(raw.get("embed_origins", ())), example=bool(raw.get("example", False)))


def country_hint(code: str, numbers: Mapping[str, str]) -> str:
    """' Did you mean 'GB'?' for UK and other near misses of an ISO 3166 code."""
    return f" Did you mean '{COUNTRY_HINTS[code]}'?" if code in COUNTRY_HINTS else did_you_mean(code, numbers)


def read_logo(path: Path) -> tuple[Logo | None, str | None]:
    """A logo and no problem, or no logo and what is wrong with the file."""
    mimetype = LOGO_TYPES.get(path.suffix.lower())
    if mimetype is None:
        return None, f"must be an .svg or .png file (valid: {', '.join(LOGO_TYPES)})"
    if not path.is_file():
        return None, "no such file next to the clinic file"
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        return None, f"is {len(data):,} bytes; the limit is {MAX_LOGO_BYTES:,}"
    size = _png_size(data) if mimetype == "image/png" else _svg_size(data)
    if isinstance(size, str):
        return None, size
    width, height = size
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        return None, f"is {width}x{height} pixels; the limit is {MAX_LOGO_PIXELS}x{MAX_LOGO_PIXELS}"
    return Logo(filename=path.name, mimetype=mimetype, data=data, width=width, height=height), None


def _png_size(data: bytes) -> tuple[int, int] | str:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return "is not a PNG image"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _svg_size(data: bytes) -> tuple[int, int] | str:
    """Size from width/height or the viewBox; refuses entities, scripts and event handlers."""
    text = data.decode("utf-8", errors="replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return "SVG files may not declare a DOCTYPE or entities"
    try:
        # bandit B314: safe here, DOCTYPE and entities (the XML-bomb vectors) are refused just above.
        root = ElementTree.fromstring(data)  # nosec B314
    except ElementTree.ParseError as exc:
        return f"is not a valid SVG file ({exc})"
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return "is not an SVG image (the root element is not <svg>)"
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
            return "SVG logos may not contain scripts or foreignObject"
        if any(attr.lower().startswith("on") for attr in element.attrib):
            return "SVG logos may not contain event handlers (on... attributes)"
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        width = float(re.sub("px$", "", root.get("width") or (view_box[2] if len(view_box) == 4 else "")))
        height = float(re.sub("px$", "", root.get("height") or (view_box[3] if len(view_box) == 4 else "")))
    except ValueError:
        return "needs a viewBox or width and height in pixels"
    return round(width), round(height)


def clinic_to_json(clinic: Clinic) -> dict[str, Any]:
    """The contact block the API returns and the printout shows."""
    return {"slug": clinic.slug, "name": clinic.name, "phone": clinic.phone, "address": clinic.address,
            "website": clinic.website, "hours": clinic.hours, "country": clinic.country,
            "emergency_number": clinic.emergency_number, "example": clinic.example}
