"""The load test, short: 10 simulated patients for 5 s under real gunicorn, with no error and no 5xx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.load
def test_short_load_run_has_no_errors() -> None:
    result = subprocess.run([sys.executable, "bench/load_test.py", "--users", "10", "--seconds", "5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors        0" in result.stdout
    assert "5xx           0" in result.stdout
