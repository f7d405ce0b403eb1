"""Impact report between two rule versions: what changed in words, which scenarios move, how many people."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..conditions import All, Any_, Condition, Not
from ..describe import Describer
from ..engine import Engine
from ..errors import ContentErrors
from ..loader import load_content
from ..model import EMERGENCY_NUMBER_PLACEHOLDER, Content, Questionnaire, Rule
from . import solver
from .changes import condition_key
from .invariants import fires
from .scenarios import Scenario, load_scenarios

AS_WRITTEN = EMERGENCY_NUMBER_PLACEHOLDER  # staff tools compare rule text as written, number unfilled

SAMPLE_SIZE = 10_000
COUNT_BUDGET = 1_000_000  # search steps for the exact count, then a stated sample instead
COUNT_SECONDS = 10.0


@dataclass(frozen=True)
class RuleChange:
    """One rule added, removed or changed, with each change in words."""

    rule: str
    status: str  # added | removed | changed
    title: str
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioChange:
    """A scenario whose guidance differs between the two versions."""

    name: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    old_highest: str | None
    new_highest: str | None
    changed_text: tuple[str, ...] = ()


@dataclass(frozen=True)
class Impact:
    """The whole report; `affected` of `total` answer sets see different guidance (`method` says how counted)."""

    old_label: str
    new_label: str
    rules: tuple[RuleChange, ...]
    questions: tuple[str, ...]
    scenarios: tuple[ScenarioChange, ...]
    scenario_count: int
    affected: int
    total: int
    method: str

    @property
    def share(self) -> float:
        return self.affected / self.total if self.total else 0.0


def _every(content: Content) -> dict[str, Rule]:
    ruleset = content.ruleset
    return {rule.id: rule for rule in ruleset.all_rules}


def _shown_when(rule: Rule, describer: Describer) -> str:
    return "shown when no other rule applies" if rule.when is None else f"shown when {describer.sentence(rule.when)}"


def _rule_changes(old: Rule, new: Rule, questionnaire: Questionnaire,
                  describers: tuple[Describer, Describer]) -> tuple[str, ...]:
    """What changed in a rule, each condition in the words of its own version's questions."""
    was, now = describers
    words = []
    if old.level is not new.level:
        words.append(f"level: {old.level.value} → {new.level.value}")
    if old.topic != new.topic:
        words.append(f"topic: {old.topic.value} → {new.topic.value}")
    if old.title != new.title:
        words.append(f"title: “{old.title}” → “{new.title}”")
    if old.guidance != new.guidance:
        words.append(f"guidance text: “{old.guidance}” → “{new.guidance}”")
    if condition_key(old.when) != condition_key(new.when):
        words.append(f"condition: was {_shown_when(old, was)}; now {_shown_when(new, now)}")
        if old.when is not None and new.when is not None:
            gained = solver.satisfy(questionnaire, All((new.when, Not(old.when))))
            lost = solver.satisfy(questionnaire, All((old.when, Not(new.when))))
            if gained is None and lost is None:
                words.append("the condition was rewritten but shows for exactly the same answers")
            if gained is not None:
                words.append(f"it now also shows for answers it did not show for before, e.g. {json.dumps(gained)}")
            if lost is not None:
                words.append(f"it no longer shows for some answers it showed for before, e.g. {json.dumps(lost)}")
    if old.rationale != new.rationale:
        words.append("rationale reworded")
    if old.references != new.references:
        words.append("references changed: " + "; ".join(r.title for r in new.references))
    if (old.owner, old.reviewed_by, old.reviewed_on) != (new.owner, new.reviewed_by, new.reviewed_on):
        words.append(f"review record: {old.reviewed_by}, {old.reviewed_on.isoformat()} → "
                     f"{new.reviewed_by}, {new.reviewed_on.isoformat()}")
    return tuple(words)


def _question_changes(old: Questionnaire, new: Questionnaire) -> tuple[str, ...]:
    words = []
    for qid in old.by_id.keys() - new.by_id.keys():
        words.append(f"question '{qid}' removed")
    for qid in new.by_id.keys() - old.by_id.keys():
        words.append(f"question '{qid}' added: “{new.by_id[qid].text}”")
    for qid in old.by_id.keys() & new.by_id.keys():
        before, after = old.by_id[qid], new.by_id[qid]
        if before.text != after.text:
            words.append(f"question '{qid}' reworded: “{before.text}” → “{after.text}”")
        added, removed = set(after.codes) - set(before.codes), set(before.codes) - set(after.codes)
        if added:
            words.append(f"question '{qid}' has new answers: {', '.join(sorted(added))}")
        if removed:
            words.append(f"question '{qid}' lost answers: {', '.join(sorted(removed))}")
        if (before.minimum, before.maximum) != (after.minimum, after.maximum):
            words.append(f"question '{qid}' scale: {before.minimum}-{before.maximum} → {after.minimum}-{after.maximum}")
        if condition_key(before.show_if) != condition_key(after.show_if):
            words.append(f"question '{qid}' branching (show_if) changed")
    return tuple(sorted(words))


