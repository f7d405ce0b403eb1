"""Whose point of view the words take: the person's own, or a caregiver's answering for someone else.

The content names the answer that switches perspective (`perspective: {question, code}` in
questions.yaml) and carries the caregiver wording (`caregiver_text`, `caregiver_label`,
`caregiver_guidance`, ...), each declared on the model next to the text it replaces (model.text).
Where no caregiver wording is given, the usual wording is kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .model import Content
from .model.text import for_caregiver as caregiver_words

SELF = "self"
CAREGIVER = "caregiver"


def answers_as_caregiver(content: Content, answers: Mapping[str, Any]) -> bool:
    """Whether these answers (model values or raw JSON) say a caregiver is answering."""
    perspective = content.questionnaire.perspective
    return perspective is not None and answers.get(perspective.question) == perspective.code


def for_caregiver(content: Content) -> Content:
    """The same content worded for a caregiver: ids, codes, conditions and hash unchanged."""
    pages = tuple(dataclasses.replace(caregiver_words(p), questions=tuple(caregiver_words(q) for q in p.questions))
                  for p in content.questionnaire.pages)
    questionnaire = dataclasses.replace(content.questionnaire, pages=pages,
                                        by_id={q.id: q for p in pages for q in p.questions})
    ruleset = content.ruleset
    worded = dataclasses.replace(ruleset, rules=tuple(caregiver_words(r) for r in ruleset.rules),
                                 fallback=caregiver_words(ruleset.fallback) if ruleset.fallback else None)
    return dataclasses.replace(content, questionnaire=questionnaire, ruleset=worded)
