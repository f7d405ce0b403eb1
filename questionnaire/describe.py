"""Conditions in plain English, made from the condition objects and the questions' own wording.

Staff read "answered “Yes” to “Do you have a pump?”, and chose “Fever” for “Any of these?”"
instead of YAML. Negations are pushed inward (De Morgan) so every clause reads as something a
person answered or did not answer. No Flask: the web layer passes its gettext for other languages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import All, Any_, Atom, Condition, Not
from .interpreters import Interpreter
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

    Conditions name questions by id; every atom is worded with the `questionnaire` being shown
    (a translation, say), so a Spanish page is Spanish throughout.
    """

    def __init__(self, gettext: Translate, questionnaire: Questionnaire):
        self._ = gettext
        self._questions = questionnaire.by_id

    @classmethod
    def english(cls, questionnaire: Questionnaire) -> Describer:
        """Words in the content's own language, connecting phrases untranslated (CLI, lint, diff)."""
        return cls(_untranslated, questionnaire)

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
            elif pushed[0].question_id == question_id:
                found.append(self.atom(*pushed))

        walk(condition, False)
        return found

    # --- single tests on one answer ----------------------------------------------------------

    def atom(self, atom: Atom, negated: bool = False) -> str:
        """One test on one question's answer, e.g. 'answered “Yes” to “Do you have a pump?”'."""
        question = self._questions[atom.question_id]
        wording = atom.wording(question)
        words = {"question": question.text}
        if wording.codes:
            words["answers"] = self._labels(question, list(wording.codes), self._(wording.joiner) if wording.joiner else "")
        if wording.number is not None:
            words["number"] = self._scale_value(question, wording.number)
        if wording.low is not None or wording.high is not None:
            words["out_of"] = (self._(" (out of %(maximum)s)") % {"maximum": question.maximum}
                               if question.maximum is not None else "")
            words["low"], words["high"] = str(wording.low), str(wording.high)
        return self._(wording.false if negated else wording.true) % words

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


@dataclass(frozen=True)
class _Group:
    """An all/any after negations have been pushed to the atoms."""

    kind: type
    items: tuple[tuple[Condition, bool], ...]


_push = Interpreter[_Group | tuple[Atom, bool]]("describe")


def _push_not(condition: Condition, negated: bool) -> _Group | tuple[Atom, bool]:
    """Apply De Morgan: not(all) is any of the negations, not(any) is all of them; flatten same kinds."""
    return _push(condition, negated)


@_push.register(Not)
def _push_negation(condition: Not, negated: bool) -> _Group | tuple[Atom, bool]:
    return _push(condition.item, not negated)


@_push.register(All, Any_)
def _push_group(condition: All | Any_, negated: bool) -> _Group | tuple[Atom, bool]:
    kind: type = All if isinstance(condition, All) != negated else Any_
    items: list[tuple[Condition, bool]] = []
    for item in condition.items:
        inner = _push(item, negated)
        if isinstance(inner, _Group) and inner.kind is kind:
            items.extend(inner.items)
        else:
            items.append((item, negated))
    return _Group(kind, tuple(items))


@_push.register(Atom)  # every atom words itself (Atom.wording)
def _push_atom(condition: Atom, negated: bool) -> _Group | tuple[Atom, bool]:
    return condition, negated


def _depth(node: _Group | tuple[Atom, bool]) -> int:
    if not isinstance(node, _Group):
        return 0
    return 1 + max(_depth(_push_not(item, neg)) for item, neg in node.items)

