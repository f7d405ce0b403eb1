"""Plain language: every patient-facing string reads at grade 8 or below, in English and in Spanish.

English: Flesch-Kincaid grade (textstat), at most 8, the NIH's upper limit for patient text.

Spanish: Fernández-Huerta reading ease, at least 60. On its scale 60-70 is "normal", the level of
7th and 8th grade readers (Fernández Huerta 1959, the Spanish adaptation of Flesch reading ease);
50-60 is "somewhat difficult", high-school level. So 60 is the Spanish line for "grade 8 or below".

Minimum length. Both formulas are sentence length plus syllables per word. In a label of a few
words the sentence-length term is tiny and the score is just the syllables of those words, so
"Multiple sclerosis (MS)" scores grade 12.7 and "Dystonia" 20.2, although nobody reads them as hard
text and they cannot be said more simply. English strings of 5 words or more are measured (below
that the sentence term adds under 2 grades). Spanish needs about a third more words and syllables
to say the same thing, so Spanish strings of 8 words or more are measured. Every sentence of help,
guidance and page text is longer than that, so all running text is measured.

textstat is pinned at 0.7.3: it counts syllables with pyphen's bundled dictionaries and works
offline (0.7.4 and later fetch NLTK data on first use).
"""

from __future__ import annotations

import re

import pytest
import textstat

from questionnaire.i18n import content_strings
from tests.messages import catalog, extracted

MAX_GRADE = 8
MIN_SPANISH_EASE = 60
MIN_WORDS = {"en": 5, "es": 8}
SAMPLE_VALUES = {"number": "911", "emergency_number": "911", "value": "8", "maximum": "10", "low": "0",
                 "high": "10", "step": "3", "total": "9", "date": "24 November 2026", "version": "1.0.0"}


def filled(text: str) -> str:
    """Placeholders replaced by what a person would see, markup removed."""
    text = re.sub(r"%\((\w+)\)[sd]", lambda m: SAMPLE_VALUES.get(m.group(1), "the clinic"), text)
    text = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), "the clinic"), text)
    return re.sub(r"<[^>]+>", "", text)


def word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text))


def english_grade(text: str) -> float:
    textstat.set_lang("en_US")
    return float(textstat.flesch_kincaid_grade(text))


def spanish_ease(text: str) -> float:
    textstat.set_lang("es")
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en_US")


def measured(strings: dict[str, str], language: str) -> dict[str, str]:
    texts = {where: filled(text) for where, text in strings.items()}
    return {where: text for where, text in texts.items() if word_count(text) >= MIN_WORDS[language]}


def english_offenders(strings: dict[str, str]) -> list[str]:
    found = [(english_grade(text), where, text) for where, text in measured(strings, "en").items()]
    return [f"grade {grade:.1f}  {where}: {text!r}" for grade, where, text in sorted(found, reverse=True)
            if grade > MAX_GRADE]


def spanish_offenders(strings: dict[str, str]) -> list[str]:
    found = [(spanish_ease(text), where, text) for where, text in measured(strings, "es").items()]
    return [f"Fernández-Huerta {ease:.1f}  {where}: {text!r}" for ease, where, text in sorted(found)
            if ease < MIN_SPANISH_EASE]


def ui_messages(language: str | None) -> dict[str, str]:
    """Patient-facing UI text by msgid; in Spanish, its translation."""
    messages = catalog(language) if language else None
    texts = {}
    for message in extracted():
        if not message.patient_facing:
            continue
        where = f"ui {message.files[0]} [{message.id[:40]}]"
        if messages is None:
            texts[where] = message.id
            if message.plural:
                texts[where + " plural"] = message.plural
            continue
        entry = messages.get(message.id)
        translated = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for index, text in enumerate(translated):
            texts[where + (f" form {index}" if index else "")] = text
    return texts


def test_the_formulas_tell_plain_from_hard_text():
    """The scorer itself: an NHS-style sentence passes, a clinical one fails (so the tests can fail)."""
    assert english_grade("If you have a pump, call your pump team today.") <= MAX_GRADE
    assert english_grade("Intrathecal baclofen administration necessitates comprehensive multidisciplinary "
                         "evaluation of spasticity-associated functional limitations.") > MAX_GRADE
    assert spanish_ease("Si tiene una bomba, llame hoy a su equipo de la bomba.") >= MIN_SPANISH_EASE
    assert spanish_ease("La administración intratecal de baclofeno requiere una evaluación multidisciplinaria "
                        "exhaustiva de las limitaciones funcionales asociadas a la espasticidad.") < MIN_SPANISH_EASE


def test_questions_guidance_and_disclaimer_are_at_grade_8_or_below(content):
    offenders = english_offenders(content_strings(content))
    assert not offenders, f"{len(offenders)} content string(s) above grade {MAX_GRADE}:\n" + "\n".join(offenders)


def test_page_text_is_at_grade_8_or_below():
    offenders = english_offenders(ui_messages(None))
    assert not offenders, f"{len(offenders)} UI string(s) above grade {MAX_GRADE}:\n" + "\n".join(offenders)


@pytest.mark.parametrize("language", ["es"])
def test_spanish_content_is_easy_to_read(content, language):
    strings = {key: translation.text for key, translation in content.locales[language].strings.items()}
    offenders = spanish_offenders(strings)
    assert not offenders, (f"{len(offenders)} Spanish content string(s) below Fernández-Huerta {MIN_SPANISH_EASE}:\n"
                           + "\n".join(offenders))


@pytest.mark.parametrize("language", ["es"])
def test_spanish_page_text_is_easy_to_read(language):
    offenders = spanish_offenders(ui_messages(language))
    assert not offenders, (f"{len(offenders)} Spanish UI string(s) below Fernández-Huerta {MIN_SPANISH_EASE}:\n"
                           + "\n".join(offenders))
