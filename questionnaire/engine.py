"""Answers in, ordered guidance out. No Flask, no I/O: the same call serves web, API and CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .answers import value_to_json, visible_answers
from .model import EMERGENCY_NUMBER_PLACEHOLDER, Answers, AnswerValue, Content, Level, QuestionType, Rule
from .plan import Plan


@dataclass(frozen=True)
class Because:
    """One answer that made a rule apply, in words."""

    question: str
    value: AnswerValue
    question_text: str
    answer_text: str

    @cached_property
    def text(self) -> str:
        return f"{self.question_text} – {self.answer_text}"


@dataclass(frozen=True)
class Guidance:
    """One rule that applies, with its text ready to show and the answers behind it."""

    rule: Rule
    text: str
    because: tuple[Because, ...]

    @property
    def level(self) -> Level:
        return self.rule.level


@dataclass(frozen=True)
class Evaluation:
    """The outcome for one set of answers, emergency first."""

    content: Content
    answers: Mapping[str, AnswerValue]
    guidance: tuple[Guidance, ...]

    @property
    def highest_level(self) -> Level | None:
        return self.guidance[0].level if self.guidance else None

    def by_level(self) -> list[tuple[Level, list[Guidance]]]:
        """Guidance grouped by level, highest first, leaving out empty levels."""
        groups = [(level, [g for g in self.guidance if g.level is level]) for level in Level]
        return [(level, items) for level, items in groups if items]

    def fired(self) -> list[str]:
        return [g.rule.id for g in self.guidance]


def in_display_order(rules: Iterable[Rule]) -> list[Rule]:
    """Rules as guidance lists them: by level, then `order` (rules with one first, smallest first), then authored order."""
    return sorted(rules, key=lambda rule: (rule.level.rank, rule.order is None, rule.order or 0))  # stable


class Engine:
    """Holds a rule set's compiled predicates; build once per content load."""

    def __init__(self, content: Content):
        self.content = content
        ordered = in_display_order(content.ruleset.rules)
        self._plan = Plan(ordered, content.questionnaire.questions)
        # A second, smaller plan over only the levels that interrupt the flow (ruleset `interrupt`):
        # the web flow asks it after every page, so it must cost a fraction of a whole evaluation.
        interrupt = content.ruleset.interrupt
        self._interrupt_plan = Plan([rule for rule in ordered if rule.level in interrupt],
                                    content.questionnaire.questions)
        self._question_order = {qid: index for index, qid in enumerate(content.questionnaire.by_id)}
        # The reason, in words, for every answer that has few possible values (a choice, a scale
        # point, one code of a multiple-choice question): built once from the content (immutable,
        # so shared by every evaluation); other answers are described per request.
        self._reasons: dict[str, dict[AnswerValue, Because]] = {}
        for question in content.questionnaire.questions:
            values: tuple[AnswerValue, ...]
            if question.type is QuestionType.SCALE:
                values = question.values
            elif question.type is QuestionType.MULTIPLE:
                values = tuple(frozenset((code,)) for code in question.codes)
            else:
                values = question.codes
            self._reasons[question.id] = {
                value: Because(question.id, value, question.text, question.describe_answer(value)) for value in values}

    def evaluate(self, answers: Answers, emergency_number: str) -> Evaluation:
        """Apply branching, then every rule; guidance comes back emergency → urgent → discuss → info.

        `emergency_number` comes from the content (the clinic's, or emergency_numbers.yaml's for
        the country): the engine has none of its own. Staff tools that compare rule text pass
        EMERGENCY_NUMBER_PLACEHOLDER to read it as written.
        """
        questionnaire = self.content.questionnaire
        shown = visible_answers(questionnaire, answers)
        fired = self.matching_rules(shown)
        if not fired and self.content.ruleset.fallback is not None:
            fired.append(self.content.ruleset.fallback)
        return self._evaluation(fired, shown, emergency_number)

    def interrupting_rules(self, answers: Answers) -> list[Rule]:
        """The per-page check: for the answers given so far, the rules at an interrupt level that apply.

        Highest level first; no text, no reasons (the flow asks after every page, so it stays cheap:
        timed by bench/interrupt_bench.py). Empty when the rule set names no interrupt level.
        """
        return self._interrupt_plan.matching(visible_answers(self.content.questionnaire, answers))

    def interrupting(self, answers: Answers, emergency_number: str) -> Evaluation:
        """The advice the flow shows at once: the guidance of the interrupting rules, worded as `evaluate` words it.

        Same text, same reasons, no fallback; built only when the advice is shown.
        """
        shown = visible_answers(self.content.questionnaire, answers)
        return self._evaluation(self._interrupt_plan.matching(shown), shown, emergency_number)

    def _evaluation(self, fired: list[Rule], shown: Answers, emergency_number: str) -> Evaluation:
        guidance = tuple(
            Guidance(rule=rule, text=rule.guidance.replace(EMERGENCY_NUMBER_PLACEHOLDER, emergency_number),
                     because=self._because(rule, shown))
            for rule in fired
        )
        return Evaluation(content=self.content, answers=shown, guidance=guidance)

    def matching_rules(self, shown: Answers) -> list[Rule]:
        """The rules whose `when` holds for answers already pruned by branching, highest level first.

        No fallback, no text: the bare rule evaluation, also timed by bench/evaluate_bench.py.
        """
        return self._plan.matching(shown)

    def _because(self, rule: Rule, answers: Answers) -> tuple[Because, ...]:
        if rule.when is None:
            return ()
        atoms = rule.when.matched_atoms(answers)
        if len(atoms) == 1:  # the common case: one answer, nothing to merge or order
            qid = atoms[0].question_id
            return (self._reason(qid, atoms[0].matched_value(answers[qid])),)
        values: dict[str, AnswerValue] = {}
        for atom in atoms:
            qid = atom.question_id
            value = atom.matched_value(answers[qid])
            if qid in values and isinstance(value, frozenset):
                value = value | values[qid]  # type: ignore[operator]
            values[qid] = value
        order = self._question_order  # "because" answers in questionnaire order
        return tuple(self._reason(qid, values[qid]) for qid in sorted(values, key=order.__getitem__))

    def _reason(self, qid: str, value: AnswerValue) -> Because:
        try:
            known = self._reasons[qid].get(value)
        except TypeError:  # not hashable: cannot happen for parsed answers; described the long way
            known = None
        if known is not None:
            return known
        question = self.content.questionnaire.by_id[qid]  # this content's words, which may be a translation
        return Because(qid, value, question.text, question.describe_answer(value))


def evaluation_to_json(evaluation: Evaluation) -> dict[str, Any]:
    """The API's response body for an evaluation."""
    ruleset = evaluation.content.ruleset
    questionnaire = evaluation.content.questionnaire
    by_id = questionnaire.by_id
    highest = evaluation.highest_level
    return {
        "ruleset": {"version": ruleset.version, "sha256": ruleset.sha256},
        "highest_level": highest.value if highest else None,
        "guidance": [
            {
                "rule": g.rule.id,
                "level": g.level.value,
                "topic": g.rule.topic.value,
                "title": g.rule.title,
                "text": g.text,
                "because": [
                    {"question": b.question, "answer": value_to_json(by_id[b.question], b.value), "text": b.text}
                    for b in g.because
                ],
            }
            for g in evaluation.guidance
        ],
        # Shown answers are already in questionnaire order (visible_answers walks the questions).
        "answers": {qid: value_to_json(by_id[qid], value) for qid, value in evaluation.answers.items()},
        "disclaimer": ruleset.disclaimer,
        "language": evaluation.content.language,
    }
