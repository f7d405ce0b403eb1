"""Conditions in plain English, made from the condition objects and the questions' own wording.

Staff read "answered “Yes” to “Do you have a pump?”, and chose “Fever” for “Any of these?”"
instead of YAML. Negations are pushed inward (De Morgan) so every clause reads as something a
person answered or did not answer. No Flask: the web layer passes its gettext for other languages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import (
    All,
    Answered,
    Any_,
    Atom,
    Between,
    Condition,
    Equals,
    IncludesAll,
    IncludesAny,
    Not,
    OneOf,
)
from .model import AnswerValue, Question, Questionnaire, QuestionType

Translate = Callable[[str], str]


def _untranslated(text: str) -> str:
    return text


@dataclass(frozen=True)
class Clause:
    """One line of an outline: a phrase, or a heading over nested clauses."""

    text: str
    parts: tuple[Clause, ...] = ()


class Describer:
    """Words for conditions and questions; `gettext` translates the connecting phrases.

    Conditions name questions whose words are those of the content they were loaded from
    (English). Given the `questionnaire` being shown (a translation, say), every atom is worded
    with that questionnaire's question of the same id, so a Spanish page is Spanish throughout.
    """

    def __init__(self, gettext: Translate = _untranslated, questionnaire: Questionnaire | None = None):
        self._ = gettext
        self._questions = questionnaire.by_id if questionnaire is not None else {}

    def _question(self, question: Question) -> Question:
        return self._questions.get(question.id, question)

    # --- whole conditions -------------------------------------------------------------------

    def sentence(self, condition: Condition) -> str:
        """The condition as one sentence fragment; nested groups in brackets."""
        return self._phrase(condition, negated=False, inside=None)

    def outline(self, condition: Condition) -> Clause:
        """The condition as a tree of clauses, for conditions too nested for one sentence."""
        return self._clause(condition, negated=False)

    def is_nested(self, condition: Condition) -> bool:
        """True when "and" and "or" mix, so an outline reads better than a sentence."""
        return _depth(_push_not(condition, False)) > 1

    def _phrase(self, condition: Condition, negated: bool, inside: type | None) -> str:
        node = _push_not(condition, negated)
        if isinstance(node, _Group):
            joiner = self._(", and ") if node.kind is All else self._(", or ")
            text = joiner.join(self._phrase(item, neg, node.kind) for item, neg in node.items)
            return f"({text})" if inside is not None and inside is not node.kind else text
        atom, neg = node
        return self.atom(atom, neg)

    def _clause(self, condition: Condition, negated: bool) -> Clause:
        node = _push_not(condition, negated)
        if isinstance(node, _Group):
            heading = self._("all of these:") if node.kind is All else self._("at least one of these:")
            return Clause(heading, tuple(self._clause(item, neg) for item, neg in node.items))
        atom, neg = node
        return Clause(self.atom(atom, neg))

    def tests_on(self, condition: Condition, question_id: str) -> list[str]:
        """What a condition looks for in one question's answer, negations included ('did not choose ...')."""
        found: list[str] = []

        def walk(node: Condition, negated: bool) -> None:
            pushed = _push_not(node, negated)
            if isinstance(pushed, _Group):
                for item, neg in pushed.items:
                    walk(item, neg)
            elif pushed[0].question.id == question_id:
                found.append(self.atom(*pushed))

        walk(condition, False)
        return found

    # --- single tests on one answer ----------------------------------------------------------

    def atom(self, atom: Atom, negated: bool = False) -> str:
        """One test on one question's answer, e.g. 'answered “Yes” to “Do you have a pump?”'."""
        question = self._question(atom.question)
        words = {"question": question.text}
        if isinstance(atom, Answered):
            if atom.expected != negated:
                return self._("answered “%(question)s”") % words
            return self._("has no answer to “%(question)s” (not answered, or not asked)") % words
        if isinstance(atom, Between):
            return self._between(atom, negated, words)
        if isinstance(atom, Equals) and question.type is QuestionType.SCALE:
            words["number"] = self._scale_value(question, int(atom.value))
            return (self._("did not answer %(number)s to “%(question)s”") if negated
                    else self._("answered %(number)s to “%(question)s”")) % words
        if isinstance(atom, Equals | OneOf):
            codes = [str(atom.value)] if isinstance(atom, Equals) else _ordered(question, atom.values)
            words["answers"] = self._labels(question, codes, self._(" or "))
            return (self._("did not answer %(answers)s to “%(question)s”") if negated
                    else self._("answered %(answers)s to “%(question)s”")) % words
        if isinstance(atom, IncludesAny | IncludesAll):
            codes = _ordered(question, atom.values)
            if len(codes) == 1:
                words["answers"] = self._labels(question, codes, "")
                return (self._("did not choose %(answers)s for “%(question)s”") if negated
                        else self._("chose %(answers)s for “%(question)s”")) % words
            if isinstance(atom, IncludesAny):
                words["answers"] = self._labels(question, codes, self._(" or "))
                return (self._("chose none of %(answers)s for “%(question)s”") if negated
                        else self._("chose any of %(answers)s for “%(question)s”")) % words
            words["answers"] = self._labels(question, codes, self._(" and "))
            return (self._("did not choose all of %(answers)s for “%(question)s”") if negated
                    else self._("chose all of %(answers)s for “%(question)s”")) % words
        raise TypeError(f"no plain-English wording for condition type {type(atom).__name__}")

    def _between(self, atom: Between, negated: bool, words: dict[str, str]) -> str:
        question = self._question(atom.question)
        words["out_of"] = (self._(" (out of %(maximum)s)") % {"maximum": question.maximum}
                           if question.maximum is not None else "")
        words["low"], words["high"] = str(atom.low), str(atom.high)
        if atom.low is not None and atom.high is not None and atom.low == atom.high:
            words["number"] = self._scale_value(question, atom.low)
            return (self._("did not answer %(number)s to “%(question)s”") if negated
                    else self._("answered %(number)s to “%(question)s”")) % words
        if atom.high is None:
            text = (self._("did not answer %(low)s or more%(out_of)s to “%(question)s”") if negated
                    else self._("answered %(low)s or more%(out_of)s to “%(question)s”"))
        elif atom.low is None:
            text = (self._("did not answer %(high)s or less%(out_of)s to “%(question)s”") if negated
                    else self._("answered %(high)s or less%(out_of)s to “%(question)s”"))
        else:
            text = (self._("did not answer between %(low)s and %(high)s%(out_of)s to “%(question)s”") if negated
                    else self._("answered between %(low)s and %(high)s%(out_of)s to “%(question)s”"))
        return text % words

    def _scale_value(self, question: Question, value: int) -> str:
        label = question.scale_labels.get(value)
        words = {"number": value, "maximum": question.maximum, "label": label}
        if label and question.maximum is not None:
            return self._("%(number)s out of %(maximum)s (“%(label)s”)") % words
        if question.maximum is not None:
            return self._("%(number)s out of %(maximum)s") % words
        return str(value)

    def _labels(self, question: Question, codes: list[str], last: str) -> str:
        quoted = [f"“{question.label_for(code)}”" for code in codes]
        if len(quoted) == 1:
            return quoted[0]
        return ", ".join(quoted[:-1]) + last + quoted[-1]

    # --- questions and answers ---------------------------------------------------------------

    def question_kind(self, question: Question) -> str:
        if question.type is QuestionType.SINGLE:
            return self._("one answer from %(count)s") % {"count": len(question.options)}
        if question.type is QuestionType.MULTIPLE:
            return self._("any of %(count)s answers") % {"count": len(question.options)}
        return self._("a whole number from %(minimum)s to %(maximum)s") % {
            "minimum": question.minimum, "maximum": question.maximum}

    def asked_when(self, question: Question) -> str:
        """When a question is asked: 'Always asked.' or 'Asked only when: ...'."""
        if question.show_if is None:
            return self._("Always asked.")
        return self._("Asked only when: %(condition)s.") % {"condition": self.sentence(question.show_if)}

    def question_summary(self, question: Question) -> str:
        """One line per question: its wording, how it is answered, and when it is asked."""
        return f"{question.id}: “{question.text}” ({self.question_kind(question)}). {self.asked_when(question)}"

    def answers(self, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
        """A set of answers (as JSON or model values) as (question wording, answer in words)."""
        rows = []
        by_id = questionnaire.by_id
        for question in questionnaire.questions:
            if question.id in answers:
                rows.append((question.text, _answer_words(question, answers[question.id])))
        rows.extend((qid, str(value)) for qid, value in answers.items() if qid not in by_id)
        return rows


def _answer_words(question: Question, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple | set | frozenset):
        value = frozenset(str(code) for code in value)
    parsed: AnswerValue = value if isinstance(value, frozenset | int) and not isinstance(value, bool) else str(value)
    return question.describe_answer(parsed)


def _ordered(question: Question, codes: Iterable[str]) -> list[str]:
    """Codes in the order the question lists them, so wording is stable."""
    wanted = set(codes)
    return [code for code in question.codes if code in wanted] + sorted(wanted - set(question.codes))


@dataclass(frozen=True)
class _Group:
    """An all/any after negations have been pushed to the atoms."""

    kind: type
    items: tuple[tuple[Condition, bool], ...]


def _push_not(condition: Condition, negated: bool) -> _Group | tuple[Atom, bool]:
    """Apply De Morgan: not(all) is any of the negations, not(any) is all of them; flatten same kinds."""
    while isinstance(condition, Not):
        condition, negated = condition.item, not negated
    if isinstance(condition, All | Any_):
        kind: type = All if isinstance(condition, All) != negated else Any_
        items: list[tuple[Condition, bool]] = []
        for item in condition.items:
            inner = _push_not(item, negated)
            if isinstance(inner, _Group) and inner.kind is kind:
                items.extend(inner.items)
            else:
                items.append((item, negated))
        return _Group(kind, tuple(items))
    if isinstance(condition, Atom):
        return condition, negated
    raise TypeError(f"no plain-English wording for condition type {type(condition).__name__}")


def _depth(node: _Group | tuple[Atom, bool]) -> int:
    if not isinstance(node, _Group):
        return 0
    return 1 + max(_depth(_push_not(item, neg)) for item, neg in node.items)


_default = Describer()
sentence = _default.sentence
outline = _default.outline
question_summary = _default.question_summary
