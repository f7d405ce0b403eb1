"""Everything loaded from one content directory: translations, clinics and their logos, the whole Content."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from .questions import Questionnaire, Source
from .rules import RuleSet
from .text import patient_text

if TYPE_CHECKING:
    from ..pages import InfoPage

@dataclass(frozen=True)
class Translation:
    """One translated string and the hash of the English it was made from."""

    text: str
    source: str


@dataclass(frozen=True)
class Locale:
    """A language's strings for the content, keyed like `question.has_pump.text`."""

    language: str
    name: str
    strings: Mapping[str, Translation]
    source: Source


@dataclass(frozen=True)
class Logo:
    """A clinic's logo, read and size-checked at start-up; always shown as an <img>, never inlined."""

    filename: str
    mimetype: str
    data: bytes = field(repr=False)
    width: int
    height: int


@dataclass(frozen=True)
class Clinic:
    """A clinic that shares the questionnaire: who sent the person, whom to call, who may frame it."""

    slug: str
    name: str
    country: str
    emergency_number: str
    phone: str
    address: str
    website: str | None
    hours: str | None
    language: str
    source: Source
    welcome: str | None = None  # in the clinic's language (or the one text for every language)
    logo: Logo | None = None
    embed_origins: tuple[str, ...] = ()
    example: bool = False
    welcomes: tuple[tuple[str, str], ...] = ()  # (language, text) when the clinic wrote one per language

    def welcome_in(self, language: str) -> str | None:
        """The welcome text in `language` when the clinic wrote one, else its one welcome text."""
        return dict(self.welcomes).get(language) or self.welcome


@dataclass(frozen=True)
class SummaryRow:
    """One line of the printout's "For your clinician" box: a clinical label over some answers.

    The label is for clinicians, so it has no caregiver wording; it is translated like the rest."""

    TEXT_PREFIX: ClassVar[str] = "clinician.{id}"

    id: str
    label: str = field(metadata=patient_text("label"))
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything loaded from one content directory; `language` says which words it carries."""

    questionnaire: Questionnaire
    ruleset: RuleSet
    locales: Mapping[str, Locale] = field(default_factory=dict, hash=False)
    language: str = "en"
    clinics: Mapping[str, Clinic] = field(default_factory=dict, hash=False)
    emergency_numbers: Mapping[str, str] = field(default_factory=dict, hash=False)  # ISO 3166 code → number
    info_pages: Mapping[str, InfoPage] = field(default_factory=dict, hash=False)  # /about and the like, by id
    clinician_summary: tuple[SummaryRow, ...] = ()  # the printout's box for the clinician (clinician.yaml)
