"""Rules from rules/*.yaml: each checked and its condition parsed against the questionnaire; called by the loader."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from . import schemas
from .condition_parser import ConditionContext, parse_condition
from .errors import ContentError
from .model import (
    EMERGENCY_NUMBER_PLACEHOLDER,
    Level,
    Questionnaire,
    Reference,
    Rule,
    Source,
    Topic,
)
from .rule_checks import rule_problems
from .schema_errors import schema_errors
from .topics import FALLBACK_TOPIC, unknown_topic
from .yamlfile import LineDict


def _build_rules(document: Any, label: str, questionnaire: Questionnaire, topics: Mapping[str, Topic],
                 seen: dict[str, Source], errors: list[ContentError]) -> list[Rule]:
    rules = []
    for raw in document["rules"]:
        problems = schema_errors(raw, schemas.RULE, label)
        if problems:
            errors.extend(problems)
            if isinstance(raw.get("id"), str):
                seen.setdefault(raw["id"], Source(label, raw.line))
            continue
        rule = _build_rule(raw, label, questionnaire, topics, seen, errors)
        seen.setdefault(raw["id"], Source(label, raw.line))
        if rule is not None:
            rules.append(rule)
    return rules


def _build_rule(raw: LineDict, label: str, questionnaire: Questionnaire, topics: Mapping[str, Topic],
                seen: Mapping[str, Source], errors: list[ContentError]) -> Rule | None:
    rid = raw["id"]
    before = len(errors)

    def error(message: str, key: str | None = None) -> None:
        errors.append(ContentError(label, raw.key_lines.get(key, raw.line) if key else raw.line, rid, message))

    if rid in seen:
        error(f"duplicate rule id (first at {seen[rid]})", "id")
    level, topic = Level(raw["level"]), topics.get(raw["topic"], Topic(raw["topic"]))
    if raw["topic"] not in topics:
        error(unknown_topic(raw["topic"], topics), "topic")
    if level in (Level.EMERGENCY, Level.URGENT) and not raw["references"]:
        error(f"{level.value} rules need at least one reference (a source for the advice)", "references")
    try:
        reviewed_on = date.fromisoformat(raw["reviewed_on"])
    except ValueError:
        error(f"reviewed_on '{raw['reviewed_on']}' is not a real date (YYYY-MM-DD)", "reviewed_on")
        reviewed_on = date.min
    _check_placeholders(raw, error)
    for key, message in rule_problems(raw):
        error(message, key)
    fallback = bool(raw.get("fallback", False))
    condition = None
    if fallback:
        if "when" in raw:
            error("a fallback rule has no 'when': it shows when no other rule applies", "when")
        if level is not Level.INFO or topic.id != FALLBACK_TOPIC:
            error(f"the fallback rule must have level 'info' and topic '{FALLBACK_TOPIC}'", "level")
        if "order" in raw:
            error("the fallback rule has no 'order': it only shows when no other rule applies", "order")
    elif "when" not in raw:
        error("missing 'when' (the condition for showing this rule); only the fallback rule has none")
    else:
        ctx = ConditionContext(label, rid, questionnaire.by_id, errors)
        condition = parse_condition(raw["when"], ctx, raw.key_lines.get("when"))
    if len(errors) > before:
        return None
    references = tuple(Reference(title=r["title"], url=r.get("url")) for r in raw["references"])
    return Rule(id=rid, level=level, topic=topic, title=raw["title"], guidance=raw["guidance"],
                when=condition, rationale=raw["rationale"], references=references, owner=raw["owner"],
                reviewed_by=raw["reviewed_by"], reviewed_on=reviewed_on, source=Source(label, raw.line),
                fallback=fallback, caregiver_title=raw.get("caregiver_title"),
                caregiver_guidance=raw.get("caregiver_guidance"), order=raw.get("order"),
                questions_to_ask=tuple(raw.get("questions_to_ask", ())),
                caregiver_questions_to_ask=tuple(raw.get("caregiver_questions_to_ask", ())))


def _check_placeholders(raw: LineDict, error: Any) -> None:
    for key in ("title", "guidance", "caregiver_title", "caregiver_guidance"):
        if key not in raw:
            continue
        text = raw[key].replace(EMERGENCY_NUMBER_PLACEHOLDER, "")
        if "{" in text or "}" in text:
            error(f"{key} has a placeholder other than {EMERGENCY_NUMBER_PLACEHOLDER}; "
                  f"it is the only one filled in", key)
    caregiver = raw.get("caregiver_guidance")
    if caregiver is not None and (EMERGENCY_NUMBER_PLACEHOLDER in raw["guidance"]) != (
            EMERGENCY_NUMBER_PLACEHOLDER in caregiver):
        error(f"caregiver_guidance must keep {EMERGENCY_NUMBER_PLACEHOLDER} when guidance has it", "caregiver_guidance")
