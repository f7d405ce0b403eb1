"""How long the rule analysis of a content directory takes: what the review pages and `flask rules` wait for.

Usage: .venv/bin/python bench/analysis_bench.py [--rounds 3] [--content DIR]

Times, best of `--rounds`, on the shipped content (or DIR): the whole `analyse` behind the review
pages (scenarios, lint, invariant proofs, coverage), then each part alone, and the five slowest
invariant proofs. Every proof must hold, as `flask rules lint` requires. Target: the whole
analysis well inside gunicorn's 30 s worker timeout (the review pages run it on a background
thread, and say so while it runs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaire.analysis import analyse, lint, load_invariants, load_scenarios, prove_invariants  # noqa: E402
from questionnaire.analysis.scenarios import run_scenarios  # noqa: E402
from questionnaire.loader import DEFAULT_CONTENT_DIR, load_content  # noqa: E402


def best(rounds: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT_DIR)
    args = parser.parse_args()
    content = load_content(args.content)
    invariants = load_invariants(args.content, content)
    scenarios = load_scenarios(args.content, content)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"rule set {content.ruleset.label}: {len(content.ruleset.rules)} rules, {len(invariants)} invariants, "
          f"{len(scenarios)} scenarios; best of {args.rounds}")
    whole, analysis = best(args.rounds, lambda: analyse(content, args.content))
    broken = [proof.invariant.id for proof in analysis.proofs if not proof.holds]
    print(f"  whole analysis (review pages)  {whole:7.2f} s   {len(analysis.findings)} findings, "
          f"{sum(p.holds for p in analysis.proofs)} of {len(analysis.proofs)} invariants proven")
    for name, work in (("invariant proofs", lambda: prove_invariants(content, invariants)),
                       ("lint", lambda: lint(content, args.content)),
                       ("scenarios", lambda: run_scenarios(content, scenarios))):
        seconds, _ = best(args.rounds, work)
        print(f"  {name:30} {seconds:7.2f} s")
    each = sorted(((best(1, lambda inv=inv: prove_invariants(content, [inv]))[0], inv.id) for inv in invariants),
                  reverse=True)
    print("  slowest proofs: " + ", ".join(f"{ident} {seconds * 1000:.0f} ms" for seconds, ident in each[:5]))
    if broken:
        print(f"NOT PROVEN: {', '.join(broken)}")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
