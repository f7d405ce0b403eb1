"""Rule evaluation per submission: our engine beside json-logic, rule-engine and hand-written closures.

Usage: .venv/bin/python bench/evaluate_bench.py [--sizes 100,1000,10000] [--samples 200] [--budget 0.2]

For the shipped rules and for synthetic rule sets of the same shape (random all/any/not trees of
atoms over the real question ids and codes, parsed by our real condition parser), every engine
gets the same rules and the same answer sets. Before any timing, all of them must fire exactly
the same rules on every sample. Times are per submission (one answer set against the whole rule
set), best of 5 rounds
in which the engines take turns. "ours: match" is the bare rule evaluation (`Engine.matching_rules`), the
same work the others do; "ours: evaluate()" is the whole product call: branching, every rule,
fallback, guidance text and "because" reasons.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import json_logic
import rule_engine
from patients import random_answers
from translate import json_logic_data, rule_engine_data, to_closure, to_json_logic, to_rule_engine

from questionnaire.condition_parser import ConditionContext, parse_condition
from questionnaire.conditions import OPERATORS_BY_TYPE, Condition
from questionnaire.engine import Engine
from questionnaire.loader import load_content
from questionnaire.model import Answers, Content, Level, Question, QuestionType, Rule

NUMBER = "911"  # an emergency number from content (US); the engine has no default, and it does not change timings

Runner = Callable[[Answers], list[str]]


def random_atom(question: Question, rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.05:
        return {"question": question.id, "answered": rng.random() < 0.5}
    operator = rng.choice([op for op in OPERATORS_BY_TYPE[question.type] if op != "answered"])
    if question.type is QuestionType.SCALE:
        low, high = sorted(rng.sample(question.values, 2))
        value: Any = {"equals": low, "at_least": low, "at_most": high, "between": [low, high]}[operator]
        return {"question": question.id, operator: value}
    if operator == "equals":
        return {"question": question.id, "equals": rng.choice(question.codes)}
    return {"question": question.id, operator: rng.sample(question.codes, rng.randint(1, min(3, len(question.codes))))}


def random_condition(questions: list[Question], rng: random.Random, depth: int = 1) -> dict[str, Any]:
    """Shaped like the shipped rules: mostly `all` of a few atoms, some `any` and `not` inside."""
    roll = rng.random()
    if depth >= 3 or (depth > 1 and roll < 0.7):
        return random_atom(rng.choice(questions), rng)
    if depth > 1 and roll < 0.8:
        return {"not": random_condition(questions, rng, depth + 1)}
    key = "all" if depth == 1 and roll < 0.8 else "any"
    return {key: [random_condition(questions, rng, depth + 1) for _ in range(rng.randint(2, 4))]}


def synthetic_content(content: Content, count: int, seed: int) -> Content:
    """The real questionnaire with `count` generated rules in place of the shipped ones."""
    rng = random.Random(seed)
    questions = list(content.questionnaire.questions)
    template = next(rule for rule in content.ruleset.rules if rule.when is not None)
    rules = []
    for index in range(count):
        errors: list[Any] = []
        ident = f"synthetic-{index}"
        ctx = ConditionContext("synthetic", ident, content.questionnaire.by_id, errors)
        when = parse_condition(random_condition(questions, rng), ctx, None)
        assert when is not None and not errors, errors
        rules.append(dataclasses.replace(template, id=ident, when=when, level=rng.choice(list(Level)),
                                         references=template.references))
    ruleset = dataclasses.replace(content.ruleset, rules=tuple(rules))
    return dataclasses.replace(content, ruleset=ruleset)


def runners(content: Content) -> dict[str, Runner]:
    """One function per engine: answers (already pruned by branching) in, fired rule ids out."""
    engine = Engine(content)
    ordered = sorted(content.ruleset.rules, key=lambda rule: rule.level.rank)  # the engine's order
    rules: list[tuple[Rule, Condition]] = [(rule, rule.when) for rule in ordered if rule.when is not None]
    closures = [(rule.id, to_closure(when)) for rule, when in rules]
    logic = [(rule.id, to_json_logic(when)) for rule, when in rules]
    context = rule_engine.Context(default_value=None)
    engine_rules = [(rule.id, rule_engine.Rule(to_rule_engine(when), context=context)) for rule, when in rules]

    def ours(answers: Answers) -> list[str]:
        return [rule.id for rule in engine.matching_rules(answers)]

    def ours_full(answers: Answers) -> list[str]:
        evaluation = engine.evaluate(answers, NUMBER)
        fallback = content.ruleset.fallback
        return [g.rule.id for g in evaluation.guidance if fallback is None or g.rule.id != fallback.id]

    def closure(answers: Answers) -> list[str]:
        return [ident for ident, test in closures if test(answers)]

    def jsonlogic(answers: Answers) -> list[str]:
        data = json_logic_data(answers)
        return [ident for ident, expression in logic if json_logic.jsonLogic(expression, data)]

    def ruleengine(answers: Answers) -> list[str]:
        data = rule_engine_data(answers)
        return [ident for ident, rule in engine_rules if rule.matches(data)]

    return {"ours: match": ours, "ours: evaluate()": ours_full, "closures (floor)": closure,
            "json-logic": jsonlogic, "rule-engine": ruleengine}


def per_submission(runs: dict[str, Runner], samples: list[Answers], budget: float, rounds: int = 5) -> dict[str, float]:
    """Seconds per submission for each engine, best of `rounds`; engines take turns within each round,
    so a burst of load from elsewhere on the machine hits all of them rather than one."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            count, began, elapsed = 0, time.perf_counter(), 0.0
            while elapsed < budget:
                for answers in samples[count % len(samples):][:10]:
                    run(answers)
                    count += 1
                elapsed = time.perf_counter() - began
            best[name] = min(best[name], elapsed / count)
    return best


