"""Atoms: one test on one question's answer, named by id; each type states its own facts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Answers, AnswerValue, Question, QuestionType
from .base import Condition, Predicate

_EMPTY: frozenset[str] = frozenset()
_NO_CUTS: frozenset[int] = frozenset()


def N_(text: str) -> str:  # noqa: N802 - Babel's marker for words translated where they are shown
    """Marks describe words for extraction; the describer translates them with the page's gettext."""
    return text


@dataclass(frozen=True)
class Wording:
    """How an atom reads in plain words: its phrase when true and when negated, and what fills them.

    The phrases are msgids (marked with N_) that the describer translates; `codes` are listed
    with `joiner` before the last one, `number` is a scale point worded with its anchor label.
    """

    true: str
    false: str
    codes: tuple[str, ...] = ()
    joiner: str = ""
    number: int | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Atom(Condition):
    """A test on one question's answer, naming the question by id (its words live in the content)."""

    question_id: str

    abstract = True
    operator = ""
    # Whether the test reads only which of its named codes a multiple answer holds, so that its
    # truth and matched value are the same for every answer holding the same named codes.
    reads_named_codes_only = False

    def atoms(self) -> Iterator[Atom]:
        yield self

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return [self] if self.question_id in answers else []

    def test(self, value: AnswerValue | None) -> bool:
        """The atom's truth for one answer value (None when unanswered)."""
        return self.predicate({self.question_id: value} if value is not None else {})

    def matched_value(self, value: AnswerValue) -> AnswerValue:
        """The part of an answer this atom looked at (for multiple: the codes it named)."""
        return value

    @property
    def named_codes(self) -> frozenset[str]:
        """The answer codes this test names (none for scales and 'answered')."""
        return _EMPTY

    @property
    def cuts(self) -> frozenset[int]:
        """Scale points where this test's truth can change: it is constant on [cut, next cut)."""
        return _NO_CUTS

    @property
    def detail(self) -> object:
        """What the test compares with, in a content-independent form (signed, and compared for changes)."""
        raise NotImplementedError

    def wording(self, question: Question) -> Wording:
        """The words for this test on `question` (the content's question of `question_id`)."""
        raise NotImplementedError


def _ordered(question: Question, codes: Iterable[str]) -> tuple[str, ...]:
    """Codes in the order the question lists them, so wording is stable."""
    wanted = set(codes)
    return tuple([code for code in question.codes if code in wanted] + sorted(wanted - set(question.codes)))


@dataclass(frozen=True)
class Answered(Atom):
    expected: bool = True
    operator = "answered"

    def compile(self) -> Predicate:
        qid, expected = self.question_id, self.expected
        return lambda answers: (qid in answers) is expected

    def matched_atoms(self, answers: Answers) -> list[Atom]:
        return [self] if self.expected and self.question_id in answers else []

    @property
    def detail(self) -> object:
        return self.expected

    def wording(self, question: Question) -> Wording:
        answered = N_("answered “%(question)s”")
        unanswered = N_("has no answer to “%(question)s” (not answered, or not asked)")
        return Wording(answered, unanswered) if self.expected else Wording(unanswered, answered)


@dataclass(frozen=True)
class Equals(Atom):
    value: str | int = ""
    operator = "equals"

    def compile(self) -> Predicate:
        qid, value = self.question_id, self.value
        return lambda answers: answers.get(qid) == value

    @property
    def named_codes(self) -> frozenset[str]:
        return frozenset({self.value}) if isinstance(self.value, str) else _EMPTY

    @property
    def cuts(self) -> frozenset[int]:
        return frozenset({self.value, self.value + 1}) if isinstance(self.value, int) else _NO_CUTS

    @property
    def detail(self) -> object:
        return self.value

    def wording(self, question: Question) -> Wording:
        if question.type is QuestionType.SCALE:
            return Wording(N_("answered %(number)s to “%(question)s”"), N_("did not answer %(number)s to “%(question)s”"),
                           number=int(self.value))
        return Wording(N_("answered %(answers)s to “%(question)s”"), N_("did not answer %(answers)s to “%(question)s”"),
                       codes=(str(self.value),))


