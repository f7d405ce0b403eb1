"""What the results say first (counts, questions to ask) and the printout's clinician box, on shipped content."""

from __future__ import annotations

import shutil
from dataclasses import astuple
from pathlib import Path

import pytest

from questionnaire import Engine, load_content
from questionnaire.errors import ContentErrors
from questionnaire.i18n import localize
from questionnaire.perspective import for_caregiver
from questionnaire.summary import clinician_lines, counts, print_margins_css, questions_to_ask, topics_raised

CONTENT = load_content()
SHIPPED = Path(__file__).resolve().parents[1] / "questionnaire" / "content"
# A caregiver for someone with a baclofen pump and withdrawal signs, oral baclofen that did not help.
ANSWERS = {
    "respondent": "caregiver", "has_pump": "yes", "pump_medicine": "baclofen",
    "pump_symptoms": frozenset({"itching", "fever"}), "age_group": "age_18_64", "conditions": frozenset({"ms"}),
    "symptoms": frozenset({"stiffness"}), "spasm_frequency": 3, "stiffness_severity": 8, "stiffness_helps": "no",
    "daily_impact": frozenset({"walking"}), "oral_medicines": frozenset({"baclofen"}),
    "oral_medicines_effect": "does_not_help", "side_effects": frozenset({"drowsiness"}),
    "other_treatments": frozenset({"physical_therapy"}), "health_factors": frozenset({"none"}), "refill_visits": "yes",
}


def evaluate(language: str = "en", caregiver: bool = True, answers: dict | None = None):
    content = localize(CONTENT, language)
    return Engine(for_caregiver(content) if caregiver else content).evaluate(answers or ANSWERS, emergency_number="999")


def test_counts_say_how_many_items_there_are_at_each_level():
    evaluation = evaluate()
    shown = {level.value: len(items) for level, items in evaluation.by_level()}
    expected = (shown.get("emergency", 0), shown.get("urgent", 0), shown["discuss"], shown["info"])
    assert astuple(counts(evaluation)) == expected
    assert counts(evaluation).now == 1 and counts(evaluation).talk >= 4


def test_questions_to_ask_come_from_the_rules_that_apply_once_each_in_the_caregiver_words():
    evaluation = evaluate()
    questions = questions_to_ask(evaluation)
    assert "What other medicines or treatments could they try next?" in questions
    assert "Who do we call at night or on the weekend?" in questions
    assert len(questions) == len(set(questions))
    fired = {g.rule.id for g in evaluation.guidance}
    assert "itb-evaluation-conversation" not in fired  # a pump already: no questions about getting one
    assert not any("test dose" in q for q in questions)


def test_questions_to_ask_speak_to_the_person_themselves_and_in_spanish():
    own = questions_to_ask(evaluate(caregiver=False))
    assert "What other medicines or treatments could I try next?" in own
    spanish = questions_to_ask(evaluate("es"))
    assert "¿A quién llamamos de noche o el fin de semana?" in spanish
    assert len(spanish) == len(questions_to_ask(evaluate()))


def test_questions_to_ask_for_someone_considering_a_pump_include_the_options_and_the_test_dose():
    answers = {**ANSWERS, "respondent": "self", "has_pump": "no"}
    answers.pop("pump_medicine"), answers.pop("pump_symptoms")
    questions = questions_to_ask(evaluate(caregiver=False, answers=answers))
    assert any("test dose" in q for q in questions), questions
    assert any("carry on as now" in q for q in questions), questions


def test_the_clinician_box_names_the_clinical_facts_in_order():
    lines = {line.label: line.answers for line in clinician_lines(evaluate(caregiver=False))}
    words = {qid: CONTENT.questionnaire.by_id[qid].describe_answer(ANSWERS[qid]) for qid in ANSWERS}
    assert lines["Spasm frequency (PSFS 0-4)"] == (words["spasm_frequency"],)
    assert words["spasm_frequency"].startswith("3 out of 4")
    assert lines["Stiffness (0-10); helps function"] == (words["stiffness_severity"], words["stiffness_helps"])
    assert lines["Oral medicines; effect; side effects"] == tuple(
        words[qid] for qid in ("oral_medicines", "oral_medicines_effect", "side_effects"))
    assert lines["Pump; medicine"] == (words["has_pump"], words["pump_medicine"])
    assert "fever" in lines["Warning signs reported"][0].lower()
    assert list(lines)[0] == "Answered by"


def test_the_clinician_box_in_spanish_and_without_hidden_answers():
    answers = {key: value for key, value in ANSWERS.items() if key not in ("pump_medicine", "pump_symptoms")}
    lines = {line.label: line.answers for line in clinician_lines(evaluate("es", answers={**answers, "has_pump": "no"}))}
    assert "Frecuencia de espasmos (PSFS 0-4)" in lines
    assert "Señales de alarma referidas" not in lines  # no pump: the signs were never asked


def test_topics_raised_leave_out_the_good_to_know_items():
    evaluation = evaluate(caregiver=False)
    topics = topics_raised(evaluation)
    assert topics[0] == evaluation.guidance[0].rule.topic
    assert set(topics) == {g.rule.topic for g in evaluation.guidance if g.level.value != "info"}
    assert len(topics) == len(set(topics))


@pytest.mark.parametrize(("row", "message"), [
    ("  - id: typo\n    label: Typo\n    questions: [spasm_frequencey]\n", "unknown question 'spasm_frequencey'"),
    ("  - id: respondent\n    label: Twice\n    questions: [respondent]\n", "this row id is used twice"),
    ("  - id: nolabel\n    questions: [respondent]\n", "label"),
])
def test_a_broken_clinician_file_stops_start_up_naming_the_file_and_row(tmp_path: Path, row: str, message: str):
    shutil.copytree(SHIPPED, tmp_path / "content")
    path = tmp_path / "content" / "clinician.yaml"
    path.write_text(path.read_text() + row)
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path / "content")
    text = str(caught.value)
    assert "clinician.yaml" in text and message in text, text


def test_the_print_margins_carry_the_form_name_the_date_and_page_numbers_as_css_strings():
    css = print_margins_css('Bomba "X" \\ 1', "1 de diciembre de 2026", "Página {page} de {pages}")
    assert '@top-left { content: "Bomba \\"X\\" \\\\ 1";' in css  # quotes and backslashes escaped
    assert '"1 de diciembre de 2026"' in css
    assert 'content: "Página " counter(page) " de " counter(pages);' in css


def test_a_rule_with_too_many_or_empty_questions_to_ask_stops_start_up(tmp_path: Path):
    shutil.copytree(SHIPPED, tmp_path / "content")
    path = tmp_path / "content" / "rules" / "30-evaluation.yaml"
    text = path.read_text()
    marker = "    questions_to_ask:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "      - \"\"\n" + "      - Another question?\n" * 5, 1))
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path / "content")
    assert "30-evaluation.yaml" in str(caught.value) and "questions_to_ask" in str(caught.value), str(caught.value)
