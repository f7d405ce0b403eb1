"""Intrathecal therapy conversation questionnaire: content model, loader and rule engine.

Nothing in this package imports Flask or WTForms; the web layer lives in `questionnaire.web`.
"""

from .engine import Engine, Evaluation, Guidance, evaluation_to_json
from .errors import AnswerError, ContentError, ContentErrors
from .loader import load_content
from .model import Content, Level, Question, QuestionType, Rule, Topic

__all__ = [
    "AnswerError",
    "Content",
    "ContentError",
    "ContentErrors",
    "Engine",
    "Evaluation",
    "Guidance",
    "Level",
    "Question",
    "QuestionType",
    "Rule",
    "Topic",
    "evaluation_to_json",
    "load_content",
]
