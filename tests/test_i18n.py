"""Per-locale content text: keys, source hashes, stale and missing translations, localized evaluation."""

from __future__ import annotations

import pytest

from questionnaire import ContentErrors, Engine, load_content
from questionnaire.i18n import content_strings, localize, missing, source_hash, stale


def write_locale(target, strings: dict[str, tuple[str, str]]) -> None:
    (target / "locales").mkdir(exist_ok=True)
    lines = ["language: es", "name: Español", "strings:"]
    lines += [f"  {key}: {{text: \"{text}\", source: \"{source}\"}}" for key, (text, source) in strings.items()]
    (target / "locales" / "es.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_localized_content_translates_words_but_keeps_ids_codes_and_hash(content_dir):
    target = content_dir()
    write_locale(target, {
        "question.has_pump.option.yes": ("Sí", source_hash("Yes")),
        "rule.itch-and-fever.guidance": ("Llame al {emergency_number} ahora.", source_hash("Call {emergency_number} now.")),
    })
    content = load_content(target)
    spanish = localize(content, "es")
    assert spanish.questionnaire.by_id["has_pump"].label_for("yes") == "Sí"
    assert spanish.questionnaire.by_id["has_pump"].codes == ("yes", "no")
    assert spanish.ruleset.sha256 == content.ruleset.sha256
    result = Engine(spanish).evaluate({"has_pump": "yes", "pump_symptoms": frozenset({"fever"})}, "112")
    assert result.guidance[0].text == "Llame al 112 ahora."
    assert result.guidance[0].because[0].answer_text == "Sí"
    assert "question.has_pump.text" in missing(content, "es")
    assert stale(content, "es") == []


def test_a_translation_made_from_old_english_is_reported_stale(content_dir):
    target = content_dir()
    write_locale(target, {"question.has_pump.option.yes": ("Sí", source_hash("Yep"))})
    assert stale(load_content(target), "es") == ["question.has_pump.option.yes"]


def test_unknown_keys_and_dropped_emergency_numbers_stop_the_load(content_dir):
    target = content_dir()
    write_locale(target, {
        "question.has_pmp.text": ("¿Bomba?", "0" * 12),
        "rule.itch-and-fever.guidance": ("Llame ahora.", source_hash("Call {emergency_number} now.")),
    })
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    messages = [str(e) for e in caught.value.errors]
    assert any("es.yaml:4: [question.has_pmp.text]" in m and "Did you mean 'question.has_pump.text'" in m
               for m in messages), messages
    assert any("[rule.itch-and-fever.guidance] must keep {emergency_number}" in m for m in messages), messages


def test_every_string_key_is_listed_once(content):
    keys = content_strings(content)
    assert "question.has_pump.option.not_sure" in keys and "ruleset.disclaimer" in keys
    assert "question.stiffness_severity.label.10" in keys
