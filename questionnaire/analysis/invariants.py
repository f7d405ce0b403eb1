"""Safety invariants: statements that must hold for every possible set of answers, proven exactly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..condition_parser import ConditionContext, parse_condition
from ..conditions import All, Any_, Condition, Not
from ..engine import in_display_order
from ..errors import ContentError, ContentErrors, did_you_mean, valid_list
from ..model import Content, Level, Rule
from ..yamlfile import path_label, read_yaml
from . import solver

INVARIANTS_FILE = "invariants.yaml"
THEN_KEYS = ("highest_level", "includes_topic", "excludes_topic", "includes", "excludes", "first_in_level",
             "before_topic")


@dataclass(frozen=True)
class Invariant:
    """`when` the answers say this, `then` the guidance must be like that; e.g. then highest_level: emergency."""

    id: str
    description: str
    when: Condition
    then: str
    target: str | tuple[str, ...]
    file: str
    line: int

    @property
    def then_text(self) -> str:
        """The promise in words, for reports and review pages."""
        target = ", ".join(self.target) if isinstance(self.target, tuple) else self.target
        return {
            "highest_level": f"the highest level shown is {target} or more pressing",
            "includes_topic": f"at least one item on the topic {target} is shown",
            "excludes_topic": f"no item on the topic {target} is shown",
            "includes": f"these rules are shown: {target}",
            "excludes": f"none of these rules is shown: {target}",
            "first_in_level": f"rule {target} is shown, first of the items at its level",
            "before_topic": f"rule {self.target[0]} is shown before any item on the topic {self.target[-1]}",
        }[self.then]


@dataclass(frozen=True)
class Proof:
    """The outcome of proving one invariant: holds for every answer set, or a counterexample."""

    invariant: Invariant
    holds: bool
    counterexample: dict[str, Any] | None = None


def load_invariants(content_dir: Path, content: Content) -> tuple[Invariant, ...]:
    """Read `content_dir/invariants.yaml` (none when missing); ContentErrors name file, line and id."""
    path = Path(content_dir) / INVARIANTS_FILE
    if not path.is_file():
        return ()
    label = path_label(path)
    document = read_yaml(path, label)
    if isinstance(document, Mapping) and set(document) == {"invariants"}:
        document = document["invariants"]
    if not isinstance(document, list):
        raise ContentErrors([ContentError(label, 1, None, "the file is a list of invariants under 'invariants:'")])
    errors: list[ContentError] = []
    invariants: list[Invariant] = []
    seen: set[str] = set()
    for raw in document:
        invariant = _build(raw, label, content, errors)
        if invariant is None:
            continue
        if invariant.id in seen:
            errors.append(ContentError(label, invariant.line, invariant.id, "duplicate invariant id"))
        seen.add(invariant.id)
        invariants.append(invariant)
    if errors:
        raise ContentErrors(errors)
    return tuple(invariants)


def _build(raw: Any, label: str, content: Content, errors: list[ContentError]) -> Invariant | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        errors.append(ContentError(label, line, None, "each invariant needs an 'id', a 'description', 'when' and 'then'"))
        return None
    ident = raw["id"]
    before = len(errors)
    key_lines: dict[str, int] = getattr(raw, "key_lines", {})

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(label, key_lines.get(key, line) if key else line, ident, message))

    keys = ("id", "description", "when", "then")
    for key in raw:
        if key not in keys:
            error(f"unknown key '{key}'. Valid keys: {valid_list(keys)}.{did_you_mean(key, keys)}", key)
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        error("'description' must say in one plain sentence what is promised", "description")
    ctx = ConditionContext(label, ident, content.questionnaire.by_id, errors)
    when = parse_condition(raw.get("when"), ctx, key_lines.get("when", line))
    then = raw.get("then")
    if not isinstance(then, Mapping) or len(then) != 1:
        error(f"'then' must have exactly one of: {valid_list(THEN_KEYS)}", "then")
        return None
    kind, target = next(iter(then.items()))
    checked = _check_then(kind, target, content, lambda message: error(message, "then"))
    if len(errors) > before or when is None or checked is None or not isinstance(description, str):
        return None
    return Invariant(id=ident, description=description, when=when, then=kind, target=checked, file=label,
                     line=line or 1)


def _check_then(kind: str, target: Any, content: Content, error: Any) -> str | tuple[str, ...] | None:
    if kind not in THEN_KEYS:
        error(f"unknown promise '{kind}'. Valid: {valid_list(THEN_KEYS)}.{did_you_mean(kind, THEN_KEYS)}")
        return None
    if kind == "before_topic":  # {rule: id, topic: topic}: the rule is shown, and ahead of every item on the topic
        if not isinstance(target, Mapping) or set(target) != {"rule", "topic"}:
            error("'before_topic' takes {rule: <rule id>, topic: <topic>}")
            return None
        def named(message: str) -> None:
            error(message.replace("'first_in_level'", "'before_topic/rule'")
                  .replace("'includes_topic'", "'before_topic/topic'"))

        rule = _check_then("first_in_level", target["rule"], content, named)
        topic = _check_then("includes_topic", target["topic"], content, named)
        return None if rule is None or topic is None else (str(rule), str(topic))
    if kind == "highest_level":
        valid = [level.value for level in Level]
    elif kind in ("includes_topic", "excludes_topic"):
        valid = [topic.id for topic in content.ruleset.topics]
    elif kind == "first_in_level":
        valid = [rule.id for rule in _every_rule(content)]
    else:
        valid = [rule.id for rule in _every_rule(content)]
        if not isinstance(target, list) or not target or not all(isinstance(t, str) for t in target):
            error(f"'{kind}' takes a list of rule ids")
            return None
        unknown = [t for t in target if t not in valid]
        for rule_id in unknown:
            error(f"unknown rule id '{rule_id}'.{did_you_mean(rule_id, valid)}")
        return None if unknown else tuple(target)
    if target not in valid:
        error(f"{target!r} is not valid for '{kind}'. Valid values: {valid_list(valid)}.{did_you_mean(target, valid)}")
        return None
    return str(target)


def _every_rule(content: Content) -> list[Rule]:
    return list(content.ruleset.all_rules)


def fires(content: Content, rule: Rule) -> Condition:
    """When a rule shows, as a condition: its `when`, or for the fallback "no other rule applies"."""
    if rule.when is not None:
        return rule.when
    return Not(Any_(tuple(other.when for other in content.ruleset.rules if other.when is not None)))


def promise(content: Content, invariant: Invariant) -> Condition:
    """The invariant's `then` as a condition on answers."""
    rules = _every_rule(content)

    def any_of(chosen: Iterable[Rule]) -> Condition:
        return Any_(tuple(fires(content, rule) for rule in chosen))

    target = invariant.target
    if invariant.then == "highest_level":
        rank = Level(target).rank
        return any_of(rule for rule in rules if rule.level.rank <= rank)
    if invariant.then in ("includes_topic", "excludes_topic"):
        shown = any_of(rule for rule in rules if rule.topic.value == target)
        return shown if invariant.then == "includes_topic" else Not(shown)
    if invariant.then in ("first_in_level", "before_topic"):
        # Shown, and no rule the engine lists ahead of it (same level, or the topic) is shown too.
        ordered = in_display_order(rules)
        rule_id = target[0] if invariant.then == "before_topic" else target
        chosen = next(rule for rule in ordered if rule.id == rule_id)
        ahead = ordered[:ordered.index(chosen)]
        if invariant.then == "first_in_level":
            rivals = [rule for rule in ahead if rule.level is chosen.level]
        else:
            rivals = [rule for rule in ahead if rule.topic.value == target[-1]]
        return All((fires(content, chosen), Not(any_of(rivals))))
    named = [rule for rule in rules if rule.id in target]
    if invariant.then == "includes":
        return All(tuple(fires(content, rule) for rule in named))
    return All(tuple(Not(fires(content, rule)) for rule in named))


def prove_invariants(content: Content, invariants: Iterable[Invariant]) -> list[Proof]:
    """Prove each invariant over every answer set, or find answers that break it."""
    proofs = []
    for invariant in invariants:
        broken = All((invariant.when, Not(promise(content, invariant))))
        example = solver.satisfy(content.questionnaire, broken)
        proofs.append(Proof(invariant=invariant, holds=example is None, counterexample=example))
    return proofs
