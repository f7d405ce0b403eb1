"""In Chromium: the draft notice on the shipped (unreleased) content, and the release on a signed, released fixture."""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CALM, answer, axe_violations, screenshot, submit, walk_to_results
from playwright.sync_api import Page
from pypdf import PdfReader
from werkzeug.serving import make_server

from app import create_app
from questionnaire import load_content

RELEASED = Path(__file__).resolve().parents[1] / "fixtures" / "released"
RELEASED_ANSWERS = {"about": [("has_pump", "yes")], "pump": [("pump_symptoms", "seizure"), ("pump_symptoms", "fever")],
                    "stiffness": [("stiffness_severity", "8"), ("medicines", "baclofen"), ("unread", "yes")]}


def printout(page: Page) -> str:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    return unicodedata.normalize("NFKC", text)  # the PDF's "ﬁ" ligature reads as "fi"


@pytest.fixture(scope="module")
def released_url() -> Iterator[str]:
    """The released fixture served as production would: REQUIRE_SIGNED_CONTENT=1, CSRF on."""
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests-only", "QUESTIONNAIRE_CONTENT_DIR": str(RELEASED),
                      "REQUIRE_SIGNED_CONTENT": "1"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_chromium_shows_the_draft_notice_on_the_start_page_and_the_printout(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{base_url}/")
    notice = page.locator("#draft-notice")
    assert notice.is_visible() and "has not yet reviewed and approved this advice" in notice.inner_text()
    screenshot(page, "en-draft-notice-start-320")
    page.goto(f"{base_url}/?lang=es")
    assert "Versión preliminar" in page.locator("#draft-notice").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    walk_to_results(page, base_url, CALM)
    assert page.locator("#draft-notice").count() == 1
    assert "Draft version" in printout(page)
    assert not axe_violations(page)


def test_chromium_shows_the_release_on_results_and_printout_and_no_notice(page: Page, released_url: str) -> None:
    page.goto(f"{released_url}/")
    assert page.locator("#draft-notice").count() == 0
    submit(page, "button.button-start")
    while "/questions" in page.url:
        assert page.locator("#draft-notice").count() == 0
        answer(page, RELEASED_ANSWERS)
    submit(page, 'a.button[href$="/results"]')
    label = load_content(RELEASED).ruleset.label
    line = page.locator(".release-meta")
    assert line.is_visible() and f"Approved release {label}" in line.inner_text()
    assert page.locator("#draft-notice").count() == 0
    text = printout(page)
    assert f"Approved release {label}, approved by Test fixture safety officer" in text
    assert "Draft version" not in text
    screenshot(page, "en-released-results-1280")
