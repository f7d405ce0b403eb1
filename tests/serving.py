"""Real gunicorn on a free loopback port with the production config, and a small cookie-keeping HTTP client."""

from __future__ import annotations

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
    """gunicorn --config gunicorn.conf.py on 127.0.0.1; everything it prints is kept in memory."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, secret: bool = True):
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG")}
        base.update({"SESSION_COOKIE_SECURE": "0", "WEB_CONCURRENCY": "1"})
        base.setdefault("TRUSTED_HOSTS", "127.0.0.1")  # production mode serves only named hosts (issue 16)
        if secret:
            base["SECRET_KEY"] = secrets.token_hex(16)
        self.env = {**base, **(env or {})}
        self.command = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"),
                        "--bind", f"127.0.0.1:{self.port}", *args]
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None

    def start(self, wait: bool = True) -> Gunicorn:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        reader = threading.Thread(target=self._read, daemon=True)
        reader.start()
        self._reader = reader
        deadline = time.monotonic() + 30
        while wait and time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        return self

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
