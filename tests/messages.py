"""The UI's gettext messages as the code has them now, and the Spanish catalog, for translation tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}

# Pages only clinical staff see (rule review, clinic set-up). Their text is translated like every
# other, but the grade-8 reading target is for patients and caregivers.
STAFF_ONLY = ("templates/review/", "templates/staff/clinic", "questionnaire/web/staff/",
              "questionnaire/describe.py")


@dataclass(frozen=True)
class Message:
    """One msgid (its singular form) and the files it is used in."""

    id: str
    plural: str | None
    files: tuple[str, ...]

    @property
    def patient_facing(self) -> bool:
        return not all(file.startswith(STAFF_ONLY) for file in self.files)


@cache
def extracted() -> tuple[Message, ...]:
    """Every msgid the templates and code use now (what `scripts/translations` would extract)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, tuple[str | None, set[str]]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        if not singular:
            continue
        entry = found.setdefault(singular, (plural, set()))
        entry[1].add(Path(filename).as_posix())
    return tuple(Message(text, plural, tuple(sorted(files))) for text, (plural, files) in sorted(found.items()))


def catalog(language: str) -> Catalog:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def compiled(language: str) -> Catalog:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        return read_mo(mo)
