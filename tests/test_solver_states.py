"""The solver cannot be fooled by a name: answer codes spelt like its own states are answers like any other.

Issue 12: the solver once marked "no answer" with the string "unanswered", in the namespace of
answer codes. With a code of that name, lint called a working rule "never fires" and an invariant
that the engine breaks was reported proven. These tests fail on that solver.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire import Engine, load_content
from questionnaire.analysis import lint, load_invariants, prove_invariants, solver
from questionnaire.analysis.findings import NEVER_FIRES
from questionnaire.answers import parse_answers, visible_answers
from questionnaire.conditions import All, Answered, Any_, Between, Condition, Equals, IncludesAll, IncludesAny, Not, OneOf
from questionnaire.model import NONE_CODE, Option, Page, Question, Questionnaire, QuestionType, Source
from tests.test_lint import _every_answer_set
from tests.thoroughness import examples

# Codes that read like the solver's states or the condition language's own words.
TRICKY_CODES = ["unanswered", "none", "any", "some", "all", "not", "answered", "yes", "other"]

RULE_ON_UNANSWERED = """rules:
  - id: said-unanswered
    level: emergency
    topic: emergency-signs
    title: A code called unanswered
    guidance: Call {emergency_number} now.
    when: {question: has_pump, equals: unanswered}
    rationale: A test rule whose condition reads a code spelt like a solver state.
    references: [{title: Test reference}]
    owner: Test
    reviewed_by: Test
    reviewed_on: "2026-11-24"
"""

INVARIANT_ENGINE_BREAKS = """invariants:
  - id: unanswered-sees-no-emergency
    description: A person who answers "unanswered" never sees emergency signs, which said-unanswered breaks.
    when: {question: has_pump, equals: unanswered}
    then: {excludes_topic: emergency-signs}
