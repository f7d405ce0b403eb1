"""Rules and the rule set: levels, topics, references, the fallback, what interrupts the flow."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from .questions import Source
from .text import patient_text

if TYPE_CHECKING:
    from ..conditions import Condition

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


@dataclass(frozen=True)
class Topic:
    """What a piece of guidance is about, declared in ruleset.yaml `topics:` (in display order).

    The id is a contract shared with clinics and the API; the label is wording, translated like any
    content string. Two topics are the same topic when their ids are, whatever their language.
    """

    TEXT_PREFIX: ClassVar[str] = "topic.{id}"

    id: str
    label: str = field(default="", compare=False, metadata=patient_text("label"))

    @property
    def value(self) -> str:
        """The id, as results, FHIR and signatures spell it."""
        return self.id


@dataclass(frozen=True)
class Reference:
    """A published source a rule rests on."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Rule:
    """Maps a condition on answers to guidance at a level, with its review record."""

    TEXT_PREFIX: ClassVar[str] = "rule.{id}"

    id: str
    level: Level
    topic: Topic  # its label is translated once, with the rule set's `topics`
    title: str = field(metadata=patient_text("title", caregiver="caregiver_title"))
    guidance: str = field(metadata=patient_text("guidance", caregiver="caregiver_guidance"))
    when: Condition | None
    rationale: str
    references: tuple[Reference, ...]
    owner: str
    reviewed_by: str
    reviewed_on: date
    source: Source
    fallback: bool = False
    caregiver_title: str | None = field(default=None, metadata=patient_text("caregiver_title"))
    caregiver_guidance: str | None = field(default=None, metadata=patient_text("caregiver_guidance"))
    # Short questions the person could ask their team, listed on the results ("Questions to ask").
    questions_to_ask: tuple[str, ...] = field(default=(), metadata=patient_text(
        "question.{key}", caregiver="caregiver_questions_to_ask"))
    caregiver_questions_to_ask: tuple[str, ...] = field(default=(), metadata=patient_text("caregiver_question.{key}"))
    # Place within its level (rule `order`): rules with one come first, smallest first; then authored order.
    order: int | None = None


@dataclass(frozen=True)
class RuleSet:
    """All rules in authored order, with the version and content hash that trace a printout."""

    TEXT_PREFIX: ClassVar[str] = "ruleset"

    version: str
    sha256: str
    disclaimer: str = field(metadata=patient_text("disclaimer"))
    rules: tuple[Rule, ...]
    fallback: Rule | None
    # Levels whose guidance the web flow shows at once, before any further question, as soon
    # as the answers so far make such a rule apply (ruleset.yaml `interrupt`).
    interrupt: tuple[Level, ...] = ()
    topics: tuple[Topic, ...] = ()  # ruleset.yaml `topics`, in display order

    def topic(self, topic_id: str) -> Topic:
        """The declared topic with this id, with its label in this rule set's language."""
        return next((topic for topic in self.topics if topic.id == topic_id), Topic(topic_id, topic_id))

    @cached_property
    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule in authored order, then the fallback: what staff tools list, sign, count and check."""
        return (*self.rules, *((self.fallback,) if self.fallback is not None else ()))

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def label(self) -> str:
        return f"{self.version} ({self.short_hash})"
