"""Every patient-facing string exists in Spanish, no translation is stale, and people get Spanish when they ask."""

from __future__ import annotations

import re

import pytest

from questionnaire.i18n import content_strings, localize, missing, source_hash, stale
from tests.messages import catalog, compiled, extracted
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete

LANGUAGES = ["es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_content_string_has_a_translation(content, language):
    english = content_strings(content)
    lacking = [f"{key}: {english[key]!r}" for key in missing(content, language)]
    assert not lacking, (f"{len(lacking)} content string(s) have no {language} translation; "
                         f"run `tools/i18n.py skeleton {language}`:\n" + "\n".join(lacking))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_content_translation_is_stale(content, language):
    english, translated = content_strings(content), content.locales[language].strings
    old = [f"{key}: English is now {english[key]!r} (hash {source_hash(english[key])}), "
           f"translation was made from hash {translated[key].source}" for key in stale(content, language)]
    assert not old, f"{len(old)} {language} translation(s) were made from English that has since changed:\n" + "\n".join(old)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ui_message_has_a_translation(language):
    messages = catalog(language)
    problems = []
    for message in extracted():
        entry = messages.get(message.id)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (
            (entry.string,) if entry is not None else ())
        if entry is None:
            problems.append(f"not in messages.po (run scripts/translations): {message.id!r} ({message.files[0]})")
        elif not all(strings):
            problems.append(f"no translation: {message.id!r} ({message.files[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy (check and remove the flag): {message.id!r}")
    assert not problems, f"{len(problems)} UI message(s) lack a {language} translation:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ui_translations_keep_their_placeholders(language):
    messages = catalog(language)
    problems = [f"{message.id!r}: {error}" for message, errors in messages.check() for error in errors]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_matches_the_po(language):
    def entries(messages):
        def hashable(value):
            return tuple(value) if isinstance(value, list | tuple) else value
        return {hashable(m.id): hashable(m.string) for m in messages if m.id and not m.fuzzy}

    source, built = entries(catalog(language)), entries(compiled(language))
    assert built == source, "messages.mo is out of date: run scripts/translations"


def test_the_browser_language_picks_spanish_and_html_lang_says_so(client):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Prepárese para hablar sobre la terapia con bomba" in page
    english = client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Get ready to talk about pump therapy" in english


def test_the_switcher_keeps_spanish_through_the_whole_flow(client):
    assert 'href="/?lang=es"' in client.get("/").get_data(as_text=True)
    client.get("/?lang=es")
    complete(client, NO_PUMP_MS)
    check = client.get("/check").get_data(as_text=True)
    assert '<html lang="es">' in check and "Revise sus respuestas" in check
    results = client.get("/results").get_data(as_text=True)
    assert "Sus resultados" in results and "Esto no es un diagnóstico" in results
    assert 'href="/results?lang=en"' in results
    assert "Your results" in client.get("/results?lang=en").get_data(as_text=True)


def test_spanish_results_put_emergency_advice_first_with_the_number(client):
    client.get("/?lang=es")
    complete(client, PUMP_EMERGENCY)
    results = client.get("/results").get_data(as_text=True)
    banner = results.index("emergency-banner")
    assert banner < results.index("<h1>")
    assert "Llame al 911 ahora" in re.sub(r"<[^>]+>", "", results[banner:results.index("<h1>")])
    assert "de 10" in results  # scale answers read back in Spanish ("7 de 10")
    assert " out of " not in results


def test_the_api_answers_in_spanish_from_accept_language_or_a_language_field(client):
    answers = {"has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"]}
    by_header = client.post("/api/v1/evaluate", json={"answers": answers}, headers={"Accept-Language": "es"})
    by_field = client.post("/api/v1/evaluate", json={"answers": answers, "language": "es"})
    for response in (by_header, by_field):
        body = response.get_json()
        assert response.status_code == 200 and body["language"] == "es"
        assert response.headers["Content-Language"] == "es"
        assert body["guidance"][0]["level"] == "emergency"
        assert body["guidance"][0]["text"].startswith("Llame al 911")
        assert body["disclaimer"].startswith("Esto no es un diagnóstico")
    english = client.post("/api/v1/evaluate", json={"answers": answers}).get_json()
    assert english["language"] == "en" and english["guidance"][0]["text"].startswith("Call 911")
    questionnaire = client.get("/api/v1/questionnaire", headers={"Accept-Language": "es"}).get_json()
    assert questionnaire["pages"][0]["questions"][1]["text"].startswith("¿Usted (o la persona que usted cuida) tiene")


def test_an_unknown_api_language_is_a_clear_400_in_the_usual_shape(client):
    response = client.post("/api/v1/evaluate", json={"answers": {}, "language": "xx"})
    assert response.status_code == 400
    assert response.get_json() == {"errors": [{"question": None,
                                               "message": "Unknown language 'xx'. Valid languages: en, es"}]}
    assert "language" in client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/evaluate"]["post"][
        "requestBody"]["content"]["application/json"]["schema"]["properties"]


def test_lint_reports_stale_translations_as_errors_and_gaps_as_warnings(content_dir):
    from questionnaire import load_content
    from questionnaire.analysis.findings import MISSING_TRANSLATION, STALE_TRANSLATION
    from questionnaire.analysis.lint import lint

    target = content_dir()
    (target / "locales").mkdir()
    (target / "locales" / "es.yaml").write_text(
        "language: es\nname: Español\nstrings:\n"
        "  rule.itch-and-fever.guidance: "
        f"{{text: \"Llame al {{emergency_number}}.\", source: \"{source_hash('Call now.')}\"}}\n",
        encoding="utf-8")
    findings = lint(load_content(target))
    stale_found = [f for f in findings if f.kind == STALE_TRANSLATION]
    assert [(f.rule, f.severity) for f in stale_found] == [("itch-and-fever", "error")]
    assert "rule.itch-and-fever.guidance" in stale_found[0].message
    assert any(f.kind == MISSING_TRANSLATION and "question.has_pump.text" in f.message for f in findings)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("caregiver", [False, True], ids=["self", "caregiver"])
def test_every_scenario_passes_in_spanish_and_shows_only_spanish_guidance(content, language, caregiver):
    """The example people of content/scenarios get the same rules in Spanish, worded in Spanish."""
    from questionnaire import Engine
    from questionnaire.analysis.scenarios import load_scenarios, run_scenarios
    from questionnaire.loader import DEFAULT_CONTENT_DIR
    from questionnaire.perspective import for_caregiver

    translated = localize(content, language)
    if caregiver:
        translated, english = for_caregiver(translated), for_caregiver(content)
    else:
        english = content
    scenarios = load_scenarios(DEFAULT_CONTENT_DIR, content)
    assert scenarios
    failed = [f"{r.scenario.name}: {'; '.join(r.problems)}" for r in run_scenarios(translated, scenarios) if not r.passed]
    assert not failed, "\n".join(failed)
    english_engine, translated_engine = Engine(english), Engine(translated)
    untranslated = []
    for scenario in scenarios:
        was = english_engine.evaluate(scenario.answers, "911")
        now = translated_engine.evaluate(scenario.answers, "911")
        assert now.fired() == was.fired()
        untranslated += [f"{scenario.name}: [{g.rule.id}] {g.text!r}"
                         for g, e in zip(now.guidance, was.guidance, strict=True) if g.text == e.text]
    assert not untranslated, "guidance shown in English:\n" + "\n".join(untranslated)
