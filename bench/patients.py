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

from questionnaire.answers import is_shown  # noqa: E402
from questionnaire.model import NONE_CODE, AnswerValue, Question, Questionnaire, QuestionType  # noqa: E402


def random_value(question: Question, rng: random.Random, hidden: frozenset[str] = frozenset()) -> AnswerValue:
    """One valid answer to a question, from the options a person is shown (`hidden`: options branching hides)."""
    if question.type is QuestionType.SCALE:
        return rng.choice(question.values)
    shown = [c for c in question.codes if c not in hidden]
    if question.type is QuestionType.SINGLE:
        return rng.choice(shown)
    codes = [c for c in shown if c != NONE_CODE]
    if NONE_CODE in shown and (not codes or rng.random() < 0.25):
        return frozenset([NONE_CODE])
    return frozenset(rng.sample(codes, rng.randint(1, min(3, len(codes)))))


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, AnswerValue]:
    """A whole set of answers, as a person would give them: only questions and options that are shown.

    In question order, as the form asks them: show_if (of a question or of one option) reads earlier answers only.
    """
    answers: dict[str, AnswerValue] = {}
    for question in questionnaire.questions:  # already what answers.visible_answers would keep
        if is_shown(question, answers):
            answers[question.id] = random_value(question, rng, question.hidden_codes(answers))
    return answers


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
