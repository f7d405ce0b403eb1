"""The loader refuses broken content with a message naming the file, the line and the id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire import ContentErrors, load_content
from questionnaire.i18n import localize
from questionnaire.model import Level, QuestionType
from tests.conftest import FIXTURES

Q = "questions.yaml"
R = "rules/rules.yaml"


def errors_for(content_dir: Callable[..., Path], changes: dict) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(content_dir(changes))
    return [str(error) for error in caught.value.errors]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    return lines[occurrence - 1]


def test_minimal_fixture_loads(content_dir):
    content = load_content(content_dir())
    assert [q.id for q in content.questionnaire.questions] == ["has_pump", "pump_symptoms", "severity"]
    assert content.questionnaire.by_id["severity"].type is QuestionType.SCALE
    assert [r.id for r in content.ruleset.rules] == ["itch-and-fever", "severe"]
    assert content.ruleset.fallback is not None and content.ruleset.fallback.id == "talk"
    assert [r.id for r in content.ruleset.all_rules] == ["itch-and-fever", "severe", "talk"]  # the fallback last
    assert content.ruleset.rules[0].level is Level.EMERGENCY


def test_yes_and_no_stay_answer_codes_not_booleans(content_dir):
    content = load_content(content_dir())
    assert content.questionnaire.by_id["has_pump"].codes == ("yes", "no")


# Each case: the file to break, the edit, the id the message must name, words it must contain,
# and the text on the line the message must point at.
CASES = [
    ("schema error: wrong type", R, ("level: emergency", "level: 3"), "itch-and-fever",
     "is not valid. Valid values: emergency, urgent, discuss, info", "level: 3"),
    ("schema error: misspelt key", R, ("    rationale: Withdrawal", "    rationals: Withdrawal"), "itch-and-fever",
     "Did you mean 'rationale'?", "rationals:"),
    ("unknown question id", R, ("{question: severity, at_least: 7}", "{question: severty, at_least: 7}"),
     "severe", "unknown question id 'severty'. Did you mean 'severity'?", "severty"),
    ("unknown answer code", R, ("includes_any: [itching, fever]", "includes_any: [itchng, fever]"),
     "itch-and-fever", "'itchng' is not an answer code of 'pump_symptoms'. Valid codes: itching, fever, none. "
                       "Did you mean 'itching'?", "itchng"),
    ("operator that does not fit the type", R, ("{question: severity, at_least: 7}",
                                                 "{question: severity, includes_any: [x]}"),
     "severe", "operator 'includes_any' does not fit scale question 'severity'; use one of: answered, equals, "
               "at_least, at_most, between", "includes_any: [x]"),
    ("number outside the scale", R, ("{question: severity, at_least: 7}", "{question: severity, at_least: 11}"),
     "severe", "11 is outside the range of scale 'severity' (valid: 0 to 10)", "at_least: 11"),
    ("between in the wrong order", R, ("{question: severity, at_least: 7}", "{question: severity, between: [8, 3]}"),
     "severe", "has low 8 above high 3", "between"),
    ("unknown operator", R, ("{question: severity, at_least: 7}", "{question: severity, atleast: 7}"),
     "severe", "unknown operator 'atleast'", "atleast"),
    ("duplicate rule id", R, ("  - id: severe\n", "  - id: itch-and-fever\n"), "itch-and-fever",
     "duplicate rule id (first at", "id: itch-and-fever"),
    ("duplicate question id", Q, ("      - id: severity\n", "      - id: has_pump\n"), "has_pump",
     "duplicate question id (first at", "id: has_pump"),
    ("show_if refers to a later question", Q, ("show_if: {question: has_pump, equals: \"yes\"}",
                                               "show_if: {question: severity, at_least: 1}"),
     "pump_symptoms", "show_if refers to 'severity', which comes later", "show_if"),
    ("show_if forms a cycle", Q, ("show_if: {question: has_pump, equals: \"yes\"}",
                                  "show_if: {question: pump_symptoms, includes_any: [fever]}"),
     "pump_symptoms", "refers to 'pump_symptoms' itself, which forms a cycle", "show_if"),
    ("missing reference on an emergency rule", R, ("references: [{title: Gablofen label 5.5}]", "references: []"),
     "itch-and-fever", "emergency rules need at least one reference", "references: []"),
    ("yes without quotes still is a code, but a boolean is refused", R,
     ('{question: has_pump, equals: "yes"}', "{question: has_pump, equals: true}"),
     "itch-and-fever", "'True' is not an answer code of 'has_pump' (quote it", "equals: true"),
    ("an unknown placeholder in guidance", R, ("Call {emergency_number} now.", "Call {phone} now."),
     "itch-and-fever", "placeholder other than {emergency_number}", "Call {phone} now."),
    ("an order that is not a whole number", R, ("    rationale: Impact.", "    order: first\n    rationale: Impact."),
     "severe", "order: 'first' is not of type 'integer'", "order: first"),
    ("an order below 1", R, ("    rationale: Impact.", "    order: 0\n    rationale: Impact."),
     "severe", "order: 0 is less than the minimum of 1", "order: 0"),
    ("an order on the fallback rule", R, ("    rationale: Always", "    order: 2\n    rationale: Always"),
     "talk", "the fallback rule has no 'order'", "order: 2"),
]


@pytest.mark.parametrize(("name", "file", "edit", "ident", "words", "line_text"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_error_names_file_line_and_id(content_dir, name, file, edit, ident, words, line_text):
    target = content_dir({file: edit})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    messages = [str(e) for e in caught.value.errors]
    matching = [m for m in messages if words in m]
    assert matching, f"{name}: no message contains {words!r}; got {messages}"
    error = next(e for e in caught.value.errors if words in str(e))
    assert error.file.endswith(file)
    assert error.ident == ident
    assert error.line is not None
    assert line_text in (target / file).read_text().splitlines()[error.line - 1]


def test_every_error_is_reported_not_just_the_first(content_dir):
    target = content_dir({R: ("level: discuss", "level: sometimes")})
    text = (target / R).read_text().replace("includes_any: [itching, fever]", "includes_any: [itchy]")
    (target / R).write_text(text)
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    idents = sorted(e.ident for e in caught.value.errors)
    assert idents == ["itch-and-fever", "severe"]


@pytest.mark.parametrize(("name", "text", "words"), [
    ("alias bomb", "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nrules: *b\n", "aliases are not allowed"),
    ("duplicate key", "rules: []\nrules: []\n", "duplicate key 'rules' (first on line 1)"),
    ("invalid UTF-8", b"rules:\n  - id: caf\xe9\n", "not valid UTF-8"),
    ("huge file", "# " + "x" * 1_100_000 + "\nrules: []\n", "at most 300,000"),  # rule files: a smaller cap
    ("deep nesting", "rules: " + "[" * 60 + "]" * 60 + "\n", "nested more than"),
    ("not YAML", "rules: [unclosed\n", "invalid YAML"),
])
def test_hostile_or_malformed_files_are_refused_with_the_file_named(content_dir, name, text, words):
    target = content_dir()
    path = target / R
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    assert any(words in str(e) and e.file.endswith(R) for e in caught.value.errors), caught.value


def test_deeply_nested_condition_is_refused(content_dir):
    condition = "{not: " * 14 + "{question: severity, at_least: 7}" + "}" * 14
    target = content_dir({R: ("{question: severity, at_least: 7}", condition)})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    assert any("nested more than 12 levels" in str(e) and e.ident == "severe" for e in caught.value.errors)


def test_show_if_on_the_same_page_is_refused(content_dir):
    target = content_dir({Q: ("        text: How bad?\n", "        text: How bad?\n"
                                                          "        show_if: {question: pump_symptoms, answered: true}\n")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    assert any("same page" in str(e) and e.ident == "severity" for e in caught.value.errors)


def test_shipped_content_loads_and_has_a_versioned_hash(content):
    assert len(content.ruleset.rules) >= 25
    assert len(content.ruleset.sha256) == 64
    assert content.ruleset.label.startswith(content.ruleset.version)


GROUPED = ("        options:\n          - {code: itching, label: Itching}\n          - {code: fever, label: Fever}\n",
           "        groups:\n          - {id: skin, label: Skin}\n          - {id: heat, label: Heat}\n"
           "        options:\n          - {code: itching, group: skin, label: Itching}\n"
           "          - {code: fever, group: heat, label: Fever}\n")


def test_option_groups_become_subheadings_before_the_first_option_of_each(content_dir):
    question = load_content(content_dir({Q: GROUPED})).questionnaire.by_id["pump_symptoms"]
    assert [(g.id, g.label) for g in question.groups] == [("skin", "Skin"), ("heat", "Heat")]
    assert [o.group for o in question.options] == ["skin", "heat", None]
    assert question.group_headings == {"itching": "Skin", "fever": "Heat"}


@pytest.mark.parametrize(("name", "edit", "words", "line_text"), [
    ("unknown group id", ("group: heat, label: Fever", "group: haet, label: Fever"),
     "option 'fever' names unknown group 'haet'. Valid groups: skin, heat. Did you mean 'heat'?", "group: haet"),
    ("a group with no options", ("group: heat, label: Fever", "label: Fever"),
     "option group 'heat' has no options", "{id: heat, label: Heat}"),
    ("none in a group", ("{code: none, label: None of these}", "{code: none, group: skin, label: None of these}"),
     "option 'none' excludes every other answer, so it stays ungrouped", "code: none"),
], ids=["unknown group", "empty group", "none in a group"])
def test_bad_option_groups_name_file_line_and_question(content_dir, name, edit, words, line_text):
    target = content_dir({Q: GROUPED})
    text = (target / Q).read_text()
    assert edit[0] in text
    (target / Q).write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    error = next((e for e in caught.value.errors if words in str(e)), None)
    assert error is not None, f"{name}: {[str(e) for e in caught.value.errors]}"
    assert error.file.endswith(Q) and error.ident == "pump_symptoms"
    assert error.line is not None and line_text in (target / Q).read_text().splitlines()[error.line - 1]


def test_without_an_interrupt_key_no_level_interrupts_the_flow(content_dir):
    assert load_content(content_dir()).ruleset.interrupt == ()


def test_the_levels_that_interrupt_the_flow_are_read_from_the_rule_set(content_dir):
    target = content_dir({"ruleset.yaml": ("disclaimer:", "interrupt: [urgent, emergency]\ndisclaimer:")})
    assert load_content(target).ruleset.interrupt == (Level.URGENT, Level.EMERGENCY)


def test_the_shipped_rule_set_shows_emergency_and_urgent_advice_at_once():
    assert set(load_content().ruleset.interrupt) == {Level.EMERGENCY, Level.URGENT}


def test_an_unknown_interrupt_level_names_the_file_the_line_and_a_suggestion(content_dir):
    target = content_dir({"ruleset.yaml": ("disclaimer:", "interrupt: [emergency, urgnet]\ndisclaimer:")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    (error,) = caught.value.errors
    assert error.file.endswith("ruleset.yaml") and error.ident == "interrupt"
    assert "unknown level 'urgnet'" in str(error) and "Did you mean 'urgent'?" in str(error)
    assert (target / "ruleset.yaml").read_text().splitlines()[error.line - 1].startswith("interrupt:")


def test_an_interrupt_that_is_not_a_list_of_levels_is_refused(content_dir):
    target = content_dir({"ruleset.yaml": ("disclaimer:", "interrupt: emergency\ndisclaimer:")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    assert any("interrupt" in str(e) and e.file.endswith("ruleset.yaml") for e in caught.value.errors)


def test_topics_are_declared_in_the_rule_set_in_display_order_with_their_labels():
    topics = load_content().ruleset.topics
    assert [(t.id, t.label) for t in topics[:3]] == [
        ("emergency-signs", "Emergency signs"), ("pump-problem", "Pump problems"),
        ("itb-evaluation", "Pump therapy evaluation")]
    assert topics[-1].id == "general"
    spanish = localize(load_content(), "es").ruleset
    assert spanish.topic("pump-problem").label == "Problemas con la bomba"
    assert all(rule.topic.label == spanish.topic(rule.topic.id).label for rule in spanish.all_rules)


def test_a_rule_naming_an_undeclared_topic_stops_the_load_and_says_how_to_declare_one(content_dir):
    rules = sorted((FIXTURES / "minimal" / "rules").glob("*.yaml"))[0].name
    target = content_dir({f"rules/{rules}": ("topic: itb-evaluation", "topic: itb-evalution")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    (error,) = caught.value.errors
    assert error.file.endswith(rules) and error.ident
    assert "topic: itb-evalution" in (target / "rules" / rules).read_text().splitlines()[error.line - 1]
    assert "unknown topic 'itb-evalution'" in str(error) and "Did you mean 'itb-evaluation'?" in str(error)
    assert "add {id: itb-evalution" in str(error) and "ruleset.yaml" in str(error)
    assert "topic.itb-evalution.label" in str(error)  # and where its Spanish label goes


def test_a_topic_declared_twice_names_the_rule_set_file_and_line(content_dir):
    target = content_dir({"ruleset.yaml": ("topics:\n", "topics:\n  - {id: general, label: \"Again\"}\n")})
    with pytest.raises(ContentErrors) as caught:
        load_content(target)
    (error,) = caught.value.errors
    assert error.file.endswith("ruleset.yaml") and error.ident == "general" and "declared twice" in str(error)
    assert "id: general" in (target / "ruleset.yaml").read_text().splitlines()[error.line - 1]
