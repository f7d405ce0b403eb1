"""The search: an answer set that makes a condition true, or how many do (see the package docstring)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from ...conditions import All, Any_, Condition, Not
from ...model import NONE_CODE, Question, Questionnaire, QuestionType
from .domains import NONE_ALONE, SOME, TRUE, UNANSWERED, Multi, build_domain, full_size, truth
from .split import disjuncts, no_answer_passes


class SearchBudgetExceeded(RuntimeError):
    """An exact count needed more steps than allowed; callers fall back to a stated sample."""


def closure(questionnaire: Questionnaire, ids: Iterable[str]) -> list[Question]:
    """The questions read, plus every question their branching depends on, in questionnaire order."""
    wanted = set(ids)
    for question in reversed(questionnaire.questions):
        if question.id in wanted:
            wanted |= branching_reads(question)
    return [q for q in questionnaire.questions if q.id in wanted]


def branching_reads(question: Question) -> frozenset[str]:
    """The questions that decide whether a question, or any of its options, is shown."""
    read = question.show_if.question_ids() if question.show_if is not None else frozenset()
    for option in question.options:
        if option.show_if is not None:
            read |= option.show_if.question_ids()
    return read


class Problem:
    """One condition over one questionnaire, ready to search."""

    def __init__(self, questionnaire: Questionnaire, condition: Condition, branching: bool = True,
                 counting: bool = False):
        self.questionnaire = questionnaire
        self.condition = condition
        self.branching = branching
        read = condition.question_ids()
        self.gates = {qid for q in questionnaire.questions for qid in branching_reads(q)}
        # A question with option branching is searched when counting: its hidden codes change the count.
        self.gates |= {q.id for q in questionnaire.questions if q.option_branching}
        self.questions = closure(questionnaire, read | (self.gates if counting else set()))
        atoms = list(condition.atoms())
        for question in questionnaire.questions:  # branching reads gates: keep apart what any show_if names
            if question.show_if is not None:
                atoms.extend(question.show_if.atoms())
            atoms.extend(a for o in question.options if o.show_if is not None for a in o.show_if.atoms())
        self.domains = {q.id: build_domain(q, atoms) for q in self.questions}
        self.steps = 0
        self.deadline: float | None = None

    def _shown(self, question: Question, assignment: dict[str, Any]) -> bool:
        if not self.branching or question.show_if is None:
            return True
        return truth(question.show_if, assignment) is True

    def _choices(self, index: int, assignment: dict[str, Any]) -> Iterator[tuple[Any, int]]:
        """Each abstract answer for question `index`, with its weight, set into `assignment`."""
        question = self.questions[index]
        domain = self.domains[question.id]
        if not self._shown(question, assignment):
            yield UNANSWERED, 1
            return
        hidden = self._hidden_codes(question, assignment)
        if question.type is not QuestionType.MULTIPLE:
            yield UNANSWERED, 1
            yield from (v for v in domain.values if v[0] not in hidden)
            return
        yield Multi(UNANSWERED, {}, domain), 1
        if NONE_CODE in question.codes and NONE_CODE not in hidden:
            yield Multi(NONE_ALONE, {}, domain), 1
        if [c for c in domain.codes if c not in hidden] or domain.other:
            yield Multi(SOME, dict.fromkeys(hidden - {NONE_CODE}, False), domain), 1  # a hidden code is never chosen

    def _hidden_codes(self, question: Question, assignment: dict[str, Any]) -> frozenset[str]:
        """Codes whose option show_if is false on the earlier answers (they are always decided by then)."""
        if not self.branching or not question.option_branching:
            return frozenset()
        return frozenset(o.code for o in question.options
                         if o.show_if is not None and truth(o.show_if, assignment) is False)

    def _bits(self, multi: Multi) -> list[tuple[str, int]]:
        domain = multi.domain
        bits = [(code, 2**domain.sizes.get(code, 1) - 1) for code in domain.codes if code not in multi.bits]
        if domain.other is not None:
            bits.append((domain.other, 2**domain.other_count - 1))
        return bits

    def satisfy(self) -> dict[str, Any] | None:
        """An answer set that makes the condition true, or None when none exists."""
        found = self._search(0, {}, [])
        return found

    def _search(self, index: int, assignment: dict[str, Any], pending: list[tuple[str, int]]) -> dict[str, Any] | None:
        self.steps += 1
        verdict = truth(self.condition, assignment)
        if verdict is False:
            return None
        if verdict is True:
            return self._complete(assignment)
        if pending:
            return self._search_bit(index, assignment, pending)
        if index >= len(self.questions):
            return None
        qid = self.questions[index].id
        for value, _weight in self._choices(index, assignment):
            assignment[qid] = value
            bits = self._bits(value) if isinstance(value, Multi) and value.state is SOME else []
            found = self._search(index + 1, assignment, bits)
            if found is not None:
                return found
        del assignment[qid]
        return None

    def _search_bit(self, index: int, assignment: dict[str, Any], pending: list[tuple[str, int]]) -> dict[str, Any] | None:
        multi = assignment[self.questions[index - 1].id]
        code, _ = pending[0]
        options = (True,) if len(pending) == 1 and not any(multi.bits.values()) else (True, False)
        for on in options:
            multi.bits[code] = on
            found = self._search(index, assignment, pending[1:])
            if found is not None:
                return found
        del multi.bits[code]
        return None

    def _complete(self, assignment: dict[str, Any]) -> dict[str, Any]:
        """Any completion of a decided partial answer set: later questions unanswered."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = assignment.get(question.id)
            if value is None or value is UNANSWERED:
                continue
            if isinstance(value, Multi):
                if value.state is UNANSWERED:
                    continue
                chosen = value.chosen()
                if value.state is SOME and not chosen:
                    unknown = [c for c, _ in self._bits(value) if c not in value.bits]
                    chosen = frozenset(unknown[:1])
                answers[question.id] = sorted(chosen, key=question.codes.index)
            elif isinstance(value, tuple):
                answers[question.id] = value[0]
            else:
                answers[question.id] = value
        return answers

    def count(self, budget: int = 2_000_000, seconds: float | None = None) -> int:
        """How many concrete answer sets (over the whole questionnaire) make the condition true."""
        self.deadline = time.monotonic() + seconds if seconds is not None else None
        return self._count(0, {}, [], False, budget)

    def _count(self, index: int, assignment: dict[str, Any], pending: list[tuple[str, int]], free: bool,
               budget: int) -> int:
        self.steps += 1
        if self.steps > budget:
            raise SearchBudgetExceeded(f"more than {budget:,} search steps")
        if self.deadline is not None and self.steps % 1024 == 0 and time.monotonic() > self.deadline:
            raise SearchBudgetExceeded("out of time")
        if not free:
            verdict = truth(self.condition, assignment)
            if verdict is False:
                return 0
            free = verdict is True
        if pending:
            multi = assignment[self.questions[index - 1].id]
            code, weight = pending[0]
            options = (True,) if len(pending) == 1 and not any(multi.bits.values()) else (True, False)
            total = 0
            for on in options:
                multi.bits[code] = on
                total += (weight if on else 1) * self._count(index, assignment, pending[1:], free, budget)
            del multi.bits[code]
            return total
        if index >= len(self.questions):
            return self._rest(assignment)
        question = self.questions[index]
        if free and question.id not in self.gates:
            return self._count(index + 1, assignment, [], free, budget)
        total = 0
        for value, weight in self._choices(index, assignment):
            assignment[question.id] = value
            bits = self._bits(value) if isinstance(value, Multi) and value.state is SOME else []
            total += weight * self._count(index + 1, assignment, bits, free, budget)
        del assignment[question.id]
        return total

    def _rest(self, assignment: dict[str, Any]) -> int:
        """Answer sets for the questions not searched: every answer when shown, only unanswered when hidden."""
        factor = 1
        for question in self.questionnaire.questions:
            if question.id not in assignment and self._shown(question, assignment):
                factor *= full_size(question)
        return factor