@dataclass(frozen=True)
class _Codes(Atom):
    """A test that names a set of answer codes (one_of, includes_any, includes_all)."""

    values: frozenset[str] = _EMPTY
    abstract = True

    @property
    def named_codes(self) -> frozenset[str]:
        return self.values

    @property
    def detail(self) -> object:
        return tuple(sorted(self.values))


@dataclass(frozen=True)
class _Chosen(_Codes):
    """A test on the codes chosen for a multiple question: it looks only at the codes it names."""

    abstract = True
    reads_named_codes_only = True

    def matched_value(self, value: AnswerValue) -> AnswerValue:
        return value & self.values if isinstance(value, frozenset) else value


@dataclass(frozen=True)
class OneOf(_Codes):
    operator = "one_of"

    def compile(self) -> Predicate:
        qid, values = self.question_id, self.values
        return lambda answers: answers.get(qid) in values

    def wording(self, question: Question) -> Wording:
        return Wording(N_("answered %(answers)s to “%(question)s”"), N_("did not answer %(answers)s to “%(question)s”"),
                       codes=_ordered(question, self.values), joiner=N_(" or "))


def _chose(question: Question, values: frozenset[str]) -> Wording | None:
    """The wording of a test on a multiple answer that names a single code, or None."""
    codes = _ordered(question, values)
    if len(codes) != 1:
        return None
    return Wording(N_("chose %(answers)s for “%(question)s”"), N_("did not choose %(answers)s for “%(question)s”"),
                   codes=codes)


@dataclass(frozen=True)
class IncludesAny(_Chosen):
    operator = "includes_any"

    def compile(self) -> Predicate:
        qid, values = self.question_id, self.values

        def includes_any(answers: Answers) -> bool:
            chosen = answers.get(qid, _EMPTY)
            return isinstance(chosen, frozenset) and not values.isdisjoint(chosen)

        return includes_any

    def wording(self, question: Question) -> Wording:
        return _chose(question, self.values) or Wording(
            N_("chose any of %(answers)s for “%(question)s”"), N_("chose none of %(answers)s for “%(question)s”"),
            codes=_ordered(question, self.values), joiner=N_(" or "))


@dataclass(frozen=True)
class IncludesAll(_Chosen):
    operator = "includes_all"

    def compile(self) -> Predicate:
        qid, values = self.question_id, self.values

        def includes_all(answers: Answers) -> bool:
            chosen = answers.get(qid, _EMPTY)
            return isinstance(chosen, frozenset) and values <= chosen

        return includes_all

    def wording(self, question: Question) -> Wording:
        return _chose(question, self.values) or Wording(
            N_("chose all of %(answers)s for “%(question)s”"), N_("did not choose all of %(answers)s for “%(question)s”"),
            codes=_ordered(question, self.values), joiner=N_(" and "))


@dataclass(frozen=True)
class Between(Atom):
    """Numeric range, inclusive; `at_least` and `at_most` are open-ended ranges."""

    low: int | None = None
    high: int | None = None
    operator = "between"

    def compile(self) -> Predicate:
        qid = self.question_id
        low = self.low if self.low is not None else -(2**63)
        high = self.high if self.high is not None else 2**63

        def between(answers: Answers) -> bool:
            value = answers.get(qid)
            return isinstance(value, int) and low <= value <= high

        return between

    @property
    def cuts(self) -> frozenset[int]:
        return frozenset(([] if self.low is None else [self.low]) + ([] if self.high is None else [self.high + 1]))

    @property
    def detail(self) -> object:
        return (self.low, self.high)

    def wording(self, question: Question) -> Wording:
        low, high = self.low, self.high
        if low is not None and low == high:
            return Wording(N_("answered %(number)s to “%(question)s”"), N_("did not answer %(number)s to “%(question)s”"),
                           number=low)
        if high is None:
            return Wording(N_("answered %(low)s or more%(out_of)s to “%(question)s”"),
                           N_("did not answer %(low)s or more%(out_of)s to “%(question)s”"), low=low)
        if low is None:
            return Wording(N_("answered %(high)s or less%(out_of)s to “%(question)s”"),
                           N_("did not answer %(high)s or less%(out_of)s to “%(question)s”"), high=high)
        return Wording(N_("answered between %(low)s and %(high)s%(out_of)s to “%(question)s”"),
                       N_("did not answer between %(low)s and %(high)s%(out_of)s to “%(question)s”"), low=low, high=high)
