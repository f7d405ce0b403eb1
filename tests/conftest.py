"""Shared fixtures: the real app on its shipped content, a test client and a CLI runner.

Content is loaded once per session per distinct set of files (tests/content_cache.py), and each
template and URL builder compiled once (tests/template_cache.py, tests/routing_cache.py): every
app still gets its own Flask object, config, routes and Jinja environment, on the shared content.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings

from app import create_app
from questionnaire import Content, Engine
from tests import content_cache, routing_cache, template_cache, thoroughness

content_cache.install()
template_cache.install()
routing_cache.install()
settings.register_profile("fast", max_examples=thoroughness.FAST_MINIMUM)  # tests without their own count
if thoroughness.FAST:
    settings.load_profile("fast")
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest module first (the OpenAPI contract test: thousands of generated requests), so that on
    two workers (scripts/test --fast) it runs beside everything else instead of after it."""
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_fuzz.py")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test: Playwright's sync API runs one instance per thread at a time."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():  # fail, not skip: in CI the browser tests must run
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def content() -> Content:
    return content_cache.load_content()


@pytest.fixture(scope="session")
def engine(content: Content) -> Engine:
    return Engine(content)


@pytest.fixture
def app() -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "EMERGENCY_NUMBER": "911"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def content_dir(tmp_path: Path) -> Callable[..., Path]:
    """Copy fixture content into tmp_path; `changes` maps a file to new text or an (old, new) edit."""

    def make(changes: dict[str, tuple[str, str] | str] | None = None, base: str = "minimal") -> Path:
        target = tmp_path / "content"
        shutil.copytree(FIXTURES / base, target)
        for name, change in (changes or {}).items():
            path = target / name
            if isinstance(change, str):
                path.write_text(change, encoding="utf-8")
                continue
            old, new = change
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {path}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return target

    return make
