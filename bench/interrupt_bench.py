"""The per-page check of the web flow: `Engine.interrupting_rules` on the answers given so far.

Usage: .venv/bin/python bench/interrupt_bench.py [--sizes 100,1000,10000] [--samples 200] [--budget 0.2]

After every page the flow asks whether the answers so far make a rule of an interrupt level
(ruleset.yaml `interrupt`: emergency, urgent) apply, to show that advice before any further
question. Target: at most 1 ms per check at 1,000 rules. `interrupting()` (the advice worded,
with its reasons) runs only when the advice is shown, once per person; timed beside it. Answer sets are random valid answers
cut off after a random page (a person half way through), on the shipped rules and on the
synthetic rule sets of bench/evaluate_bench.py (random levels, so about half the rules are at an
interrupt level). Before timing, every check must give exactly the interrupt-level guidance of a
full `evaluate`. Beside it, for scale: the whole `evaluate()` and the bare `matching_rules`.
Times are per call, best of 5 rounds in which the three take turns.
"""

from __future__ import annotations

import os
import random
import sys

from evaluate_bench import bench_arguments, per_submission, synthetic_content
from patients import random_answers

from questionnaire.answers import visible_answers
from questionnaire.engine import Engine
from questionnaire.loader import load_content
from questionnaire.model import Answers, Content

NUMBER = "911"  # an emergency number from content (US); the engine has no default, and it does not change timings

TARGET_SECONDS = 0.001  # per check, at 1,000 rules


def partial(content: Content, answers: Answers, rng: random.Random) -> dict[str, object]:
    """The answers to the pages up to a random one, as the session holds them half way through."""
    pages = content.questionnaire.pages[:rng.randint(1, len(content.questionnaire.pages))]
    asked = {question.id for page in pages for question in page.questions}
    return {qid: value for qid, value in answers.items() if qid in asked}


def bench(label: str, content: Content, samples: list[Answers], budget: float) -> float:
    engine = Engine(content)
    levels = content.ruleset.interrupt
    interrupting = 0
    for answers in samples:
        got = list(engine.interrupting(answers, NUMBER).guidance)
        if got != [g for g in engine.evaluate(answers, NUMBER).guidance if g.level in levels] or \
                engine.interrupting_rules(answers) != [g.rule for g in got]:
            raise SystemExit(f"the per-page check disagrees with evaluate() for {dict(answers)}")
        interrupting += bool(got)
    questionnaire = content.questionnaire
    times = per_submission({
        "per-page check": engine.interrupting_rules,
        "interrupting()": lambda answers: engine.interrupting(answers, NUMBER),
        "evaluate()": lambda answers: engine.evaluate(answers, NUMBER),
        "matching_rules": lambda answers: engine.matching_rules(visible_answers(questionnaire, answers)),
    }, samples, budget)
    rules = sum(1 for rule in content.ruleset.rules if rule.when is not None)
    at_levels = sum(1 for rule in content.ruleset.rules if rule.level in levels)
    print(f"\n{label}: {rules} rules, {at_levels} at an interrupt level ({', '.join(lv.value for lv in levels)}); "
          f"{interrupting} of {len(samples)} partial answer sets interrupt; same guidance as evaluate() on all")
    for name, seconds in times.items():
        print(f"  {name:15} {seconds * 1e6:10.1f} µs/check")
    return times["per-page check"]


def main() -> int:
    args = bench_arguments(__doc__.splitlines()[0], "partial answer sets", "call kind")
    content = load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR"))
    rng = random.Random(11)
    samples: list[Answers] = [partial(content, random_answers(content.questionnaire, rng), rng)
                              for _ in range(args.samples)]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; {len(samples)} partial answer sets")
    bench(f"shipped rules ({content.ruleset.label})", content, samples, args.budget)
    verdict = ""
    for size in (int(s) for s in args.sizes.split(",") if s):
        seconds = bench(f"{size} synthetic rules", synthetic_content(content, size, seed=size), samples, args.budget)
        if size == 1000:
            verdict = (f"\nper-page check at 1,000 rules: {seconds * 1e6:.1f} µs "
                       f"({'within' if seconds <= TARGET_SECONDS else 'OVER'} the 1 ms target)")
    print(verdict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
