"""Caregivers: when the content's perspective answer is given, questions and results speak of "the person you care for"."""

from __future__ import annotations

import pytest

from questionnaire import ContentErrors, Engine, load_content
from questionnaire.analysis import load_scenarios
from questionnaire.i18n import content_strings, localize, source_hash
from questionnaire.loader import DEFAULT_CONTENT_DIR
from questionnaire.perspective import answers_as_caregiver, for_caregiver
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, at, complete

# The minimal fixture, with a perspective question and caregiver wording added.
PERSPECTIVE = ("pages:\n", "perspective: {question: respondent, code: caregiver}\npages:\n")
RESPONDENT = ("    questions:\n      - id: has_pump\n", """    questions:
      - id: respondent
        type: single
        text: Who is answering?
        options:
          - {code: self, label: Me}
          - {code: caregiver, label: A caregiver}
      - id: has_pump
        caregiver_text: Does the person you care for have a pump?
""")
CAREGIVER_RULE = ("    guidance: Call {emergency_number} now.\n",
                  "    guidance: Call {emergency_number} now.\n"
                  "    caregiver_guidance: Call {emergency_number} now and stay with them.\n")
SELF_FIRST = {"respondent": "self", "has_pump": "yes", "pump_symptoms": frozenset({"fever"})}
CAREGIVER_FIRST = {**SELF_FIRST, "respondent": "caregiver"}


def caregiver_fixture(content_dir, **extra):
    return content_dir({"questions.yaml": RESPONDENT, "rules/rules.yaml": CAREGIVER_RULE, **extra})


def with_perspective(content_dir):
    target = caregiver_fixture(content_dir)
    path = target / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*PERSPECTIVE), encoding="utf-8")
    return target


def test_caregiver_wording_replaces_the_usual_words_but_keeps_ids_codes_and_hash(content_dir):
    content = load_content(with_perspective(content_dir))
    worded = for_caregiver(content)
    assert worded.questionnaire.by_id["has_pump"].text == "Does the person you care for have a pump?"
    assert worded.questionnaire.by_id["pump_symptoms"].text == "Any of these?"  # no caregiver text: unchanged
    assert worded.questionnaire.by_id["has_pump"].codes == ("yes", "no")
    assert worded.ruleset.sha256 == content.ruleset.sha256
    assert answers_as_caregiver(content, CAREGIVER_FIRST) and not answers_as_caregiver(content, SELF_FIRST)
    self_result = Engine(content).evaluate(SELF_FIRST, "112")
    caregiver_result = Engine(worded).evaluate(CAREGIVER_FIRST, "112")
    assert self_result.guidance[0].text == "Call 112 now."
    assert caregiver_result.guidance[0].text == "Call 112 now and stay with them."
    assert caregiver_result.guidance[0].because[0].question_text == "Does the person you care for have a pump?"


def test_caregiver_wording_is_translated_with_its_own_keys(content_dir):
    target = with_perspective(content_dir)
    english = content_strings(load_content(target))
    assert english["question.has_pump.caregiver_text"] == "Does the person you care for have a pump?"
    assert english["rule.itch-and-fever.caregiver_guidance"] == "Call {emergency_number} now and stay with them."
    (target / "locales").mkdir()
    (target / "locales" / "es.yaml").write_text(
        "language: es\nname: Español\nstrings:\n"
        f"  question.has_pump.caregiver_text: {{text: \"¿La persona que usted cuida tiene una bomba?\", "
        f"source: \"{source_hash(english['question.has_pump.caregiver_text'])}\"}}\n"
        f"  rule.itch-and-fever.caregiver_guidance: {{text: \"Llame al {{emergency_number}} y quédese con la persona.\", "
        f"source: \"{source_hash(english['rule.itch-and-fever.caregiver_guidance'])}\"}}\n", encoding="utf-8")
    spanish = for_caregiver(localize(load_content(target), "es"))
    assert spanish.questionnaire.by_id["has_pump"].text == "¿La persona que usted cuida tiene una bomba?"
    assert Engine(spanish).evaluate(CAREGIVER_FIRST, "911").guidance[0].text == "Llame al 911 y quédese con la persona."


