"""Frozen model objects built once by the loader: questions, pages, rules, the rule set."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition
    from .pages import InfoPage

AnswerValue = str | frozenset[str] | int
Answers = Mapping[str, AnswerValue]

NONE_CODE = "none"
EMERGENCY_NUMBER_PLACEHOLDER = "{emergency_number}"
SCALE_ANSWER = "{value} out of {maximum}"


class Level(enum.Enum):
    """How soon to act on a piece of guidance, highest first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    DISCUSS = "discuss"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most pressing level; sorts guidance emergency-first."""
        return _LEVEL_ORDER.index(self)


_LEVEL_ORDER = list(Level)


class Topic(enum.Enum):
    """What a piece of guidance is about (a contract shared with clinics and the API)."""

    EMERGENCY_SIGNS = "emergency-signs"
    PUMP_PROBLEM = "pump-problem"
    ITB_EVALUATION = "itb-evaluation"
    MEDICATION_REVIEW = "medication-review"
    OTHER_TREATMENTS = "other-treatments"
    PROCEDURE_SAFETY = "procedure-safety"
    GOALS_AND_FUNCTION = "goals-and-function"
    LIVING_WITH_A_PUMP = "living-with-a-pump"
    PAIN_THERAPY = "pain-therapy"
    GENERAL = "general"


class QuestionType(enum.Enum):
    """How a question is answered: one code, several codes, or a whole number."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"


@dataclass(frozen=True)
class Source:
    """Where a content object was written: file and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Option:
    """One answer a person can choose; `code` is stable, `label` is wording."""

    code: str
    label: str
    caregiver_label: str | None = None  # the label when a caregiver answers for someone else
    group: str | None = None  # the id of the OptionGroup it is listed under, if any


@dataclass(frozen=True)
class OptionGroup:
    """A subheading that gathers options of a long list, so it stays easy to scan on a phone."""

    id: str
    label: str
    caregiver_label: str | None = None


@dataclass(frozen=True)
class Question:
    """One question; scales carry min, max and labels for some or all points."""

    id: str
    type: QuestionType
    text: str
    page_id: str
    source: Source
    help: str | None = None
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    scale_labels: Mapping[int, str] = field(default_factory=dict, hash=False)
    show_if: Condition | None = None
    caregiver_text: str | None = None  # wording about "the person you care for"
    caregiver_help: str | None = None
    scale_answer: str = SCALE_ANSWER  # how a scale answer reads back; translated per language
    groups: tuple[OptionGroup, ...] = ()  # subheadings for options that name a `group`

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Built once: read on every answer checked and every answer shown."""
        return tuple(option.code for option in self.options)

    @cached_property
    def code_set(self) -> frozenset[str]:
        """The codes as a set, for checking answers."""
        return frozenset(self.codes)

    @property
    def values(self) -> tuple[int, ...]:
        """Every whole number a scale accepts, in order."""
        if self.minimum is None or self.maximum is None:
            return ()
        return tuple(range(self.minimum, self.maximum + 1))

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {option.code: option.label for option in self.options}

    @cached_property
    def group_headings(self) -> dict[str, str]:
        """The group label to show before each option that starts a group, by option code."""
        labels = {group.id: group.label for group in self.groups}
        headings: dict[str, str] = {}
        previous = None
        for option in self.options:
            if option.group is not None and option.group != previous and option.group in labels:
                headings[option.code] = labels[option.group]
            previous = option.group
        return headings

    def label_for(self, code: str) -> str:
        return self._labels.get(code, code)

    def scale_point_label(self, value: int) -> str:
        """The number with its anchor label where one exists: '8' or '0 - No stiffness'."""
        label = self.scale_labels.get(value)
        return f"{value} - {label}" if label else str(value)

    def describe_answer(self, value: AnswerValue) -> str:
        """An answer in words, as a person would read it back."""
        if self.type is QuestionType.SCALE:
            label = self.scale_labels.get(int(value)) if isinstance(value, int) else None
            number = self.scale_answer.format(value=value, maximum=self.maximum) if self.maximum is not None else str(value)
            return number + (f" ({label})" if label else "")
        if isinstance(value, frozenset):
            labels = self._labels
            return ", ".join([labels[code] for code in self.codes if code in value])
        return self.label_for(str(value))


@dataclass(frozen=True)
class Page:
    """A step of the web flow: a titled group of questions."""

    id: str
    title: str
    questions: tuple[Question, ...]
    caregiver_title: str | None = None


@dataclass(frozen=True)
class Perspective:
    """Which answer means a caregiver is answering for someone else (named by the content, not the code)."""

    question: str
    code: str


@dataclass(frozen=True)
class Questionnaire:
    """Every page and question, in the order they are asked."""

    pages: tuple[Page, ...]
    by_id: Mapping[str, Question]
    perspective: Perspective | None = None

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Built once: branching and every answer conversion walk it."""
        return tuple(q for page in self.pages for q in page.questions)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)


@dataclass(frozen=True)
class Reference:
    """A published source a rule rests on."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Rule:
    """Maps a condition on answers to guidance at a level, with its review record."""

    id: str
    level: Level
    topic: Topic
    title: str
    guidance: str
    when: Condition | None
    rationale: str
    references: tuple[Reference, ...]
    owner: str
    reviewed_by: str
    reviewed_on: date
    source: Source
    fallback: bool = False
    caregiver_title: str | None = None
    caregiver_guidance: str | None = None


@dataclass(frozen=True)
class RuleSet:
    """All rules in authored order, with the version and content hash that trace a printout."""

    version: str
    sha256: str
    disclaimer: str
    rules: tuple[Rule, ...]
    fallback: Rule | None
    # Levels whose guidance the web flow shows at once, before any further question, as soon
    # as the answers so far make such a rule apply (ruleset.yaml `interrupt`).
    interrupt: tuple[Level, ...] = ()

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def label(self) -> str:
        return f"{self.version} ({self.short_hash})"


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
class Content:
    """Everything loaded from one content directory; `language` says which words it carries."""

    questionnaire: Questionnaire
    ruleset: RuleSet
    locales: Mapping[str, Locale] = field(default_factory=dict, hash=False)
    language: str = "en"
    clinics: Mapping[str, Clinic] = field(default_factory=dict, hash=False)
    emergency_numbers: Mapping[str, str] = field(default_factory=dict, hash=False)  # ISO 3166 code → number
    info_pages: Mapping[str, InfoPage] = field(default_factory=dict, hash=False)  # /about and the like, by id
