"""Instructions per API call, counted by valgrind: a figure that does not move with the machine's load.

Usage: .venv/bin/python bench/api_instructions.py [--seed 1] [--calls 500]

The throughput ratio (bench/api_bench.py) moves by several points between runs on a shared VM,
which hides a change of a few per cent. This counts the CPU instructions one call costs, in
process (WSGI calls on the real app, no network, no gunicorn), with valgrind's cachegrind:
the same code, content and body give the same count within about 1%, whatever else runs. Three
calls are counted:

- `/api/v1/evaluate` with one complete set of answers (the body api_bench.py sends for --seed);
- `/api/v1/evaluate` with a body it refuses at once (`{"x": 1}`): the web layer alone (routing,
  hooks, headers, the error response), no evaluation;
- the bare Flask route of api_bench.py (bench/bare_app.py) with the same complete body.

Each is the difference between a run of `--calls` more calls and a run of a few warm-up calls,
divided by `--calls`, so start-up is not counted. Needs valgrind (Debian: apt-get install -y
valgrind). About a minute per count.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 100
REFUSED = b'{"x": 1}'


def body_for(seed: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from patients import json_answers, random_answers

    from questionnaire.loader import load_content

    content = load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR"))
    return json.dumps({"answers": json_answers(random_answers(content.questionnaire, random.Random(seed)))}).encode()


def calls(which: str, body: bytes, count: int) -> None:
    """In the counted process: build the app, then make `count` calls."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SECRET_KEY", "instructions-bench")
    os.environ.setdefault("TRUSTED_HOSTS", "127.0.0.1")
    if which == "bare":
        from bench.bare_app import app as application
    else:
        from app import create_app

        application = create_app()

    def environ() -> dict[str, Any]:
        return {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/evaluate", "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
                "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}

    statuses: list[str] = []
    for _ in range(count):
        reply = application(environ(), lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(reply)
        getattr(reply, "close", lambda: None)()
    if len(set(statuses)) > 1:
        raise SystemExit(f"the calls did not all answer alike: {sorted(set(statuses))}")


def counted(which: str, body: bytes, count: int) -> int:
    """Instructions of a whole process making `count` calls (the child stops if they did not all answer alike)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--child", which, "--calls", str(count)]
    env = {**os.environ, "API_INSTRUCTIONS_BODY": body.decode()}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=1800)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not match:
        raise SystemExit(f"valgrind failed:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def per_call(which: str, body: bytes, count: int) -> float:
    many = counted(which, body, WARM_UP + count)
    few = counted(which, body, WARM_UP)
    return (many - few) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="which random answer set (as api_bench.py; default 1)")
    parser.add_argument("--calls", type=int, default=500, help="calls counted per figure (default 500)")
    parser.add_argument("--child", choices=("ours", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        calls(args.child, os.environ["API_INSTRUCTIONS_BODY"].encode(), args.calls)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("api_instructions needs valgrind: apt-get install -y valgrind")
    sys.path.insert(0, str(ROOT / "bench"))
    body = body_for(args.seed)
    ours = per_call("ours", body, args.calls)
    refused = per_call("ours", REFUSED, args.calls)
    bare = per_call("bare", body, args.calls)
    print(f"body: {len(body)} bytes (--seed {args.seed}); {args.calls} calls counted per figure")
    print(f"/api/v1/evaluate, complete answers   {ours / 1000:8.0f} thousand instructions per call")
    print(f"/api/v1/evaluate, refused at once    {refused / 1000:8.0f} thousand (the web layer alone)")
    print(f"bare Flask route, same body          {bare / 1000:8.0f} thousand")
    print(f"evaluation and its response: {(ours - refused) / 1000:.0f} thousand; ours ÷ bare: {ours / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
