"""Why a rule applies, in words: the answers behind each piece of guidance ("because ...").

One per engine, for its content's words. A rule's reasons depend only on the answers to its own
questions, and most rules look at a few questions with few possible answers (a single choice, a
scale, or the codes a multiple-choice test names). So the first time a rule applies, every
combination of those answers that makes it apply is worked out from the content, part by part
(the items of a top-level `all` that share no question are separate parts), and from then on an
evaluation finds each part's reasons with one look-up. Like the rule plan's (plan.py), the
tables are enumerated from the content, never filled from an answer a person gave. A part with
too many combinations, or an answer outside its table, is described the long way, with the same
result (tests/test_reasons.py checks both ways agree).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations, product
from typing import Any

from .answers import value_to_json
from .conditions import All, Atom, Condition
from .model import Answers, AnswerValue, Content, Question, QuestionType, Rule

# Bounds on the tables (built on first use): the app has one engine per language and perspective.
_COMBINATIONS_MAX = 1024  # answer combinations worked out per part of a rule
_ENTRIES_MAX = 50_000  # combinations worked out per engine in all (a rule set of thousands of rules)
_NAMED_CODES_MAX = 8  # codes one multiple-choice question may name in a rule (2**8 subsets)


@dataclass(frozen=True)
class Because:
    """One answer that made a rule apply, in words; `answer` is the value as JSON (codes in option order)."""

    question: str
    value: AnswerValue
    question_text: str
    answer_text: str
    answer: Any

    @cached_property
    def text(self) -> str:
        return f"{self.question_text} – {self.answer_text}"

    @cached_property
    def json(self) -> Mapping[str, Any]:
        """The API's form of this reason; shared by every response that gives it, so never to be changed."""
        return {"question": self.question, "answer": self.answer, "text": self.text}


Reasons = tuple[Because, ...]
_Key = Callable[[Answers], Any]  # the part of the answers a rule's reasons depend on
_Table = tuple[_Key, dict[Any, Reasons]]
_Finder = Callable[[Answers], "Reasons"]


def _no_reasons(answers: Answers) -> Reasons:
    return ()


class Explainer:
    """The reasons for any rule of one content (its words, which may be a translation)."""

    def __init__(self, content: Content):
        self._questions = content.questionnaire.by_id
        self._order = {qid: index for index, qid in enumerate(self._questions)}  # reasons in questionnaire order
        # The reason for every answer with few possible values (a choice, a scale point, one code
        # of a multiple-choice question); other answers are described when they are given.
        self._known: dict[str, dict[AnswerValue, Because]] = {}
        for question in content.questionnaire.questions:
            values: tuple[AnswerValue, ...]
            if question.type is QuestionType.SCALE:
                values = question.values
            elif question.type is QuestionType.MULTIPLE:
                values = tuple(frozenset((code,)) for code in question.codes)
            else:
                values = question.codes
            self._known[question.id] = {value: _because(question, value) for value in values}
        # Per rule, once it first applies: how to find its reasons, part by part (the items of a
        # top-level `all`, grouped when they share a question), each from its table or worked out.
        # Built on first use, so an app pays nothing for a rule it never meets; two threads
        # building the same rule's entry build equal ones, and either may stay.
        self._finders: dict[str, _Finder] = {}
        self.tabled: dict[str, tuple[bool, ...]] = {}  # per rule met so far: which parts have a table
        self._entries = 0  # combinations worked out so far, within _ENTRIES_MAX

    def because(self, rule: Rule, answers: Answers) -> Reasons:
        """The answers that made `rule` apply (to answers for which it does), in questionnaire order."""
        finder = self._finders.get(rule.id)
        if finder is None:
            finder = self._finders[rule.id] = self._finder(rule)
        return finder(answers)

    def _finder(self, rule: Rule) -> _Finder:
        """A rule applies when each of its separate parts holds, so its reasons are theirs together."""
        if rule.when is None:
            self.tabled[rule.id] = ()
            return _no_reasons
        order = self._order
        # Each part with the places of its questions in the questionnaire, parts in the order of their first.
        placed = sorted(((sorted(order[qid] for qid in part.question_ids()), part) for part in _separate(rule.when)),
                        key=lambda spanned: spanned[0][0])
        found = [self._part_finder(part) for _, part in placed]
        tabled = self.tabled[rule.id] = tuple(has_table for _, has_table in found)
        finders = tuple(finder for finder, _ in found)
        if len(finders) == 1:
            return finders[0]
        if not any(tabled):  # nothing to look up: work the whole condition out at once
            return functools.partial(self._worked_out, rule.when)
        spans = [span for span, _ in placed]
        if all(left[-1] < right[0] for left, right in zip(spans, spans[1:], strict=False)):
            # The parts' questions do not interleave: their reasons, part after part, are in order.
            if len(finders) == 2:
                first, second = finders
                return lambda answers: first(answers) + second(answers)
            if len(finders) == 3:
                first, second, third = finders
                return lambda answers: first(answers) + second(answers) + third(answers)
            return lambda answers: tuple(reason for finder in finders for reason in finder(answers))

        def interleaved(answers: Answers) -> Reasons:
            found = [reason for finder in finders for reason in finder(answers)]
            return tuple(sorted(found, key=lambda reason: order[reason.question]))

        return interleaved

    def _part_finder(self, part: Condition) -> tuple[_Finder, bool]:
        """Finds one part's reasons in its table, else works them out; and whether it has a table."""
        worked_out = self._worked_out
        built = self._table(part)
        if built is None:
            return functools.partial(worked_out, part), False
        key, table = built

        def find(answers: Answers) -> Reasons:
            try:
                reasons = table.get(key(answers))
            except TypeError:  # an unhashable value: not a parsed answer; described the long way all the same
                reasons = None
            return reasons if reasons is not None else worked_out(part, answers)

        return find, True

    def _worked_out(self, when: Condition, answers: Answers) -> Reasons:
        atoms = when.matched_atoms(answers)
        if len(atoms) == 1:  # one answer: nothing to merge or order
            qid = atoms[0].question_id
            return (self._reason(qid, atoms[0].matched_value(answers[qid])),)
        values: dict[str, AnswerValue] = {}
        for atom in atoms:
            qid = atom.question_id
            value = atom.matched_value(answers[qid])
            if qid in values and isinstance(value, frozenset):
                value = value | values[qid]  # type: ignore[operator]
            values[qid] = value
        order = self._order
        return tuple(self._reason(qid, values[qid]) for qid in sorted(values, key=order.__getitem__))

    def _reason(self, qid: str, value: AnswerValue) -> Because:
        try:
            known = self._known[qid].get(value)
        except TypeError:  # not hashable: cannot happen for parsed answers; described the long way
            known = None
        return known if known is not None else _because(self._questions[qid], value)

    # On first use: the table of a part whose answers are few (enumerated from the content alone).

    def _table(self, when: Condition) -> _Table | None:
        atoms_by_question: dict[str, list[Atom]] = {}
        for atom in when.atoms():
            atoms_by_question.setdefault(atom.question_id, []).append(atom)
        parts: list[tuple[str, frozenset[str] | None, tuple[AnswerValue | None, ...]]] = []
        size = 1
        for qid, atoms in atoms_by_question.items():
            part = _domain(self._questions.get(qid), atoms)
            if part is None:
                return None
            size *= len(part[1])
            if size > _COMBINATIONS_MAX or self._entries + size > _ENTRIES_MAX:
                return None
            parts.append((qid, *part))
        self._entries += size
        table: dict[Any, Reasons] = {}
        for combination in product(*(domain for _, _, domain in parts)):
            answers = {qid: value for (qid, _, _), value in zip(parts, combination, strict=True) if value is not None}
            if when.predicate(answers):
                table[combination[0] if len(parts) == 1 else combination] = self._worked_out(when, answers)
        return _key(tuple((qid, codes) for qid, codes, _ in parts)), table


