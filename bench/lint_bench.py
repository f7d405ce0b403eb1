"""Lint speed: 1,000 synthetic rules of the shipped shape, linted exactly. Prints the figures.

Usage: .venv/bin/python bench/lint_bench.py [--rules 1000] [--seed 7]

The rules are written as YAML into a temporary content directory beside the shipped
questions.yaml and read by the real loader, so they are parsed, checked and compiled exactly as
shipped rules are. Their shape copies the shipped ones: a pump-user gate with warning-sign codes,
a "no pump" gate with conditions, symptoms and an impact-or-severity clause, or a single answer,
with some `not`, some scale thresholds, and a few deliberately impossible or branching-hidden
ones. Target: the whole lint (logic, references, review dates, reading grade, duplicates) of
1,000 rules in under 10 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaire.analysis import lint  # noqa: E402
from questionnaire.analysis.lint import logic_findings  # noqa: E402
from questionnaire.loader import DEFAULT_CONTENT_DIR, load_content  # noqa: E402
from questionnaire.model import NONE_CODE, Questionnaire, QuestionType  # noqa: E402

WORDS = ("Talk with your care team about this. Bring a list of your medicines and say what is hard for you "
         "each day.").split()


def _codes(questionnaire: Questionnaire, qid: str, chooser: random.Random, most: int = 3) -> list[str]:
    codes = [c for c in questionnaire.by_id[qid].codes if c != NONE_CODE]
    return chooser.sample(codes, chooser.randint(1, min(most, len(codes))))


def _atom(questionnaire: Questionnaire, chooser: random.Random) -> dict[str, Any]:
    question = chooser.choice(questionnaire.questions)
    if question.type is QuestionType.SCALE:
        low, high = question.minimum or 0, question.maximum or 0
        return {"question": question.id, chooser.choice(["at_least", "at_most"]): chooser.randint(low, high)}
    if question.type is QuestionType.SINGLE:
        return {"question": question.id, "equals": chooser.choice(question.codes)}
    return {"question": question.id, "includes_any": _codes(questionnaire, question.id, chooser)}


def synthetic_condition(questionnaire: Questionnaire, chooser: random.Random) -> dict[str, Any]:
    shape = chooser.random()
    if shape < 0.35:  # warning sign for pump users
        items: list[dict[str, Any]] = [{"question": "has_pump", "equals": "yes"},
                                       {"question": "pump_symptoms", "includes_any": _codes(questionnaire, "pump_symptoms",
                                                                                             chooser, 4)}]
        if chooser.random() < 0.4:
            items.append({"not": {"question": "pump_medicine", "equals": chooser.choice(["pain_medicine", "baclofen"])}})
        return {"all": items}
    if shape < 0.65:  # evaluation conversation
        return {"all": [
            {"not": {"question": "has_pump", "equals": "yes"}},
            {"question": "conditions", "includes_any": _codes(questionnaire, "conditions", chooser, 5)},
            {"question": "symptoms", "includes_any": _codes(questionnaire, "symptoms", chooser, 2)},
            {"any": [{"question": "daily_impact", "includes_any": _codes(questionnaire, "daily_impact", chooser, 5)},
                     {"question": "stiffness_severity", "at_least": chooser.randint(4, 9)},
                     {"question": "spasm_frequency", "at_least": chooser.randint(1, 4)}]},
        ]}
    if shape < 0.95:  # one or two answers, sometimes negated
        items = [_atom(questionnaire, chooser) for _ in range(chooser.randint(1, 3))]
        if chooser.random() < 0.3:
            items[0] = {"not": items[0]}
        return items[0] if len(items) == 1 else {chooser.choice(["all", "any"]): items}
    # impossible or hidden by branching, so lint has something to find
    return {"all": [{"question": "has_pump", "equals": "no"},
                    {"question": "pump_symptoms", "includes_any": _codes(questionnaire, "pump_symptoms", chooser)}]}


def synthetic_rules(questionnaire: Questionnaire, count: int, seed: int) -> list[dict[str, Any]]:
    chooser = random.Random(seed)
    rules = []
    for index in range(count):
        level = chooser.choice(["emergency", "urgent", "discuss", "info"])
        rules.append({
            "id": f"synthetic-{index:04d}", "level": level, "topic": "general", "title": f"Synthetic rule {index}",
            "guidance": " ".join(chooser.sample(WORDS, 12)) + f" ({index}).",
            "when": synthetic_condition(questionnaire, chooser),
            "rationale": "Synthetic rule for the lint benchmark.",
            "references": [{"title": "Benchmark"}], "owner": "Bench", "reviewed_by": "Bench",
            "reviewed_on": "2026-11-01",
        })
    return rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    shipped = load_content(DEFAULT_CONTENT_DIR)
    with tempfile.TemporaryDirectory() as temporary:
        content_dir = Path(temporary)
        shutil.copy(DEFAULT_CONTENT_DIR / "questions.yaml", content_dir / "questions.yaml")
        shutil.copy(DEFAULT_CONTENT_DIR / "ruleset.yaml", content_dir / "ruleset.yaml")
        (content_dir / "rules").mkdir()
        rules = synthetic_rules(shipped.questionnaire, args.rules, args.seed)
        (content_dir / "rules" / "synthetic.yaml").write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
        started = time.perf_counter()
        content = load_content(content_dir)
        loaded = time.perf_counter()
        logic = logic_findings(content.questionnaire, content.ruleset.rules)
        logic_done = time.perf_counter()
        cpu = time.process_time()
        findings = lint(content, content_dir)
        finished = time.perf_counter()
        cpu = time.process_time() - cpu
    kinds = Counter(finding.kind for finding in findings)
    print(f"synthetic rules:           {len(content.ruleset.rules):,} (seed {args.seed})")
    print(f"load + validate + compile: {loaded - started:.2f} s")
    print(f"logic lint only:           {logic_done - loaded:.2f} s  ({len(logic)} findings)")
    print(f"full lint:                 {finished - logic_done:.2f} s wall, {cpu:.2f} s CPU  (target: under 10 s)")
    print("findings by kind:          " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
