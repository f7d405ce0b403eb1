"""Safety invariants: proven over every answer set, or a counterexample that really breaks them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questionnaire import Engine, load_content
from questionnaire.analysis import load_invariants, prove_invariants
from questionnaire.answers import parse_answers
from questionnaire.errors import ContentErrors
from questionnaire.loader import DEFAULT_CONTENT_DIR
from questionnaire.model import Level, Topic

FIXTURES = Path(__file__).parent / "fixtures"


def _with_invariants(directory: Path) -> Path:
    shutil.copy(FIXTURES / "invariants" / "holds.yaml", directory / "invariants.yaml")
    return directory


def _breaks(content, proof) -> bool:
    """Evaluate the counterexample with the real engine: is the promise really broken?"""
    evaluation = Engine(content).evaluate(parse_answers(content.questionnaire, proof.counterexample), "911")
    invariant = proof.invariant
    assert invariant.when.predicate(evaluation.answers), "the counterexample must meet the invariant's 'when'"
    fired = evaluation.fired()
    topics = {g.rule.topic for g in evaluation.guidance}
    if invariant.then == "highest_level":
        return evaluation.highest_level is None or evaluation.highest_level.rank > Level(invariant.target).rank
    if invariant.then == "excludes_topic":
        return Topic(invariant.target) in topics
    if invariant.then == "includes_topic":
        return Topic(invariant.target) not in topics
    if invariant.then == "includes":
        return not set(invariant.target) <= set(fired)
    if invariant.then in ("first_in_level", "before_topic"):
        rule_id = invariant.target[0] if invariant.then == "before_topic" else invariant.target
        if rule_id not in fired:
            return True
        shown = evaluation.guidance[fired.index(rule_id)]
        ahead = evaluation.guidance[:fired.index(rule_id)]
        if invariant.then == "first_in_level":
            return any(g.level is shown.level for g in ahead)
        return any(g.rule.topic.value == invariant.target[-1] for g in ahead)
    return bool(set(invariant.target) & set(fired))


def test_every_fixture_invariant_is_proven(content_dir):
    directory = _with_invariants(content_dir())
    content = load_content(directory)
    proofs = prove_invariants(content, load_invariants(directory, content))
    assert [(p.invariant.id, p.holds) for p in proofs] == [
        ("fever-is-emergency", True), ("no-pump-no-emergency-signs", True), ("severe-shows-severe", True)]


def test_a_rule_set_that_breaks_invariants_gets_real_counterexamples(content_dir):
    # Withdrawal advice narrowed to itching only, and severe stiffness raised to 9: two promises break.
    directory = _with_invariants(content_dir({"rules/rules.yaml": (
        "includes_any: [itching, fever]", "includes_any: [itching]")}))
    text = (directory / "rules" / "rules.yaml").read_text().replace("at_least: 7", "at_least: 9")
    (directory / "rules" / "rules.yaml").write_text(text)
    content = load_content(directory)
    proofs = {p.invariant.id: p for p in prove_invariants(content, load_invariants(directory, content))}
    assert proofs["no-pump-no-emergency-signs"].holds
    for broken in ("fever-is-emergency", "severe-shows-severe"):
        proof = proofs[broken]
        assert not proof.holds and proof.counterexample is not None
        assert _breaks(content, proof), (broken, proof.counterexample)


def test_lint_command_prints_proofs_and_counterexamples(runner, content_dir):
    directory = _with_invariants(content_dir({"rules/rules.yaml": (
        "includes_any: [itching, fever]", "includes_any: [itching]")}))
    result = runner.invoke(args=["rules", "lint", "--content", str(directory)])
    assert result.exit_code == 1
    assert "PROVEN  no-pump-no-emergency-signs" in result.output
    assert "BROKEN  fever-is-emergency" in result.output
    assert '"pump_symptoms": ["fever"]' in result.output


def test_a_broken_invariant_file_names_file_line_and_id(content_dir):
    directory = _with_invariants(content_dir())
    text = (directory / "invariants.yaml").read_text().replace("then: {includes: [severe]}", "then: {includes: [sever]}")
    (directory / "invariants.yaml").write_text(text)
    with pytest.raises(ContentErrors) as raised:
        load_invariants(directory, load_content(directory))
    message = str(raised.value)
    assert "invariants.yaml:" in message and "[severe-shows-severe]" in message and "Did you mean 'severe'?" in message


@pytest.mark.skipif(not (DEFAULT_CONTENT_DIR / "ruleset.yaml").exists(), reason="shipped rules not written yet")
def test_every_shipped_invariant_is_proven(content):
    invariants = load_invariants(DEFAULT_CONTENT_DIR, content)
    assert len(invariants) >= 20
    unproven = [(p.invariant.id, p.counterexample) for p in prove_invariants(content, invariants) if not p.holds]
    assert unproven == []


def test_shipped_invariants_cover_every_pump_warning_sign(content):
    invariants = load_invariants(DEFAULT_CONTENT_DIR, content)
    named = {code for invariant in invariants for atom in invariant.when.atoms()
             if atom.question_id == "pump_symptoms" for code in getattr(atom, "values", ())}
    signs = set(content.questionnaire.by_id["pump_symptoms"].codes) - {"none"}
    assert signs <= named


# A caution that must come before the card it qualifies: placed by its `order`, after it in the file.
CAUTION = ("  - id: talk\n", "  - id: caution\n    level: discuss\n    topic: procedure-safety\n"
           "    title: Caution\n    guidance: Tell the team first.\n    order: 1\n"
           "    when: {question: severity, at_least: 5}\n    rationale: Firm caution.\n    references: []\n"
           "    owner: Test\n    reviewed_by: Test\n    reviewed_on: \"2026-11-24\"\n  - id: talk\n")
ORDER_INVARIANTS = """invariants:
  - id: caution-first
    description: Stiffness of 5 or more shows the caution first among the items to bring up.
    when: {question: severity, at_least: 5}
    then: {first_in_level: caution}
  - id: caution-before-evaluation
    description: Stiffness of 5 or more shows the caution before any item about an evaluation.
    when: {question: severity, at_least: 5}
    then: {before_topic: {rule: caution, topic: itb-evaluation}}
