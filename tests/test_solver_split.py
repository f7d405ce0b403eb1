"""The solver searches a condition part by part (an `or` of smaller `and`s) and still answers exactly.

Splitting is what brought the 77 shipped invariant proofs from about 45 s to about 1 s: each part
reads fewer questions, and a part that tests one question two ways no answer can meet (A and not A)
is dropped before any search. These tests hold the split to the meaning of the condition it came
from, against brute force on generated questionnaires and against the unsplit search on the
shipped rules.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire import load_content
from questionnaire.analysis import solver
from questionnaire.analysis.solver.split import MAX_PARTS, disjuncts
from questionnaire.answers import parse_answers, visible_answers
from questionnaire.conditions import All, Any_, Condition, Equals, Not
from tests.test_lint import _every_answer_set
from tests.test_solver_states import conditions, questionnaires
from tests.thoroughness import examples


def deep_conditions(questions: list) -> st.SearchStrategy[Condition]:
    """Deeper and wider than the solver's own property test, empty all/any included (never and always true)."""
    return conditions(questions, fewest=0, most=4, leaves=10)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_parts_are_true_on_exactly_the_answer_sets_the_condition_is(data: st.DataObject) -> None:
    questionnaire = data.draw(questionnaires())
    condition = data.draw(deep_conditions(list(questionnaire.questions)))
    parts = disjuncts(condition)
    assert len(parts) <= MAX_PARTS
    for answers in _every_answer_set(questionnaire):
        assert condition.predicate(answers) == any(part.predicate(answers) for part in parts), answers
    example = solver.satisfy(questionnaire, condition)
    truths = [condition.predicate(answers) for answers in _every_answer_set(questionnaire)]
    assert (example is not None) == any(truths)
    if example is not None:
        assert condition.predicate(visible_answers(questionnaire, parse_answers(questionnaire, example)))


def test_a_test_no_answer_can_pass_is_refused_however_late_in_the_form_it_is():
    content = load_content()
    late = [q for q in content.questionnaire.questions if q.type.value == "single"][-1]  # asked last of its kind
    code = late.codes[0]
    contradiction = All((Equals(late.id, code), Not(Equals(late.id, code))))
    assert disjuncts(contradiction) == [contradiction]  # one part, dropped by its tests before any search
    assert solver.satisfy(content.questionnaire, contradiction) is None
    everything_else = Any_(tuple(rule.when for rule in content.ruleset.rules if rule.when is not None))
    assert solver.satisfy(content.questionnaire, All((everything_else, contradiction))) is None


def test_on_the_shipped_rules_the_split_search_agrees_with_the_whole_search():
    """Rule against rule ("shows A but not B"), as lint and the change report ask: same verdict, real witnesses."""
    content = load_content()
    questionnaire = content.questionnaire
    rules = [rule for rule in content.ruleset.rules if rule.when is not None]
    chooser = random.Random(12)
    pairs = [tuple(chooser.sample(rules, 2)) for _ in range(40)]
    found = 0
    for first, second in pairs:
        condition = All((first.when, Not(second.when)))
        whole = solver.Problem(questionnaire, condition).satisfy()
        split = solver.satisfy(questionnaire, condition)
        assert (whole is None) == (split is None), (first.id, second.id)
        if split is not None:
            found += 1
            assert condition.predicate(visible_answers(questionnaire, parse_answers(questionnaire, split)))
    assert found > 0  # the sample holds satisfiable pairs, not only proofs of "never"
