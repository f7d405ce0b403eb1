"""How long the loader takes to refuse a 1 MB content file of small mappings, and how much memory it needs.

Usage: .venv/bin/python bench/hostile_content.py [--size 1000000] [--file questions.yaml]

The file goes into a copy of the minimal test content (as questions.yaml by default, where the
1 MB cap allows it; rules/ and locales/ have a smaller cap). Each run is a fresh process, so the
peak resident memory (ru_maxrss) is the refusal's own; prints seconds, memory and the first lines
of the message.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def hostile(size: int) -> bytes:
    """A list of tiny one-key mappings, `- {a: 1}`, up to `size` bytes: the most nodes per byte YAML allows."""
    line = b"- {a: 1}\n"
    return b"pages:\n" + line * ((size - 7) // len(line))


def child(content: str) -> None:
    from questionnaire.errors import ContentErrors
    from questionnaire.loader import load_content

    started = time.perf_counter()
    try:
        load_content(content)
        message = "loaded (not refused!)"
    except ContentErrors as exc:
        message = str(exc)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"refused in {seconds:.2f} s, peak memory {peak_mb:.0f} MB, message {len(message):,} characters")
    print("\n".join(line[:160] for line in message.splitlines()[:4]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--file", default="questions.yaml", help="where in the content directory the file goes")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(MINIMAL, content)
        (content / args.file).write_bytes(hostile(args.size))
        print(f"{args.file}: {args.size:,} bytes of '- {{a: 1}}' lines")
        subprocess.run([sys.executable, __file__, "--child", str(content)], check=True, cwd=ROOT,
                       env={"PYTHONPATH": str(ROOT)})


if __name__ == "__main__":
    main()
