"""Whose point of view the words take: the person's own, or a caregiver's answering for someone else.

The content names the answer that switches perspective (`perspective: {question, code}` in
questions.yaml) and carries the caregiver wording (`caregiver_text`, `caregiver_label`,
`caregiver_guidance`, ...). Where no caregiver wording is given, the usual wording is kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .model import Content, Option, OptionGroup, Question, Rule

SELF = "self"
CAREGIVER = "caregiver"


def answers_as_caregiver(content: Content, answers: Mapping[str, Any]) -> bool:
    """Whether these answers (model values or raw JSON) say a caregiver is answering."""
    perspective = content.questionnaire.perspective
    return perspective is not None and answers.get(perspective.question) == perspective.code


def _question(q: Question) -> Question:
    return dataclasses.replace(
        q,
        text=q.caregiver_text or q.text,
        help=q.caregiver_help or q.help,
        options=tuple(Option(o.code, o.caregiver_label or o.label, o.caregiver_label, o.group) for o in q.options),
        groups=tuple(OptionGroup(g.id, g.caregiver_label or g.label, g.caregiver_label) for g in q.groups),
    )


def _rule(r: Rule) -> Rule:
    return dataclasses.replace(r, title=r.caregiver_title or r.title, guidance=r.caregiver_guidance or r.guidance,
                               questions_to_ask=r.caregiver_questions_to_ask or r.questions_to_ask)


def for_caregiver(content: Content) -> Content:
    """The same content worded for a caregiver: ids, codes, conditions and hash unchanged."""
    pages = tuple(dataclasses.replace(p, title=p.caregiver_title or p.title,
                                      questions=tuple(_question(q) for q in p.questions))
                  for p in content.questionnaire.pages)
    questionnaire = dataclasses.replace(content.questionnaire, pages=pages,
                                        by_id={q.id: q for p in pages for q in p.questions})
    ruleset = content.ruleset
    worded = dataclasses.replace(ruleset, rules=tuple(_rule(r) for r in ruleset.rules),
                                 fallback=_rule(ruleset.fallback) if ruleset.fallback else None)
    return dataclasses.replace(content, questionnaire=questionnaire, ruleset=worded)