"""


def test_order_promises_are_proven_and_break_when_the_order_goes(content_dir):
    directory = content_dir({"rules/rules.yaml": CAUTION})
    (directory / "invariants.yaml").write_text(ORDER_INVARIANTS)
    content = load_content(directory)
    assert all(p.holds for p in prove_invariants(content, load_invariants(directory, content)))
    rules = directory / "rules" / "rules.yaml"
    rules.write_text(rules.read_text().replace("    order: 1\n", ""))  # back to file order: severe comes first
    content = load_content(directory)
    proofs = prove_invariants(content, load_invariants(directory, content))
    assert [p.invariant.id for p in proofs if not p.holds] == ["caution-first", "caution-before-evaluation"]
    for proof in proofs:
        assert proof.counterexample is not None and proof.counterexample["severity"] >= 7
        assert _breaks(content, proof), proof.counterexample


def test_an_order_promise_naming_no_rule_or_topic_is_refused_with_its_line(content_dir):
    directory = content_dir({"rules/rules.yaml": CAUTION})
    (directory / "invariants.yaml").write_text(ORDER_INVARIANTS.replace("first_in_level: caution", "first_in_level: cation")
                                               .replace("topic: itb-evaluation", "topic: evaluation"))
    with pytest.raises(ContentErrors) as raised:
        load_invariants(directory, load_content(directory))
    message = str(raised.value)
    assert "invariants.yaml:5: [caution-first]" in message and "Did you mean 'caution'?" in message
    assert "[caution-before-evaluation]" in message and "'evaluation' is not valid" in message