@pytest.mark.parametrize(("perspective", "expected"), [
    ("{question: respondant, code: caregiver}",
     "[respondant] perspective names an unknown question. Did you mean 'respondent'?"),
    ("{question: respondent, code: carer}", "[respondent] perspective code 'carer' is not an answer to 'respondent'"),
    ("{question: pump_symptoms, code: fever}", "[pump_symptoms] the perspective question must be a 'single' question"),
])
def test_a_wrong_perspective_stops_the_load_naming_file_line_and_id(content_dir, perspective, expected):
    target = caregiver_fixture(content_dir)
    path = target / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pages:\n", f"perspective: {perspective}\npages:\n", 1),
                    encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    messages = [str(error) for error in caught.value.errors]
    assert any("questions.yaml:" in m and expected in m for m in messages), messages


def test_caregiver_guidance_must_keep_the_emergency_number(content_dir):
    target = caregiver_fixture(content_dir, **{"rules/rules.yaml": (
        "    guidance: Call {emergency_number} now.\n",
        "    guidance: Call {emergency_number} now.\n    caregiver_guidance: Call for help now.\n")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    assert any("[itch-and-fever] caregiver_guidance must keep {emergency_number}" in str(e) for e in caught.value.errors)


# The shipped questionnaire, through the web flow, in both languages.

CAREGIVER_WORDS = {
    "en": ("How old is the person you care for?", "Does the person you care for have any of these most days?"),
    "es": ("¿Cuántos años tiene la persona que usted cuida?",
           "¿La persona que usted cuida tiene algo de esto casi todos los días?"),
}
SELF_WORDS = {
    "en": ("How old are you?", "Do you have any of these most days?"),
    "es": ("¿Cuántos años tiene?", "¿Tiene algo de esto casi todos los días?"),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_caregiver_is_asked_about_the_person_they_care_for(client, language):
    client.get(f"/?lang={language}")
    complete(client, NO_PUMP_MS)  # answers as a caregiver
    age_question, symptoms_question = CAREGIVER_WORDS[language]
    assert age_question in client.get(at(client, "health")).get_data(as_text=True)
    check = client.get("/check").get_data(as_text=True)
    assert age_question in check and symptoms_question in check
    assert SELF_WORDS[language][0] not in check
    results = client.get("/results").get_data(as_text=True)
    because = results[results.index('<details><summary>'):]
    assert symptoms_question in because  # "why you're seeing this" speaks of the person cared for
    assert BRING[language][1] in results and BRING[language][0] not in results


BRING = {  # the results' last heading, for oneself and for a caregiver
    "en": ("What to bring to your appointment", "What to bring to their appointment"),
    "es": ("Qué llevar a su cita", "Qué llevar a la cita de la persona"),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_person_answering_for_themselves_is_asked_about_themselves(client, language):
    client.get(f"/?lang={language}")
    complete(client, {**NO_PUMP_MS, "about": {"respondent": "self", "has_pump": "no"}})
    check = client.get("/check").get_data(as_text=True)
    age_question, symptoms_question = SELF_WORDS[language]
    assert age_question in check and symptoms_question in check
    assert CAREGIVER_WORDS[language][0] not in check
    results = client.get("/results").get_data(as_text=True)
    assert BRING[language][0] in results and BRING[language][1] not in results


@pytest.mark.parametrize(("language", "question"), [
    ("en", "Does the person you care for have any of these most days?"),
    ("es", "¿La persona que usted cuida tiene algo de esto casi todos los días?"),
])
def test_the_api_uses_caregiver_wording_when_the_answers_say_so(client, language, question):
    answers = {"respondent": "caregiver", "has_pump": "no", "age_group": "age_18_64", "conditions": ["ms"],
               "symptoms": ["stiffness"], "spasm_frequency": 3, "stiffness_severity": 8, "daily_impact": ["walking"]}
    body = client.post("/api/v1/evaluate", json={"answers": answers, "language": language}).get_json()
    because = [reason["text"] for item in body["guidance"] for reason in item["because"]]
    assert any(text.startswith(question) for text in because), because
    answers["respondent"] = "self"
    body = client.post("/api/v1/evaluate", json={"answers": answers, "language": language}).get_json()
    because = [reason["text"] for item in body["guidance"] for reason in item["because"]]
    assert not any(text.startswith(question) for text in because), because


@pytest.mark.parametrize(("language", "caregiver_words", "self_words"), [
    ("en", "Tell the staff that the person you care for has, or may have, a baclofen pump",
     "Tell the staff that you have, or may have, a baclofen pump"),
    ("es", "Diga al personal que la persona que usted cuida tiene, o puede tener, una bomba de baclofeno",
     "Diga al personal que tiene, o puede tener, una bomba de baclofeno"),
])
def test_emergency_advice_for_a_caregiver_speaks_of_the_person_they_care_for(client, language, caregiver_words,
                                                                              self_words):
    client.get(f"/?lang={language}")
    complete(client, {**PUMP_EMERGENCY, "about": {"respondent": "caregiver", "has_pump": "yes"}})
    results = client.get("/results").get_data(as_text=True)
    banner = results[results.index("emergency-banner"):results.index("<h1>")]
    assert caregiver_words in banner and self_words not in banner


# Every rule's words, for a caregiver: none may speak to the reader as if they were the patient.

PATIENT_ADDRESSED = {  # phrases that, read by a caregiver, would wrongly be about the caregiver
    "en": (" could help you ", " could help you.", " could help you,", " help you stand", " help you move",
           "your provider", "your care team",
           "your pump team", "your team", "you are pregnant", "you take", "you took", "you have a pump",
           "you have a baclofen pump", "your back", "your stiffness", "your medicines", "your day", "your pain",
           "your eyes", "your face", "you lie down", "you feel", "you get ", "yours", " for you.", " for you,",
           "take you", "you are asleep", "you have had", "you have tried", "you have not tried", "your goals",
           "your own plan"),
    "es": ("a su proveedor", "con su proveedor", "a su equipo", "con su equipo", "ayudarle",
           "aunque se sienta bien", "si está embarazada", "la suya", "para usted", "mientras usted duerme",
           "le podría llevar", "sus metas", "su cita", "si tiene una bomba", "que tiene una bomba de"),
}


def _caregiver_words_per_scenario(content_dir, language):
    content = load_content(content_dir)
    engine = Engine(for_caregiver(localize(content, language)))
    perspective = content.questionnaire.perspective
    assert perspective is not None
    for scenario in load_scenarios(content_dir, content):
        answers = {**scenario.answers, perspective.question: perspective.code}
        for guidance in engine.evaluate(answers, "911").guidance:
            yield scenario.name, guidance.rule.id, f"{guidance.rule.title} {guidance.text}"
    fallback = engine.content.ruleset.fallback  # a caregiver's answers always fire caregiver-preparing
    if fallback is not None:
        yield "(the fallback)", fallback.id, f"{fallback.title} {fallback.guidance}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_scenario_read_by_a_caregiver_speaks_of_the_person_they_care_for(language):
    seen, wrong = set(), []
    for name, rule_id, words in _caregiver_words_per_scenario(DEFAULT_CONTENT_DIR, language):
        seen.add(rule_id)
        found = [phrase for phrase in PATIENT_ADDRESSED[language] if phrase in words.lower()]
        if found:
            wrong.append(f"{rule_id} ({name[:50]}...): {found}")
    ruleset = load_content(DEFAULT_CONTENT_DIR).ruleset
    assert seen == {rule.id for rule in (*ruleset.rules, ruleset.fallback) if rule}  # every rule was read
    assert not sorted(set(wrong)), "\n".join(sorted(set(wrong)))
