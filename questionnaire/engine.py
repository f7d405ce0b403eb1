"""Answers in, ordered guidance out. No Flask, no I/O: the same call serves web, API and CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .answers import value_to_json, visible_answers
from .model import EMERGENCY_NUMBER_PLACEHOLDER, Answers, AnswerValue, Content, Level, Rule
from .plan import Plan
from .reasons import Because, Explainer

__all__ = ["Because", "Engine", "Evaluation", "Guidance", "evaluation_to_json", "in_display_order"]


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
        self._explainer = Explainer(content)  # the answers behind each rule, in this content's words
        self._numbered = frozenset(rule.id for rule in content.ruleset.all_rules  # guidance naming the number
                                   if EMERGENCY_NUMBER_PLACEHOLDER in rule.guidance)

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
        numbered, because = self._numbered, self._explainer.because
        guidance = tuple(
            Guidance(rule, rule.guidance.replace(EMERGENCY_NUMBER_PLACEHOLDER, emergency_number)
                     if rule.id in numbered else rule.guidance, because(rule, shown))
            for rule in fired
        )
        return Evaluation(content=self.content, answers=shown, guidance=guidance)

    def matching_rules(self, shown: Answers) -> list[Rule]:
        """The rules whose `when` holds for answers already pruned by branching, highest level first.

        No fallback, no text: the bare rule evaluation, also timed by bench/evaluate_bench.py.
        """
        return self._plan.matching(shown)


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
                "because": [b.json for b in g.because],  # prebuilt with each reason
            }
            for g in evaluation.guidance
        ],
        # Shown answers are already in questionnaire order (visible_answers walks the questions);
        # only a set of codes needs turning into a list.
        "answers": {qid: value_to_json(by_id[qid], value) if type(value) is frozenset else value
                    for qid, value in evaluation.answers.items()},
        "disclaimer": ruleset.disclaimer,
        "language": evaluation.content.language,
    }