def satisfy(questionnaire: Questionnaire, condition: Condition, branching: bool = True) -> dict[str, Any] | None:
    """A JSON-shaped answer set that makes `condition` true (after branching), or None if none exists.

    Searched part by part (split.disjuncts): each part reads fewer questions than the whole."""
    for part in disjuncts(condition):
        if no_answer_passes(questionnaire, part):
            continue
        found = Problem(questionnaire, part, branching=branching).satisfy()
        if found is not None:
            return found
    return None


def count(questionnaire: Questionnaire, condition: Condition, budget: int = 2_000_000,
          seconds: float | None = None) -> int:
    """The exact number of answer sets that make `condition` true; SearchBudgetExceeded if too costly."""
    return Problem(questionnaire, condition, counting=True).count(budget, seconds)


def total(questionnaire: Questionnaire) -> int:
    """The number of distinct answer sets the questionnaire allows, with branching."""
    return count(questionnaire, TRUE)


def implies(questionnaire: Questionnaire, left: Condition, right: Condition) -> dict[str, Any] | None:
    """None when `left` implies `right` for every answer set; otherwise a counterexample."""
    return satisfy(questionnaire, All((left, Not(right))))


def equivalent(questionnaire: Questionnaire, left: Condition, right: Condition) -> bool:
    return satisfy(questionnaire, Any_((All((left, Not(right))), All((right, Not(left)))))) is None


def weighted_samples(questionnaire: Questionnaire, size: int, seed: int = 20261124) -> list[tuple[dict[str, Any], float]]:
    """A fixed random sample of answer sets, each with the weight that makes averages uniform over answer sets.

    Every question's raw answer is drawn uniformly from all of its answers (including unanswered);
    branching then hides some. An answer set with hidden questions is reached from every raw value
    of those questions, so its weight is 1 / (product of their sizes): weighted averages estimate
    the share over all distinct answer sets without bias.
    """
    import random

    from ...answers import visible_answers

    chooser = random.Random(seed)
    samples = []
    for _ in range(size):
        raw: dict[str, Any] = {}
        for question in questionnaire.questions:
            index = chooser.randrange(full_size(question))
            if index == 0:
                continue
            if question.type is QuestionType.SCALE:
                raw[question.id] = (question.minimum or 0) + index - 1
            elif question.type is QuestionType.SINGLE:
                raw[question.id] = question.codes[index - 1]
            elif NONE_CODE in question.codes and index == 1:
                raw[question.id] = frozenset({NONE_CODE})
            else:
                plain = [c for c in question.codes if c != NONE_CODE]
                bits = index - (1 if NONE_CODE in question.codes else 0)
                raw[question.id] = frozenset(c for bit, c in enumerate(plain) if bits >> bit & 1)
        shown = visible_answers(questionnaire, raw)
        weight = 1.0
        for question in questionnaire.questions:
            if question.id not in shown and question.show_if is not None and not question.show_if.predicate(shown):
                weight /= full_size(question)
        samples.append((shown, weight))
    return samples
