"""API throughput under gunicorn: /api/v1/evaluate beside a bare Flask JSON route, in one run.

Usage: .venv/bin/python bench/api_bench.py [--seconds 10] [--connections 50] [--rounds 2] [--seed 1]

Both apps run under the same gunicorn settings (gunicorn.conf.py when present), one after the
other so they never share the CPU, each driven by wrk (Debian: apt-get install -y wrk) with the
same POST body: one complete, valid set of answers. Rounds alternate bare/ours, in ABBA order;
the best round of each is compared, and the ratio within each round and its median are printed.
Also prints each worker's resident memory (VmRSS) after the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from patients import json_answers, random_answers
from server import serve

from questionnaire.loader import load_content

LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
"""


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout

    def number(pattern: str) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else 0.0

    def millis(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
        if not match:
            return 0.0
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {"rps": number(r"Requests/sec:\s+([\d.]+)"), "requests": number(r"(\d+) requests in"),
            "non2xx": number(r"Non-2xx or 3xx responses: (\d+)"), "socket_errors": errors,
            "p50": millis("50%"), "p99": millis("99%")}


def measure(app: str, script: Path, args: argparse.Namespace) -> tuple[dict[str, float], list[float]]:
    with serve(app, workers=args.workers) as server:
        url = server.url + "/api/v1/evaluate"
        run_wrk(url, script, 2, args.connections)  # warm-up
        result = run_wrk(url, script, args.seconds, args.connections)
        return result, server.worker_rss_mb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per app (default 2)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--seed", type=int, default=1, help="which random answer set to send (default 1: 17 answers, "
                                                         "13 items; 6: 12 answers, 5 items, the size of 1.2.0's)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("api_bench needs wrk: apt-get install -y wrk")
    content = load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR"))
    answers = json_answers(random_answers(content.questionnaire, random.Random(args.seed)))
    body = json.dumps({"answers": answers})
    apps = {"bare Flask route": "bench.bare_app:app", "/api/v1/evaluate": "app:create_app()"}
    best: dict[str, dict[str, float]] = {}
    ratios: list[float] = []  # ours ÷ bare within each round: how steady the ratio is
    rss: dict[str, list[float]] = {}
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "post.lua"
        script.write_text(LUA.format(body=body), encoding="utf-8")
        for round_number in range(1, args.rounds + 1):
            this_round: dict[str, float] = {}
            order = list(apps.items())
            if round_number % 2 == 0:  # ABBA: neither app always runs first (a warmer or cooler machine)
                order.reverse()
            for label, app in order:
                result, rss[label] = measure(app, script, args)
                failed |= bool(result["non2xx"] or result["socket_errors"])
                print(f"round {round_number}  {label:18} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                      f"p99 {result['p99']:6.1f} ms  non-2xx {result['non2xx']:.0f}  "
                      f"socket errors {result['socket_errors']:.0f}")
                if label not in best or result["rps"] > best[label]["rps"]:
                    best[label] = result
                this_round[label] = result["rps"]
            ratios.append(this_round["/api/v1/evaluate"] / max(this_round["bare Flask route"], 1.0))
    ours, bare = best["/api/v1/evaluate"]["rps"], best["bare Flask route"]["rps"]
    print(f"\nbody: {len(body)} bytes, {len(answers)} answers; {args.connections} connections, {args.seconds} s; "
          f"{os.cpu_count()} CPUs")
    print(f"best of {args.rounds}: /api/v1/evaluate {ours:.0f} req/s, bare Flask route {bare:.0f} req/s, "
          f"ratio {ours / bare:.0%} (target at least 70%)")
    print("ratio within each round: " + ", ".join(f"{ratio:.0%}" for ratio in ratios)
          + f"; median {statistics.median(ratios):.0%}")
    for label, sizes in rss.items():
        print(f"worker RSS MB ({label}): " + " ".join(f"{size:.1f}" for size in sizes))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
