"""Patient text is declared once, on the model: translation, caregiver wording and FHIR all follow it."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field

import pytest

from questionnaire import load_content
from questionnaire import model as model_package
from questionnaire.i18n import content_strings, localize
from questionnaire.model import content as content_module
from questionnaire.model import questions as questions_module
from questionnaire.model import rules as rules_module
from questionnaire.model.text import declared, patient_text, text_key
from questionnaire.perspective import for_caregiver

# Strings on the model that are not words a patient reads in the product's languages, and why.
NOT_PATIENT_TEXT = {
    "Source": {"file"},
    "Option": {"code", "group"},
    "OptionGroup": {"id"},
    "Question": {"id", "page_id"},
    "Page": {"id"},
    "Perspective": {"question", "code"},
    "Questionnaire": {"by_id"},  # an index of the questions
    "Reference": {"title", "url"},  # a source's own title, cited as published
    "Rule": {"id", "rationale", "owner", "reviewed_by"},  # the review record: for staff
    "RuleSet": {"version", "sha256"},
    "Topic": {"id"},
    "Translation": {"text", "source"},  # a translation itself
    "Locale": {"language", "name", "strings"},  # the translations themselves
    "Logo": {"filename", "mimetype"},
    # A clinic's own words: its name, contacts and welcome are written by the clinic, in its language (or one
    # welcome per language, `welcomes`), and shown as written. The product never translates or re-words them,
    # so they carry no translation key: a key here would invite a translation that outranks the clinic.
    "Clinic": {"slug", "name", "country", "emergency_number", "phone", "address", "website", "hours", "language",
               "welcome", "embed_origins", "welcomes"},
    "SummaryRow": {"id", "questions"},  # its label is declared (clinician.<id>.label)
    # Indexes, and info pages, whose text pages.py declares as page_strings.
    "Content": {"language", "locales", "clinics", "emergency_numbers", "info_pages"},
}


def undeclared_text_fields(cls: type) -> list[str]:
    """String fields that are neither declared patient text nor listed as something else."""
    text = {name for name, _spec in declared(cls)}
    known = NOT_PATIENT_TEXT.get(cls.__name__, set())
    return [f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls)
            if "str" in str(f.type) and f.name not in text | known]


MODEL_CLASSES = [cls for module in (questions_module, rules_module, content_module)
                 for _name, cls in inspect.getmembers(module, dataclasses.is_dataclass)
                 if isinstance(cls, type) and cls.__module__ == module.__name__]


def test_every_model_class_is_walked() -> None:
    assert {cls.__name__ for cls in MODEL_CLASSES} >= {"Question", "Option", "Page", "Rule", "RuleSet", "Topic",
                                                       "Clinic", "Content"}
    assert all(getattr(model_package, cls.__name__) is cls for cls in MODEL_CLASSES)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_string_field_is_declared_patient_text_or_said_not_to_be(cls: type) -> None:
    assert undeclared_text_fields(cls) == [], (
        "declare it with field(metadata=patient_text(key, caregiver=...)) in questionnaire/model, "
        "or add it to NOT_PATIENT_TEXT with the reason")


def test_a_text_field_added_without_declaring_it_is_caught() -> None:
    @dataclass(frozen=True)
    class Question:  # same name as the model's, with one new field nobody declared
        id: str
        text: str = field(metadata=patient_text("text"))
        reminder: str = ""

    assert undeclared_text_fields(Question) == ["Question.reminder"]


def test_declared_fields_drive_translation_keys_spanish_and_caregiver_words() -> None:
    content = load_content()
    question = next(q for q in content.questionnaire.questions if q.caregiver_text and q.help)
    strings = content_strings(content)
    for name, _spec in declared(type(question)):
        if name not in ("scale_labels", "scale_answer") and getattr(question, name):
            assert strings[text_key(question, name)] == getattr(question, name)
    spanish = localize(content, "es").questionnaire.by_id[question.id]
    assert spanish.text == content.locales["es"].strings[text_key(question, "text")].text
    assert for_caregiver(content).questionnaire.by_id[question.id].text == question.caregiver_text
    rule = next(r for r in content.ruleset.all_rules if r.caregiver_guidance)
    assert for_caregiver(content).ruleset.topic(rule.topic.id) == rule.topic
    worded = next(r for r in for_caregiver(content).ruleset.all_rules if r.id == rule.id)
    assert worded.guidance == rule.caregiver_guidance
