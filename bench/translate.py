"""Our conditions translated to json-logic, rule-engine and hand-written Python closures.

Each translation keeps our semantics exactly: an unanswered question is missing (never 0 or
""), `multiple` answers are sets of codes, scales are whole numbers, bounds are inclusive.
bench/evaluate_bench.py checks that every translation fires the same rules before timing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from patients import json_answers

from questionnaire.conditions import (
    All,
    Answered,
    Any_,
    Between,
    Condition,
    Equals,
    IncludesAll,
    IncludesAny,
    Not,
    OneOf,
)
from questionnaire.model import Answers

Closure = Callable[[Answers], bool]


def _var(qid: str) -> dict[str, Any]:
    return {"var": qid}


def to_json_logic(condition: Condition) -> dict[str, Any]:
    """A json-logic expression over {question id: code | [codes] | number}."""
    if isinstance(condition, All):
        return {"and": [to_json_logic(item) for item in condition.items]}
    if isinstance(condition, Any_):
        return {"or": [to_json_logic(item) for item in condition.items]}
    if isinstance(condition, Not):
        return {"!": [to_json_logic(condition.item)]}
    qid = condition.question_id  # type: ignore[attr-defined]
    if isinstance(condition, Answered):
        return {"!==" if condition.expected else "===": [_var(qid), None]}
    if isinstance(condition, Equals):
        return {"===": [_var(qid), condition.value]}
    if isinstance(condition, OneOf):
        return {"in": [_var(qid), sorted(condition.values)]}
    if isinstance(condition, IncludesAny):
        return {"or": [{"in": [code, _var(qid)]} for code in sorted(condition.values)]}
    if isinstance(condition, IncludesAll):
        return {"and": [{"in": [code, _var(qid)]} for code in sorted(condition.values)]}
    if isinstance(condition, Between):
        tests: list[Any] = [{"!==": [_var(qid), None]}]
        if condition.low is not None:
            tests.append({">=": [_var(qid), condition.low]})
        if condition.high is not None:
            tests.append({"<=": [_var(qid), condition.high]})
        return {"and": tests}
    raise TypeError(f"no json-logic translation for {type(condition).__name__}")


def to_rule_engine(condition: Condition) -> str:
    """A rule-engine expression over {question id: code | {codes} | number}, missing ids null."""
    if isinstance(condition, All):
        return "(" + " and ".join(to_rule_engine(item) for item in condition.items) + ")"
    if isinstance(condition, Any_):
        return "(" + " or ".join(to_rule_engine(item) for item in condition.items) + ")"
    if isinstance(condition, Not):
        return f"(not {to_rule_engine(condition.item)})"
    qid = condition.question_id  # type: ignore[attr-defined]
    if isinstance(condition, Answered):
        return f"({qid} {'!=' if condition.expected else '=='} null)"
    if isinstance(condition, Equals):
        return f"({qid} == {json.dumps(condition.value)})"
    if isinstance(condition, OneOf):
        return f"({qid} in [{', '.join(json.dumps(code) for code in sorted(condition.values))}])"
    if isinstance(condition, IncludesAny | IncludesAll):
        joiner = " or " if isinstance(condition, IncludesAny) else " and "
        tests = joiner.join(f"{json.dumps(code)} in {qid}" for code in sorted(condition.values))
        return f"({qid} != null and ({tests}))"
    if isinstance(condition, Between):
        tests = [f"{qid} != null"]
        if condition.low is not None:
            tests.append(f"{qid} >= {condition.low}")
        if condition.high is not None:
            tests.append(f"{qid} <= {condition.high}")
        return "(" + " and ".join(tests) + ")"
    raise TypeError(f"no rule-engine translation for {type(condition).__name__}")


def to_closure(condition: Condition) -> Closure:
    """The floor: the closures a programmer would write by hand for this one rule."""
    if isinstance(condition, All | Any_):
        parts = [to_closure(item) for item in condition.items]
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            return (lambda x: a(x) and b(x)) if isinstance(condition, All) else (lambda x: a(x) or b(x))
        if isinstance(condition, All):
            def all_of(x: Answers) -> bool:
                for part in parts:
                    if not part(x):
                        return False
                return True
            return all_of

        def any_of(x: Answers) -> bool:
            for part in parts:
                if part(x):
                    return True
            return False
        return any_of
    if isinstance(condition, Not):
        inner = to_closure(condition.item)
        return lambda x: not inner(x)
    qid = condition.question_id  # type: ignore[attr-defined]
    if isinstance(condition, Answered):
        if condition.expected:
            return lambda x: qid in x
        return lambda x: qid not in x
    if isinstance(condition, Equals):
        value = condition.value
        return lambda x: x.get(qid) == value
    if isinstance(condition, OneOf):
        values = condition.values
        return lambda x: x.get(qid) in values
    if isinstance(condition, IncludesAny):
        codes = condition.values
        return lambda x: qid in x and not codes.isdisjoint(x[qid])  # type: ignore[arg-type]
    if isinstance(condition, IncludesAll):
        codes = condition.values
        return lambda x: qid in x and codes <= x[qid]  # type: ignore[operator]
    if isinstance(condition, Between):
        low = condition.low if condition.low is not None else -(2**63)
        high = condition.high if condition.high is not None else 2**63
        return lambda x: qid in x and low <= x[qid] <= high  # type: ignore[operator]
    raise TypeError(f"no closure for {type(condition).__name__}")


def json_logic_data(answers: Answers) -> dict[str, Any]:
    return json_answers(dict(answers))


def rule_engine_data(answers: Answers) -> dict[str, Any]:
    return {qid: set(value) if isinstance(value, frozenset) else value for qid, value in answers.items()}
