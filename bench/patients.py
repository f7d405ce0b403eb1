"""Synthetic patients for the benchmarks: random valid answers drawn from the real questionnaire.

Answers are generated from the loaded content, so the benchmarks follow the questions as they
change; nothing here hard-codes a question id or an answer code.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaire.answers import visible_answers  # noqa: E402
from questionnaire.model import NONE_CODE, AnswerValue, Question, Questionnaire, QuestionType  # noqa: E402


def random_value(question: Question, rng: random.Random) -> AnswerValue:
    """One valid answer to a question."""
    if question.type is QuestionType.SCALE:
        return rng.choice(question.values)
    if question.type is QuestionType.SINGLE:
        return rng.choice(question.codes)
    codes = [c for c in question.codes if c != NONE_CODE]
    if NONE_CODE in question.codes and rng.random() < 0.25:
        return frozenset([NONE_CODE])
    return frozenset(rng.sample(codes, rng.randint(1, min(3, len(codes)))))


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, AnswerValue]:
    """A whole set of answers, as a person would give them: hidden questions dropped."""
    raw = {q.id: random_value(q, rng) for q in questionnaire.questions}
    return visible_answers(questionnaire, raw)


def form_value(value: AnswerValue) -> Any:
    """An answer as a browser posts it: a code, a list of codes, or a number as text."""
    if isinstance(value, frozenset):
        return sorted(value)
    return str(value)


def json_value(value: AnswerValue) -> Any:
    """An answer as the JSON API takes it."""
    return sorted(value) if isinstance(value, frozenset) else value


def json_answers(answers: dict[str, AnswerValue]) -> dict[str, Any]:
    return {qid: json_value(value) for qid, value in answers.items()}
