"""Real gunicorn on a free loopback port with the production config, and a small cookie-keeping HTTP client."""

from __future__ import annotations

import collections
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.webflow import ADVICE_VIEW, page_shown

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """gunicorn --config gunicorn.conf.py on 127.0.0.1: the one harness of the tests and the benchmarks (bench/).

    `app`: the WSGI app to serve (default: the config's `app:create_app()`); `workers`: how many
    (default 1; None: what gunicorn.conf.py would start in production); `must_start`: raise if
    gunicorn exits or does not answer HTTP within 30 s (the benchmarks), instead of leaving the
    test to look at `process`. What it prints is kept in memory only (the last `keep` lines, or all),
    never in a file.
    """

    def __init__(self, *args: str, app: str | None = None, workers: int | None = 1,
                 env: dict[str, str] | None = None, secret: bool = True, must_start: bool = False,
                 keep: int | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG", "WEB_CONCURRENCY")}
        base["SESSION_COOKIE_SECURE"] = "0"
        if workers is not None:
            base["WEB_CONCURRENCY"] = str(workers)
        base.setdefault("TRUSTED_HOSTS", "127.0.0.1")  # production mode serves only named hosts (issue 16)
        if secret:
            base["SECRET_KEY"] = secrets.token_hex(16)
        self.env = {**base, **(env or {})}
        self.command = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"),
                        "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), *args, *([app] if app else [])]
        self.must_start = must_start
        self.lines: collections.deque[str] = collections.deque(maxlen=keep)
        self.process: subprocess.Popen[str] | None = None

    def start(self, wait: bool = True) -> Gunicorn:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        reader = threading.Thread(target=self._read, daemon=True)
        reader.start()
        self._reader = reader
        if wait and not self._answers(time.monotonic() + 30) and self.must_start:
            self.stop()
            raise RuntimeError("gunicorn did not start:\n" + "\n".join(self.lines))
        return self

    def _answers(self, deadline: float) -> bool:
        """Wait until the port takes connections (and, with must_start, until it answers HTTP)."""
        assert self.process is not None
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                if self.must_start:
                    with urllib.request.urlopen(self.url + "/", timeout=5):  # noqa: S310 (our own loopback URL)
                        pass
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> str:
        """Stop gunicorn (by its own pid) and return everything it printed."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return "\n".join(self.lines)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        return [int(pid) for pid in
                Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()]

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS from /proc), in MB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Browser:
    """Keeps the session cookie and sees redirects as they are (no following), like a test client."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""
        self.locations: list[str] = []

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        received = {k.lower(): v for k, v in response.getheaders()}
        connection.close()
        cookie = received.get("set-cookie", "")
        if cookie.startswith("session="):
            value = cookie.split(";", 1)[0]
            self.cookie = "" if value == "session=" else value
        if "location" in received:
            self.locations.append(received["location"])
        return response.status, received, text

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, body: str) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, body.encode(), {"Content-Type": "application/json"})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def walk(browser: Browser, pages: dict[str, dict[str, Any]]) -> None:
    """Start and answer every page the flow sends us to, with CSRF tokens, then open check and results."""
    _, _, html = browser.get("/")
    status, headers, _ = browser.post_form("/start", {"csrf_token": csrf_token(html)})
    while status == 302 and headers["location"].startswith("/questions"):
        location = headers["location"]
        _, _, html = browser.get(location)
        if ADVICE_VIEW in html:  # emergency or urgent advice in place of the page: go on to its questions
            _, _, html = browser.get(location)
        page_id = str(page_shown(html))  # the page says which it is; its URL does not
        status, headers, _ = browser.post_form(location, {**pages[page_id], "csrf_token": csrf_token(html)})
    assert status == 302 and headers["location"] == "/check", (status, headers)
    assert browser.get("/check")[0] == 200 and browser.get("/results")[0] == 200
