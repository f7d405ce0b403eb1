"""Real Chromium against the real app: shipped content, CSRF on, served on a free loopback port.

The `browser` fixture (Debian's /usr/bin/chromium, one per session) is in tests/conftest.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.serving import make_server

from app import create_app


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests-only"})
    assert app.config.get("WTF_CSRF_ENABLED", True), "browser tests post forms with CSRF on, as in production"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) for one test."""
    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    fresh.set_default_timeout(10_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
