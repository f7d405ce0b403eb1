"""A corpus of malformed content files: each one stops the app at start-up with a message naming the file."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from app import StartupError, create_app

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "malformed"
# Where a corpus file goes in a copy of the minimal content: rules are added beside the good rules file.
TARGETS = {"rules": lambda name: f"rules/{name}", "questions": lambda name: "questions.yaml",
           "ruleset": lambda name: "ruleset.yaml"}
CASES = sorted(CORPUS.glob("*/*.yaml"))


def expected(path: Path) -> str:
    """The `# expect: ...` line at the top of a corpus file: part of the message a person should see."""
    match = re.search(rb"^# expect: ?(.*)$", path.read_bytes(), re.MULTILINE)
    assert match, f"{path} has no '# expect:' line"
    return match.group(1).decode().strip()


def start_with(tmp_path: Path, relative: str, data: bytes) -> str:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / relative).write_bytes(data)
    started = time.monotonic()
    with pytest.raises(StartupError) as caught:
        create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(content)})
    assert time.monotonic() - started < 10, "rejecting a bad file must not take long"
    return str(caught.value)


def test_the_corpus_covers_the_nasty_cases():
    names = {path.stem for path in CASES}
    assert {"alias-bomb", "invalid-utf8", "duplicate-key", "deep-condition", "deep-yaml", "python-tag",
            "title-is-a-number", "rules-not-a-list"} <= names
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_malformed_file_is_rejected_at_start_up_naming_the_file(tmp_path, path):
    relative = TARGETS[path.parent.name](path.name)
    message = start_with(tmp_path, relative, path.read_bytes())
    assert f"{relative}:" in message or f"{relative} " in message, message  # names the file ...
    assert expected(path) in message, message  # ... and says what is wrong
    assert "Traceback" not in message


@pytest.mark.parametrize("relative", ["rules/huge.yaml", "questions.yaml", "ruleset.yaml"])
def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, relative):
    huge = b"# padding\n" * 110_000 + b"rules: []\n"  # 1.1 MB
    message = start_with(tmp_path, relative, huge)
    assert f"{relative}:" in message and "content files may be at most 1,000,000" in message, message


def test_a_wide_file_gets_a_short_message_not_thousands_of_lines(tmp_path):
    wide = b"rules: [" + b"x, " * 20_000 + b"x]\n"  # 60 KB: one flat list of 20,001 wrong items
    message = start_with(tmp_path, "rules/wide.yaml", wide)
    assert "rules/wide.yaml:1: more than 50 problems in this file" in message, message
    assert message.count("\n") < 60, message
