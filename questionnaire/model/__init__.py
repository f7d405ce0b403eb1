"""Frozen model objects built once by the loader: questions, pages, rules, the rule set.

Split by area: `questions` (questions, pages, answer values), `rules` (levels, topics, rules, the
rule set), `content` (locales, clinics, the whole Content). Import from `questionnaire.model`.
"""

from .content import Clinic, Content, Locale, Logo, SummaryRow, Translation
from .questions import (
    EMERGENCY_NUMBER_PLACEHOLDER,
    NONE_CODE,
    SCALE_ANSWER,
    Answers,
    AnswerValue,
    Option,
    OptionGroup,
    Page,
    Perspective,
    Question,
    Questionnaire,
    QuestionType,
    Source,
)
from .rules import Level, Reference, Rule, RuleSet, Topic

__all__ = [
    "EMERGENCY_NUMBER_PLACEHOLDER", "NONE_CODE", "SCALE_ANSWER", "AnswerValue", "Answers", "Clinic", "Content",
    "Level", "Locale", "Logo", "Option", "OptionGroup", "Page", "Perspective", "Question", "QuestionType",
    "Questionnaire", "Reference", "Rule", "RuleSet", "Source", "SummaryRow", "Topic", "Translation",
]