def check_same(runs: dict[str, Runner], samples: list[Answers]) -> int:
    """Every engine must fire exactly the same rules on every sample; returns how many fired in all."""
    fired = 0
    for answers in samples:
        results = {name: sorted(run(answers)) for name, run in runs.items()}
        expected = results["closures (floor)"]
        for name, got in results.items():
            if got != expected:
                raise SystemExit(f"{name} fired {got} but the closures fired {expected} for {dict(answers)}")
        fired += len(expected)
    return fired


def bench(label: str, content: Content, samples: list[Answers], check_count: int, budget: float) -> None:
    runs = runners(content)
    fired = check_same(runs, samples[:check_count])
    rules = sum(1 for rule in content.ruleset.rules if rule.when is not None)
    print(f"\n{label}: {rules} rules, {fired / check_count:.1f} fire per submission on average, "
          f"same rules fired by all on {check_count} samples")
    times = per_submission(runs, samples, budget)
    ours = times["ours: match"]
    for name, seconds in times.items():
        print(f"  {name:18} {seconds * 1e6:12.1f} µs/submission   {seconds / ours:8.2f}× ours")
    print(f"  json-logic / ours = {times['json-logic'] / ours:.1f}×   rule-engine / ours = "
          f"{times['rule-engine'] / ours:.1f}×   ours / floor = {ours / times['closures (floor)']:.2f}")


def bench_arguments(description: str, samples: str, budget: str) -> argparse.Namespace:
    """The options every rule-set benchmark takes: synthetic sizes, answer sets, seconds per round."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default="100,1000,10000", help="synthetic rule counts (default 100,1000,10000)")
    parser.add_argument("--samples", type=int, default=200, help=f"{samples} (default 200)")
    parser.add_argument("--budget", type=float, default=0.2, help=f"seconds per {budget} per round (default 0.2)")
    return parser.parse_args()


def main() -> int:
    args = bench_arguments(__doc__.splitlines()[0], "answer sets", "engine")
    content = load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR"))
    rng = random.Random(5)
    samples: list[Answers] = [random_answers(content.questionnaire, rng) for _ in range(args.samples)]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {len(samples)} random answer sets; "
          f"json-logic {json_logic.__name__} (panzi), rule-engine {rule_engine.__version__}")
    bench(f"shipped rules ({content.ruleset.label})", content, samples, len(samples), args.budget)
    for size in (int(s) for s in args.sizes.split(",") if s):
        check_count = max(10, min(len(samples), 100_000 // size))
        bench(f"{size} synthetic rules", synthetic_content(content, size, seed=size), samples, check_count,
              args.budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