def _difference(old: Content, new: Content, changed: list[str]) -> Condition:
    """True exactly for the answer sets whose guidance differs (both versions read with the new questionnaire)."""
    before, after = _every(old), _every(new)
    terms: list[Condition] = []
    for rule_id in changed:
        was = fires(old, before[rule_id]) if rule_id in before else solver.FALSE
        now = fires(new, after[rule_id]) if rule_id in after else solver.FALSE
        if rule_id in before and rule_id in after and _content_differs(before[rule_id], after[rule_id]):
            terms.append(Any_((was, now)))  # new words or level: differs wherever either version shows
        else:
            terms.append(Any_((All((was, Not(now))), All((now, Not(was))))))
    return Any_(tuple(terms))


def _content_differs(old: Rule, new: Rule) -> bool:
    return (old.level, old.topic, old.title, old.guidance) != (new.level, new.topic, new.title, new.guidance)


def _scenario_changes(old: Content, new: Content, scenarios: tuple[Scenario, ...]) -> list[ScenarioChange]:
    old_engine, new_engine = Engine(old), Engine(new)
    changes = []
    for scenario in scenarios:
        was, now = old_engine.evaluate(scenario.answers, AS_WRITTEN), new_engine.evaluate(scenario.answers, AS_WRITTEN)
        was_text = {g.rule.id: (g.rule.level, g.rule.title, g.text) for g in was.guidance}
        now_text = {g.rule.id: (g.rule.level, g.rule.title, g.text) for g in now.guidance}
        if was_text == now_text:
            continue
        changes.append(ScenarioChange(
            name=scenario.name,
            added=tuple(r for r in now_text if r not in was_text),
            removed=tuple(r for r in was_text if r not in now_text),
            old_highest=was.highest_level.value if was.highest_level else None,
            new_highest=now.highest_level.value if now.highest_level else None,
            changed_text=tuple(r for r in now_text if r in was_text and was_text[r] != now_text[r])))
    return changes


def _scenarios(old_dir: Path, new_dir: Path, old: Content, new: Content) -> tuple[Scenario, ...]:
    for directory, content in ((new_dir, new), (old_dir, old)):
        try:
            found = load_scenarios(directory, content)
        except ContentErrors:
            continue
        if found:
            return found
    return ()


def _affected(old: Content, new: Content, changed: list[str], budget: int) -> tuple[int, int, str]:
    questionnaire = new.questionnaire
    total = solver.total(questionnaire)
    if not changed:
        return 0, total, "exact count over every answer set the questionnaire allows"
    try:
        affected = solver.count(questionnaire, _difference(old, new, changed), budget=budget, seconds=COUNT_SECONDS)
        return affected, total, "exact count over every answer set the questionnaire allows"
    except solver.SearchBudgetExceeded:
        pass
    old_engine, new_engine = Engine(old), Engine(new)
    samples = solver.weighted_samples(questionnaire, SAMPLE_SIZE)
    differ = [weight for answers, weight in samples
              if [(g.rule.id, g.text) for g in old_engine.evaluate(answers, AS_WRITTEN).guidance]
              != [(g.rule.id, g.text) for g in new_engine.evaluate(answers, AS_WRITTEN).guidance]]
    share = sum(differ) / sum(weight for _answers, weight in samples)
    return round(share * total), total, (f"estimated from a fixed random sample of {len(samples):,} answer sets, "
                                         f"weighted to count every answer set equally (seeded, the same every run; "
                                         f"{len(differ):,} of them differed); an exact count was too large")


def diff(old_dir: Path, new_dir: Path, count_budget: int = COUNT_BUDGET) -> Impact:
    """Compare the rule sets in two content directories; ContentErrors if either does not load.

    The share of answer sets affected is counted exactly when that takes at most `count_budget`
    search steps (and COUNT_SECONDS); otherwise it is estimated from a fixed sample, and says so.
    """
    new = load_content(new_dir)
    old = load_content(old_dir, legacy_topics=new.ruleset.topics)  # content before 2.0.0 declared no topics
    was, describer = Describer.english(old.questionnaire), Describer.english(new.questionnaire)
    before, after = _every(old), _every(new)
    rules: list[RuleChange] = []
    for rule_id, rule in after.items():
        if rule_id not in before:
            rules.append(RuleChange(rule_id, "added", rule.title,
                                    (f"level {rule.level.value}, topic {rule.topic.value}", _shown_when(rule, describer))))
        else:
            words = _rule_changes(before[rule_id], rule, new.questionnaire, (was, describer))
            if words:
                rules.append(RuleChange(rule_id, "changed", rule.title, words))
    rules += [RuleChange(rule_id, "removed", rule.title, (f"was {rule.level.value}: {_shown_when(rule, was)}",))
              for rule_id, rule in before.items() if rule_id not in after]
    outcome = [change.rule for change in rules
               if change.status != "changed" or _outcome_changes(before[change.rule], after[change.rule])]
    scenarios = _scenarios(old_dir, new_dir, old, new)
    affected, total, method = _affected(old, new, outcome, count_budget)
    return Impact(old_label=old.ruleset.label, new_label=new.ruleset.label, rules=tuple(rules),
                  questions=_question_changes(old.questionnaire, new.questionnaire),
                  scenarios=tuple(_scenario_changes(old, new, scenarios)), scenario_count=len(scenarios),
                  affected=affected, total=total, method=method)


def _outcome_changes(old: Rule, new: Rule) -> bool:
    """Whether a change can alter what a person sees (not just the rationale or the review record)."""
    return _content_differs(old, new) or condition_key(old.when) != condition_key(new.when)