"""


def _tricky_content(content_dir) -> Path:
    directory = content_dir({
        "questions.yaml": ('{code: "no", label: "No"}', '{code: unanswered, label: "No"}'),
        "rules/rules.yaml": ("rules:\n", RULE_ON_UNANSWERED),
    })
    (directory / "invariants.yaml").write_text(INVARIANT_ENGINE_BREAKS, encoding="utf-8")
    return directory


def test_lint_does_not_call_a_rule_on_a_code_named_unanswered_dead(content_dir):
    content = load_content(_tricky_content(content_dir))
    assert Engine(content).evaluate({"has_pump": "unanswered"}, "911").fired()[0] == "said-unanswered"
    never = [f for f in lint(content) if f.kind == NEVER_FIRES]
    assert never == []


def test_an_invariant_the_engine_breaks_is_never_reported_proven(content_dir):
    directory = _tricky_content(content_dir)
    content = load_content(directory)
    (proof,) = prove_invariants(content, load_invariants(directory, content))
    assert not proof.holds
    assert proof.counterexample == {"has_pump": "unanswered"}
    fired = Engine(content).evaluate(parse_answers(content.questionnaire, proof.counterexample), "911")
    assert "said-unanswered" in fired.fired()


def test_a_single_choice_code_named_none_is_an_ordinary_answer():
    only_code = Question(id="q", type=QuestionType.SINGLE, text="Q?", page_id="p", source=Source("t", 1),
                         options=(Option("yes", "Yes"), Option("none", "None")))
    questionnaire = _questionnaire([only_code])
    needs_none = All((Answered(only_code.id), Not(Equals(only_code.id, "yes"))))
    assert solver.satisfy(questionnaire, needs_none) == {"q": "none"}
    assert solver.count(questionnaire, needs_none) == 1


# --- Property: on generated questionnaires with tricky codes, the solver agrees with brute force ----

def _questionnaire(questions: list[Question]) -> Questionnaire:
    pages = tuple(Page(id=f"p{i}", title=f"P{i}", questions=(q,)) for i, q in enumerate(questions))
    return Questionnaire(pages=pages, by_id={q.id: q for q in questions})


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    questions: list[Question] = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(list(QuestionType)))
        base = dict(id=f"q{index}", type=kind, text=f"Question {index}?", page_id=f"p{index}", source=Source("t", index))
        if kind is QuestionType.SCALE:
            question = Question(**base, minimum=0, maximum=draw(st.integers(1, 3)))
        else:
            codes = draw(st.lists(st.sampled_from(TRICKY_CODES), min_size=1, max_size=3, unique=True))
            if kind is QuestionType.MULTIPLE and codes == [NONE_CODE]:
                codes = ["unanswered", NONE_CODE]
            question = Question(**base, options=tuple(Option(code, code.title()) for code in codes))
        if questions and draw(st.booleans()):
            question = Question(**{**question.__dict__, "show_if": draw(atoms(questions))})
        questions.append(question)
    return _questionnaire(questions)


def atoms(questions: list[Question]) -> st.SearchStrategy[Condition]:
    def on(question: Question) -> st.SearchStrategy[Condition]:
        answered = st.booleans().map(lambda expected: Answered(question.id, expected))
        if question.type is QuestionType.SCALE:
            point = st.sampled_from(question.values)
            return st.one_of(answered, point.map(lambda v: Equals(question.id, v)),
                             point.map(lambda v: Between(question.id, low=v)),
                             point.map(lambda v: Between(question.id, high=v)))
        codes = st.lists(st.sampled_from(question.codes), min_size=1, max_size=2, unique=True).map(frozenset)
        if question.type is QuestionType.SINGLE:
            return st.one_of(answered, st.sampled_from(question.codes).map(lambda c: Equals(question.id, c)),
                             codes.map(lambda values: OneOf(question.id, values=values)))
        return st.one_of(answered, codes.map(lambda values: IncludesAny(question.id, values=values)),
                         codes.map(lambda values: IncludesAll(question.id, values=values)))

    return st.sampled_from(questions).flatmap(on)


def conditions(questions: list[Question], fewest: int = 1, most: int = 3, leaves: int = 5) -> st.SearchStrategy[Condition]:
    """Trees of all/any/not over atoms: each all/any holds `fewest` to `most` items, `leaves` atoms at most."""
    return st.recursive(atoms(questions), lambda inner: st.one_of(
        inner.map(Not), st.lists(inner, min_size=fewest, max_size=most).map(lambda items: All(tuple(items))),
        st.lists(inner, min_size=fewest, max_size=most).map(lambda items: Any_(tuple(items)))), max_leaves=leaves)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_solver_agrees_with_brute_force_whatever_the_codes_are_called(data: st.DataObject) -> None:
    questionnaire = data.draw(questionnaires())
    condition = data.draw(conditions(list(questionnaire.questions)))
    every = _every_answer_set(questionnaire)
    truths = [condition.predicate(answers) for answers in every]
    assert solver.count(questionnaire, condition) == sum(truths)
    assert solver.total(questionnaire) == len(every)
    example = solver.satisfy(questionnaire, condition)
    assert (example is not None) == any(truths)
    if example is not None:  # the witness is a real answer set that makes the condition true
        assert condition.predicate(visible_answers(questionnaire, parse_answers(questionnaire, example)))
    # an invariant "when: condition, then: never" is proven exactly when nobody can meet it
    assert (solver.implies(questionnaire, condition, All((Answered(questionnaire.questions[0].id), Not(
        Answered(questionnaire.questions[0].id))))) is None) == (not any(truths))


def test_codes_no_condition_tells_apart_are_searched_as_one_and_still_counted_exactly():
    """Long code lists read by the same `includes_any` (daily life, conditions) must not multiply the search."""
    codes = [f"c{i}" for i in range(12)]
    questions = [Question(id=f"m{n}", type=QuestionType.MULTIPLE, text="M?", page_id="p", source=Source("t", n),
                          options=tuple(Option(code, code) for code in [*codes, NONE_CODE])) for n in range(3)]
    questionnaire = _questionnaire(questions)
    read = [IncludesAny(q.id, values=frozenset(codes[:10])) for q in questions]
    never = All((*read, Not(Any_(tuple(read)))))  # unsatisfiable: the search must be exhaustive
    problem = solver.Problem(questionnaire, never)
    assert problem.satisfy() is None
    assert problem.steps < 200  # one bit for the ten codes read alike (2**10 subsets each otherwise)
    per_question = (2**12 - 1) - (2**2 - 1)  # some of the ten, with or without the two others
    assert solver.count(questionnaire, All(tuple(read))) == per_question ** 3
    example = solver.satisfy(questionnaire, All((*read, IncludesAll(questions[0].id, values=frozenset({"c3", "c4"})))))
    assert example is not None and {"c3", "c4"} <= set(example["m0"])  # a code includes_all names stays apart
