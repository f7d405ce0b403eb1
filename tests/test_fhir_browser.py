"""Real Chromium: download my answers (FHIR) from results, then open the file on the start page of a
fresh browser and land on "check your answers" with everything filled in; a too-big file gets a clear error."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from app import create_app
from tests.browser.browsing import continue_past_advice, on_advice
from tests.webflow import PUMP_EMERGENCY

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (scripts/test installs it)")
    app = create_app({"SECRET_KEY": "browser-test-only", "EMERGENCY_NUMBER": "911", "TRUSTED_HOSTS": ["127.0.0.1"]})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def answer_everything(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.click("button.button-start")
    while "/questions" in page.url:
        if on_advice(page):  # a warning sign's advice comes first, in place of the next page
            continue_past_advice(page)
        page_id = str(page.get_attribute("form[data-page]", "data-page"))  # the URL names no page
        for name, value in PUMP_EMERGENCY[page_id].items():
            for code in value if isinstance(value, list) else [value]:
                page.check(f'input[name="{name}"][value="{code}"]')
        page.click("form[data-page] button[type=submit]")  # not the Back form's button
    page.click("text=See my results")


def test_download_then_upload_in_a_fresh_browser_resumes_at_check_answers(site, browser, tmp_path):
    first = browser.new_context(accept_downloads=True)
    page = first.new_page()
    answer_everything(page, site)
    with page.expect_download() as info:
        page.click("text=Save my answers (file)")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    first.close()
    assert saved.name.endswith(".fhir.json")
    assert json.loads(saved.read_text(encoding="utf-8"))["resourceType"] == "QuestionnaireResponse"

    fresh = browser.new_context()
    page = fresh.new_page()
    page.goto(site + "/")
    page.set_input_files("#response_file", str(saved))
    page.click("text=Use my saved answers")
    assert page.url.startswith(site + "/check")
    assert on_advice(page) and "Call 911 now" in page.inner_text("main")  # the file's warning signs act at once
    continue_past_advice(page)
    assert "Itching all over with no rash" in page.inner_text("main")
    page.click("text=See my results")
    assert "Call 911 now" in page.inner_text("main")
    fresh.close()


def test_a_file_over_64_kb_gets_the_start_page_with_an_error(site, browser, tmp_path):
    big = tmp_path / "big.json"
    big.write_text(" " * (70 * 1024), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/")
    page.set_input_files("#response_file", str(big))
    page.click("text=Use my saved answers")
    summary = page.inner_text(".error-summary")
    assert "This file is too big" in summary
    expect(page.locator(".error-summary")).to_be_focused()  # retries: focus moves once app.js has run
    context.close()
