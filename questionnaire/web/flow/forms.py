"""WTForms classes generated from the questionnaire model, one per page and set of shown questions."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...answers import parse_value
from ...model import NONE_CODE, AnswerValue, Question, QuestionType


class _OfferedChoiceMixin:
    """Replace WTForms' generic "Not a valid choice" with a message a person can act on."""

    question: Question

    def pre_validate(self, form: Any) -> None:
        offered = {str(choice.value) for choice in self.iter_choices()}  # type: ignore[attr-defined]
        data = self.data  # type: ignore[attr-defined]
        chosen = data if isinstance(data, list) else ([] if data is None else [data])
        if any(str(value) not in offered for value in chosen):
            raise ValidationError(_("Choose from the answers shown on this page."))


class QuestionRadioField(_OfferedChoiceMixin, RadioField):
    """One answer: a single-choice question, or a point on a scale (kept as text until saved)."""


class QuestionCheckboxField(_OfferedChoiceMixin, SelectMultipleField):
    """Several answers, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NoneStandsAlone:
    """In a multiple question, "None of these" excludes every other answer."""

    def __init__(self, message: Any):
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data and NONE_CODE in field.data and len(field.data) > 1:
            raise ValidationError(self.message)


def _required_message(question: Question) -> Any:
    if question.type is QuestionType.MULTIPLE:
        if NONE_CODE in question.codes:
            return _l("Choose at least one answer, or choose “None of these”.")
        return _l("Choose at least one answer.")
    if question.type is QuestionType.SCALE:
        return _l("Choose a number from %(low)s to %(high)s.", low=question.minimum, high=question.maximum)
    return _l("Choose an answer.")


def _field_for(question: Question) -> Field:
    required = InputRequired(message=_required_message(question))
    if question.type is QuestionType.MULTIPLE:
        validators: list[Any] = [required]
        if NONE_CODE in question.codes:
            validators.append(NoneStandsAlone(_l("“None of these” cannot be chosen with other answers.")))
        field: Any = QuestionCheckboxField(question.text, choices=[SelectChoice(o.code, o.label) for o in question.options],
                                           validators=validators)
    elif question.type is QuestionType.SCALE:
        field = QuestionRadioField(question.text, validators=[required],
                                   choices=[SelectChoice(str(v), question.scale_point_label(v)) for v in question.values])
    else:
        field = QuestionRadioField(question.text, validators=[required],
                                   choices=[SelectChoice(o.code, o.label) for o in question.options])
    return field


class PageForm(FlaskForm):
    """Base for generated page forms; `questions` lists what the form asks, in order."""

    questions: tuple[Question, ...] = ()

    def answers(self) -> dict[str, AnswerValue]:
        """The validated answers, checked again by the same code the API uses."""
        result: dict[str, AnswerValue] = {}
        for question in self.questions:
            data = self[question.id].data
            value: Any = int(data) if question.type is QuestionType.SCALE else data
            result[question.id] = parse_value(question, value)
        return result


@lru_cache(maxsize=256)
def form_class(questions: tuple[Question, ...]) -> type[PageForm]:
    """A PageForm subclass asking exactly these questions (cached: classes are built once)."""
    attributes: dict[str, Any] = {"questions": questions}
    attributes.update({question.id: _field_for(question) for question in questions})
    return type("PageForm_" + "_".join(q.id for q in questions), (PageForm,), attributes)


def initial_data(questions: Iterable[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Saved answers in the shape the form fields expect, to pre-fill a page."""
    data: dict[str, Any] = {}
    for question in questions:
        if question.id in answers:
            value = answers[question.id]
            data[question.id] = sorted(value) if isinstance(value, frozenset) else str(value)
    return data
