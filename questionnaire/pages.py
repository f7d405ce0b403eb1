"""Information pages (`content/pages/<id>.yaml`): balanced text about the therapy and its alternatives.

A page is sections of blocks (paragraphs, lists, steps, a figure, benefits beside risks, a set of
options that all answer the same questions, the sources, the page's own facts). It is data, read
and checked at start-up like the rest of the content. Every text has a translation key:
`info.<page>.title`, `info.<page>.<section>.heading`, then `info.<page>.<section>.<n>` for the
n-th text of the section's blocks, in order.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import schemas
from .errors import ContentError, did_you_mean, valid_list
from .model import Source
from .schema_errors import schema_errors
from .yamlfile import LineDict, read_each

PAGES_DIR = "pages"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"  # where a figure's image is served from
BALANCE_TOLERANCE = 0.25  # benefits and risks may differ in length by a quarter at most
FIXED: dict[str, Any] = {"fixed": True}  # a field that is an id, a file name or a number: never translated


@dataclass(frozen=True)
class Step:
    title: str
    text: str


@dataclass(frozen=True)
class OptionCard:
    """One choice a person has, described under the same headings as every other."""

    id: str = field(metadata=FIXED)
    name: str = ""
    what: str = ""
    helps: str = ""
    downsides: str = ""
    living: str = ""
    evidence: str = ""

    def texts(self) -> tuple[str, ...]:
        """The answers to the option headings, in schemas.OPTION_FIELDS order."""
        return tuple(getattr(self, name) for name in schemas.OPTION_FIELDS)


@dataclass(frozen=True)
class Side:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """One piece of a section; `kind` says which fields it uses."""

    kind: str = field(metadata=FIXED)  # text, list, steps, figure, balance, options, sources, facts
    text: str | None = None  # a paragraph, or a figure's short text alternative
    items: tuple[str, ...] = ()  # a list, or a figure's key (the long text alternative)
    steps: tuple[Step, ...] = ()
    image: str | None = field(default=None, metadata=FIXED)
    labels: tuple[str, ...] = ()  # the option headings, in schemas.OPTION_FIELDS order
    options: tuple[OptionCard, ...] = ()
    benefits: Side | None = None
    risks: Side | None = None


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple[Block, ...]
    ipdas: tuple[str, ...] = ()  # the decision-aid criteria this section meets
    sources: tuple[str, ...] = ()  # reference ids behind its claims (for reviewers)


@dataclass(frozen=True)
class PageReference:
    id: str
    title: str
    url: str
    maker: bool = False  # written by a company that makes pumps or medicines


@dataclass(frozen=True)
class InfoPage:
    id: str
    title: str
    written_by: str
    funding: str
    last_reviewed: date
    review_every_months: int
    sections: tuple[Section, ...]
    references: tuple[PageReference, ...]
    source: Source
    clinical_reviewer: str | None = None  # None: pending clinical review
    clinical_review_on: date | None = None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


def _rewrite(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with every translatable string passed through `change`, in field order."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_rewrite(item, change) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: _rewrite(getattr(value, f.name), change) for f in dataclasses.fields(value)
            if not f.metadata.get("fixed")})
    return value


def _numbered(prefix: str, translate: Callable[[str, str], str]) -> Callable[[str], str]:
    """translate() with keys prefix.1, prefix.2, ... in the order texts are met."""
    numbers = itertools.count(1)
    return lambda text: translate(f"{prefix}.{next(numbers)}", text)


def rewrite_page(page: InfoPage, translate: Callable[[str, str], str]) -> InfoPage:
    """The page with each text replaced by translate(key, english)."""
    prefix = f"info.{page.id}"
    title = translate(f"{prefix}.title", page.title)  # keys in reading order: title, then each section
    sections = []
    for section in page.sections:
        heading = translate(f"{prefix}.{section.id}.heading", section.heading)
        blocks = _rewrite(section.blocks, _numbered(f"{prefix}.{section.id}", translate))
        sections.append(dataclasses.replace(section, heading=heading, blocks=blocks))
    return dataclasses.replace(page, title=title, written_by=translate(f"{prefix}.written_by", page.written_by),
                               funding=translate(f"{prefix}.funding", page.funding), sections=tuple(sections))


def page_strings(page: InfoPage) -> Iterator[tuple[str, str]]:
    """Every text of the page by translation key, in reading order."""
    found: list[tuple[str, str]] = []

    def record(key: str, text: str) -> str:
        found.append((key, text))
        return text

    rewrite_page(page, record)
    yield from found


def load_info_pages(root: Path, label: Callable[[Path], str], errors: list[ContentError]) -> dict[str, InfoPage]:
    """Every page in `root/pages`; none when the content has no such folder."""

    pages: dict[str, InfoPage] = {}
    folder = root / PAGES_DIR
    for path, where, document in read_each(sorted(folder.glob("*.yaml")) if folder.is_dir() else [], label, errors):
        problems = schema_errors(document, schemas.INFO_PAGE_FILE, where)
        errors.extend(problems)
        if not problems:
            page = _build_page(document, where, path.stem, errors)
            if page is not None:
                pages[page.id] = page
    return pages


def _date(raw: str, line: int | None, ident: str, where: str, errors: list[ContentError]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(ContentError(where, line, ident, f"'{raw}' is not a real date (YYYY-MM-DD)"))
        return None


def _build_page(doc: LineDict, where: str, stem: str, errors: list[ContentError]) -> InfoPage | None:
    before = len(errors)
    pid = doc["id"]

    def error(message: str, line: int | None, ident: str | None = None) -> None:
        errors.append(ContentError(where, line, ident or pid, message))

    if pid != stem:
        error(f"the page '{pid}' must be in a file named {pid}.yaml", doc.key_lines.get("id"))
    references = tuple(PageReference(r["id"], r["title"], r["url"], bool(r.get("maker", False)))
                       for r in doc["references"])
    ref_ids = [r.id for r in references]
    for duplicate in sorted({r for r in ref_ids if ref_ids.count(r) > 1}):
        error("duplicate reference id", doc.key_lines.get("references"), duplicate)
    sections: list[Section] = []
    lines: dict[str, int] = {}
    for raw in doc["sections"]:
        if raw["id"] in lines:
            error(f"duplicate section id (first on line {lines[raw['id']]})", raw.line, raw["id"])
        lines.setdefault(raw["id"], raw.line)
        for ref in raw.get("sources", []):
            if ref not in ref_ids:
                error(f"sources names an unknown reference '{ref}'.{did_you_mean(ref, ref_ids)}",
                      raw.key_lines.get("sources"), raw["id"])
        blocks = tuple(_build_block(block, raw["id"], error) for block in raw["blocks"])
        sections.append(Section(raw["id"], raw["heading"], blocks, tuple(raw.get("ipdas", [])),
                                tuple(raw.get("sources", []))))
    if doc.get("standard") == "ipdas":
        _check_ipdas(sections, lines, doc.key_lines.get("standard"), error)
    reviewed = _date(doc["last_reviewed"], doc.key_lines.get("last_reviewed"), pid, where, errors)
    clinical = doc.get("clinical_review")
    clinical_on = _date(clinical["on"], clinical.line, pid, where, errors) if clinical else None
    if len(errors) > before or reviewed is None:
        return None
    return InfoPage(id=pid, title=doc["title"], written_by=doc["written_by"], funding=doc["funding"],
                    last_reviewed=reviewed, review_every_months=doc["review_every_months"],
                    sections=tuple(sections), references=references, source=Source(where, doc.line),
                    clinical_reviewer=clinical["by"] if clinical else None, clinical_review_on=clinical_on)


def _words(texts: tuple[str, ...]) -> int:
    return sum(len(re.findall(r"\w+", text)) for text in texts)


def _build_block(raw: LineDict, section_id: str, error: Callable[[str, int | None, str | None], None]) -> Block:
    kind = next(iter(raw))
    value = raw[kind]
    if kind == "text":
        return Block(kind, text=value)
    if kind == "list":
        return Block(kind, items=tuple(value))
    if kind == "steps":
        return Block(kind, steps=tuple(Step(s["title"], s["text"]) for s in value))
    if kind == "figure":
        if not (STATIC_DIR / value["image"]).is_file():
            error(f"figure image '{value['image']}' is not in static/", value.line, section_id)
        return Block(kind, text=value["alt"], items=tuple(value["key"]), image=value["image"])
    if kind == "balance":
        benefits, risks = (Side(value[s]["heading"], tuple(value[s]["items"])) for s in ("benefits", "risks"))
        if len(benefits.items) != len(risks.items):
            error(f"benefits have {len(benefits.items)} items and risks {len(risks.items)}: give them "
                  f"the same number, so neither looks bigger", value.line, section_id)
        more, fewer = sorted((_words(benefits.items), _words(risks.items)), reverse=True)
        if more > fewer * (1 + BALANCE_TOLERANCE):
            error(f"benefits ({_words(benefits.items)} words) and risks ({_words(risks.items)} words) must "
                  f"take about the same space (within {BALANCE_TOLERANCE:.0%})", value.line, section_id)
        return Block(kind, benefits=benefits, risks=risks)
    if kind == "options":
        ids = [item["id"] for item in value["items"]]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            error("duplicate option id", value.line, duplicate)
        cards = tuple(OptionCard(item["id"], item["name"], *(item[f] for f in schemas.OPTION_FIELDS))
                      for item in value["items"])
        return Block(kind, labels=tuple(value["labels"][f] for f in schemas.OPTION_FIELDS), options=cards)
    return Block(kind)  # sources, facts: filled in from the page's references and review details


# What a section must hold to meet a criterion it claims (the rest are met by its text).
_NEEDS = {"options": "options", "equal-detail": "options", "positive-features": "balance",
          "negative-features": "balance", "citations": "sources", "review-date": "facts",
          "update-policy": "facts", "funding": "facts"}


def _check_ipdas(sections: list[Section], lines: dict[str, int], line: int | None,
                 error: Callable[[str, int | None, str | None], None]) -> None:
    """A page that says it meets IPDAS must meet each criterion somewhere, with the right kind of block."""
    claimed = {criterion for section in sections for criterion in section.ipdas}
    unmet = [c for c in schemas.IPDAS_CRITERIA if c not in claimed]
    if unmet:
        error(f"standard: ipdas, but no section meets {valid_list(unmet)}", line, None)
    for section in sections:
        kinds = {block.kind for block in section.blocks}
        for criterion in section.ipdas:
            needed = _NEEDS.get(criterion)
            if needed and needed not in kinds:
                error(f"claims '{criterion}' but has no '{needed}' block", lines.get(section.id), section.id)
