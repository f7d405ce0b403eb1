"""Privacy, proven: the whole flow and the API write no file, log no answer, put none in a URL, leave none behind."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from app import create_app
from questionnaire.model import Content
from tests.serving import Browser, Gunicorn, walk
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete, csrf_token

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WRITE_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink", "os.link",
                "os.chmod", "os.utime", "shutil.copyfile", "shutil.move", "shutil.rmtree", "sqlite3.connect",
                "tempfile.mkstemp", "tempfile.mkdtemp"}


class FileWrites:
    """Every attempt by this process to write a file, seen through Python's audit hooks while recording."""

    installed = False
    recording = False
    seen: list[tuple[str, Any]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.recording:
            return
        if event == "open":
            path, mode, flags = args
            writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & WRITE_FLAGS)
            if writing:
                cls.seen.append((event, path))
        elif event in WRITE_EVENTS:
            cls.seen.append((event, args[0] if args else None))

    def __enter__(self) -> list[tuple[str, Any]]:
        if not FileWrites.installed:  # audit hooks cannot be removed: install once, switch on and off
            sys.addaudithook(FileWrites.hook)
            FileWrites.installed = True
        FileWrites.seen = []
        FileWrites.recording = True
        return FileWrites.seen

    def __exit__(self, *exc: object) -> None:
        FileWrites.recording = False


def answer_words(content: Content, *flows: dict[str, dict[str, Any]]) -> set[str]:
    """The codes and labels of the answers given, less those that are also page ids or too short to mean much."""
    questions = content.questionnaire.by_id
    page_ids = {page.id for page in content.questionnaire.pages}
    words: set[str] = set()
    for flow in flows:
        for answers in flow.values():
            for qid, value in answers.items():
                question = questions[qid]
                for code in value if isinstance(value, list) else [value]:
                    words.add(code)
                    words.update(o.label for o in question.options if o.code == code)
                    if code.isdigit():
                        words.add(question.scale_labels.get(int(code), ""))
    return {w for w in words if len(w) >= 4 and w not in page_ids and not w.isdigit()}


def leaked(text: str, words: set[str]) -> list[str]:
    return sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))


def api_calls(post: Any) -> None:
    """A valid evaluation, a wrong code and a wrong type, as a clinic's system might send them."""
    for answers in ({"has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"]},
                    {"has_pump": "maybe", "conditions": ["spinal_cord_injury", "ms"]},
                    {"stiffness_severity": "severe", "daily_impact": "sleep"}):
        post(json.dumps({"answers": answers}))


@pytest.fixture
def quiet_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A fresh, empty working directory and TMPDIR, so anything written there would show."""
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return cwd, tmp


def test_the_whole_flow_and_the_api_write_no_file_and_log_no_answer(caplog, quiet_place):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True})
    app.logger.setLevel(logging.DEBUG)
    words = answer_words(app.extensions["questionnaire"].content, PUMP_EMERGENCY, NO_PUMP_MS)
    assert {"baclofen", "itching", "spinal_cord_injury"} <= words  # the check below has teeth

    def api(client: Any) -> Any:
        return lambda body: client.post("/api/v1/evaluate", data=body, content_type="application/json")

    complete(app.test_client(), NO_PUMP_MS, csrf=True)  # warm-up: lazy imports done before recording
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="werkzeug"), FileWrites() as writes:
        for flow in (PUMP_EMERGENCY, NO_PUMP_MS):
            client = app.test_client()
            complete(client, flow, csrf=True)
            assert client.get("/check").status_code == 200 and client.get("/results").status_code == 200
            client.post("/start-over", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True)),
                                             "confirm": "yes"})
            api_calls(api(client))
    assert writes == []
    assert [p for p in quiet_place if any(p.iterdir())] == []
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert leaked(logged, words) == [], logged


def test_under_gunicorn_at_debug_level_no_answer_reaches_the_logs_or_a_url(content):
    words = answer_words(content, PUMP_EMERGENCY, NO_PUMP_MS)
    with Gunicorn("--log-level", "debug", env={"LOG_LEVEL": "debug"}) as server:
        for flow in (PUMP_EMERGENCY, NO_PUMP_MS):
            browser = Browser(server.port)
            walk(browser, flow)
            browser.get("/questions?v=99999")
            api_calls(lambda body, b=browser: b.post_json("/api/v1/evaluate", body))
            assert browser.locations and leaked("\n".join(browser.locations), words) == []
            assert all("?" not in url or re.fullmatch(r"/questions\?v=\d+", url) for url in browser.locations), \
                browser.locations
        browser.get("/?has_pump=yes&pump_medicine=baclofen")  # even when a query string carries one
    output = server.stop()
    access = [line for line in output.splitlines() if '" 200 ' in line or '" 302 ' in line or '" 400 ' in line]
    assert len(access) > 30, output  # every request was logged ...
    assert not any("?" in line for line in access), access  # ... without its query string
    assert leaked(output, words) == [], output


def test_start_over_leaves_no_answer_on_any_page(client, content):
    complete(client, NO_PUMP_MS)
    response = client.post("/start-over", data={"confirm": "yes"})
    assert "session=;" in response.headers.get("Set-Cookie", "") or client.get_cookie("session") is None
    for url in ("/questions", "/questions?v=3", "/check", "/results"):
        html = client.get(url).get_data(as_text=True)
        assert "Your answers were cleared" in html and "Multiple sclerosis" not in html and " checked" not in html, url


def test_a_saved_cookie_replayed_after_the_session_expired_shows_nothing():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PERMANENT_SESSION_LIFETIME": timedelta(seconds=1)})
    first = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:  # the clock moves on, no one waits
        complete(first, NO_PUMP_MS)
        cookie = first.get_cookie("session")
        assert cookie is not None and "Multiple sclerosis" in first.get("/results").get_data(as_text=True)
        clock.shift(timedelta(seconds=2.1))
        replay = app.test_client()  # someone who copied the cookie: the expiry is checked on the server too
        replay.set_cookie("session", cookie.value)
        html = replay.get("/results").get_data(as_text=True)
    assert "Your answers were cleared" in html and "Multiple sclerosis" not in html
