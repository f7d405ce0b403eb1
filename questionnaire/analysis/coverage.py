"""Coverage: how many scenarios fire each rule, and which answer codes nothing reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import Content, QuestionType
from .scenarios import ScenarioResult


@dataclass(frozen=True)
class Coverage:
    """Scenarios per rule id, the rules none fires, and (question, code) pairs no rule or show_if reads."""

    per_rule: Mapping[str, int]
    uncovered: tuple[str, ...]
    unread_codes: tuple[tuple[str, str], ...]

    @property
    def complete(self) -> bool:
        return not self.uncovered


def coverage(content: Content, results: Iterable[ScenarioResult]) -> Coverage:
    ruleset = content.ruleset
    every = ruleset.all_rules
    per_rule = {rule.id: 0 for rule in every}
    for result in results:
        for rule_id in set(result.fired):
            per_rule[rule_id] = per_rule.get(rule_id, 0) + 1
    conditions = [rule.when for rule in ruleset.rules if rule.when is not None]
    conditions += [q.show_if for q in content.questionnaire.questions if q.show_if is not None]
    conditions += [o.show_if for q in content.questionnaire.questions for o in q.options if o.show_if is not None]
    read: set[tuple[str, str]] = set()
    for condition in conditions:
        for atom in condition.atoms():
            read |= {(atom.question_id, code) for code in atom.named_codes}
    unread = tuple((q.id, code) for q in content.questionnaire.questions if q.type is not QuestionType.SCALE
                   for code in q.codes if (q.id, code) not in read)
    return Coverage(per_rule=per_rule, uncovered=tuple(rid for rid, n in per_rule.items() if n == 0),
                    unread_codes=unread)
