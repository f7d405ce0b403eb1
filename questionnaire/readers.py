"""Which rules and show_ifs read each question and each answer code, for review pages. No Flask."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .conditions import Atom, Condition
from .model import Content, Rule


@dataclass(frozen=True)
class Reader:
    """A rule's `when` or a question's `show_if` that reads one question, with the tests it makes."""

    kind: str  # "rule" or "show_if"
    id: str  # the rule id, or the id of the question whose show_if it is
    atoms: tuple[Atom, ...]
    condition: Condition  # the whole rule's `when` or question's `show_if`
    rule: Rule | None = None

    @property
    def codes(self) -> frozenset[str]:
        """The answer codes these tests name (empty for scales and 'answered')."""
        return frozenset(code for atom in self.atoms for code in atom.named_codes)


def _by_question(condition: Condition) -> dict[str, tuple[Atom, ...]]:
    grouped: dict[str, list[Atom]] = defaultdict(list)
    for atom in condition.atoms():
        grouped[atom.question_id].append(atom)
    return {qid: tuple(atoms) for qid, atoms in grouped.items()}


def readers_by_question(content: Content) -> dict[str, list[Reader]]:
    """For every question id, the show_ifs (in questionnaire order) then rules (in file order) reading it."""
    found: dict[str, list[Reader]] = {q.id: [] for q in content.questionnaire.questions}
    for question in content.questionnaire.questions:
        if question.show_if is not None:
            for qid, atoms in _by_question(question.show_if).items():
                found[qid].append(Reader("show_if", question.id, atoms, question.show_if))
    for rule in content.ruleset.rules:
        if rule.when is not None:
            for qid, atoms in _by_question(rule.when).items():
                found[qid].append(Reader("rule", rule.id, atoms, rule.when, rule))
    return found
