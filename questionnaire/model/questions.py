"""Questions and how they are answered: options, scales, pages, the questionnaire; answer values."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from .text import nested_text, patient_text

if TYPE_CHECKING:
    from ..conditions import Condition

AnswerValue = str | frozenset[str] | int
Answers = Mapping[str, AnswerValue]

NONE_CODE = "none"
EMERGENCY_NUMBER_PLACEHOLDER = "{emergency_number}"
SCALE_ANSWER = "{value} out of {maximum}"


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
    label: str = field(metadata=patient_text("option.{code}", caregiver="caregiver_label"))
    # the label when a caregiver answers for someone else
    caregiver_label: str | None = field(default=None, metadata=patient_text("caregiver_option.{code}"))
    group: str | None = None  # the id of the OptionGroup it is listed under, if any
    show_if: Condition | None = None  # offered only when this holds (reads earlier pages, like a question's)


@dataclass(frozen=True)
class OptionGroup:
    """A subheading that gathers options of a long list, so it stays easy to scan on a phone."""

    id: str
    label: str = field(metadata=patient_text("group.{id}", caregiver="caregiver_label"))
    caregiver_label: str | None = field(default=None, metadata=patient_text("caregiver_group.{id}"))


@dataclass(frozen=True)
class Question:
    """One question; scales carry min, max and labels for some or all points."""

    TEXT_PREFIX: ClassVar[str] = "question.{id}"

    id: str
    type: QuestionType
    text: str = field(metadata=patient_text("text", caregiver="caregiver_text"))
    page_id: str
    source: Source
    help: str | None = field(default=None, metadata=patient_text("help", caregiver="caregiver_help"))
    options: tuple[Option, ...] = field(default=(), metadata=nested_text())
    minimum: int | None = None
    maximum: int | None = None
    scale_labels: Mapping[int, str] = field(default_factory=dict, hash=False, metadata=patient_text("label.{key}"))
    show_if: Condition | None = None
    # wording about "the person you care for"
    caregiver_text: str | None = field(default=None, metadata=patient_text("caregiver_text"))
    caregiver_help: str | None = field(default=None, metadata=patient_text("caregiver_help"))
    # how a scale answer reads back; translated per language, one key for all questions
    scale_answer: str = field(default=SCALE_ANSWER, metadata=patient_text("answer.scale", shared=True))
    # subheadings for options that name a `group`
    groups: tuple[OptionGroup, ...] = field(default=(), metadata=nested_text())

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

    @cached_property
    def option_branching(self) -> bool:
        """Whether any option has its own show_if (most questions have none: a fast path)."""
        return any(option.show_if is not None for option in self.options)

    def hidden_codes(self, answers: Answers) -> frozenset[str]:
        """The codes whose option branching hides, given the (pruned) earlier answers."""
        if not self.option_branching:
            return frozenset()
        return frozenset(o.code for o in self.options if o.show_if is not None and not o.show_if.predicate(answers))

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
    """A step of the web flow: a titled group of questions (each with its own keys: `question.<id>`)."""

    TEXT_PREFIX: ClassVar[str] = "page.{id}"

    id: str
    title: str = field(metadata=patient_text("title", caregiver="caregiver_title"))
    questions: tuple[Question, ...]
    caregiver_title: str | None = field(default=None, metadata=patient_text("caregiver_title"))


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

    @cached_property
    def branching(self) -> tuple[tuple[str, Callable[[Answers], bool] | None, Question | None], ...]:
        """Per question in order: its id, its show_if's predicate (None: always asked), and itself when
        an option has a show_if of its own (else None): what answers.visible_answers walks per submission."""
        return tuple((q.id, q.show_if.predicate if q.show_if is not None else None, q if q.option_branching else None)
                     for q in self.questions)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)