def _separate(when: Condition) -> list[Condition]:
    """A top-level `all` cut into parts that share no question (items grouped when they share one), else `when`."""
    if not isinstance(when, All):
        return [when]
    groups: list[tuple[set[str], list[Condition]]] = []
    for item in when.items:
        questions = set(item.question_ids())
        joined = [group for group in groups if not group[0].isdisjoint(questions)]
        for group in joined:
            questions |= group[0]
        items = [kept for group in joined for kept in group[1]] + [item]
        groups = [group for group in groups if group not in joined] + [(questions, items)]
    return [items[0] if len(items) == 1 else All(tuple(items)) for _, items in groups]


def _because(question: Question, value: AnswerValue) -> Because:
    return Because(question.id, value, question.text, question.describe_answer(value), value_to_json(question, value))


def _domain(question: Question | None,
            atoms: list[Atom]) -> tuple[frozenset[str] | None, tuple[AnswerValue | None, ...]] | None:
    """What a rule's reasons read of one question: (the codes a multiple answer is cut down to, or None,
    every value that part can take, None for no answer); None when too many."""
    if question is None:
        return None
    if question.type is QuestionType.SCALE:
        return None, (None, *question.values)
    if question.type is not QuestionType.MULTIPLE:
        return None, (None, *question.codes)
    if not all(atom.reads_named_codes_only for atom in atoms):
        return None  # a test that reads the whole set of codes: too many sets to list
    codes = frozenset().union(*(atom.named_codes for atom in atoms))
    if len(codes) > _NAMED_CODES_MAX:
        return None
    ordered = sorted(codes)
    subsets = (frozenset(chosen) for size in range(len(ordered) + 1) for chosen in combinations(ordered, size))
    return codes, (None, *subsets)


def _key(parts: tuple[tuple[str, frozenset[str] | None], ...]) -> _Key:
    """The table key for some answers: each question's answer (None for none), a multiple answer cut
    down to the codes the rule names; one question's value alone, several as a tuple."""
    def one(qid: str, codes: frozenset[str] | None) -> _Key:
        if codes is None:
            return lambda answers: answers.get(qid)

        def chosen(answers: Answers) -> Any:
            value = answers.get(qid)
            return value & codes if isinstance(value, frozenset) else value

        return chosen

    keys = tuple(one(qid, codes) for qid, codes in parts)
    if len(keys) == 1:
        return keys[0]
    if len(keys) == 2:
        first, second = keys
        return lambda answers: (first(answers), second(answers))
    return lambda answers: tuple(key(answers) for key in keys)
