"""Real Chromium under real gunicorn: the strict headers block nothing the pages need, and report no violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.browsing import EMERGENCY, continue_past_advice, on_advice
from tests.serving import Gunicorn

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
# Injected by the browser itself (not subject to the page's CSP): records every policy violation.
WATCH = ("window.__violations = [];"
         "document.addEventListener('securitypolicyviolation',"
         " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
PUMP = EMERGENCY  # the walk that shows every question page


@pytest.fixture(scope="module")
def server() -> Iterator[Gunicorn]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (scripts/test installs it)")
    with Gunicorn() as running:
        yield running


def settle(page: Page, seen: list[str], console: list[str]) -> None:
    """Collect this page's violations; check our CSS and JS were allowed to load."""
    page.wait_for_load_state("load")  # a click starts navigation; the stylesheet may not be in yet
    seen.extend(f"{page.url}: {v}" for v in page.evaluate("window.__violations"))
    assert page.evaluate("[...document.styleSheets].some(s => s.href && s.href.endsWith('/static/style.css')"
                         " && s.cssRules.length > 0)"), page.url
    assert not [line for line in console if "Refused" in line or "Unrecognized feature" in line], console


def test_every_page_renders_with_its_css_and_script_and_no_policy_violation(server, browser):
    seen: list[str] = []
    console: list[str] = []
    page = browser.new_page()
    page.add_init_script(WATCH)
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    base = f"http://127.0.0.1:{server.port}"
    page.goto(base + "/")
    settle(page, seen, console)
    page.click("button[type=submit]")
    while "/questions" in page.url:
        if on_advice(page):  # a warning sign's advice comes first, in place of the next page
            settle(page, seen, console)
            continue_past_advice(page)
        for name, value in PUMP[str(page.get_attribute("form[data-page]", "data-page"))]:
            page.check(f'input[name="{name}"][value="{value}"]')
        settle(page, seen, console)
        page.click("form[data-page] button[type=submit]")  # not the Back form's button
    assert page.url.endswith("/check")
    settle(page, seen, console)
    page.click("text=See my results")
    settle(page, seen, console)
    assert page.is_visible("[data-print]"), "app.js did not run: the print button stays hidden"
    page.goto(base + "/no/such/page")
    settle(page, seen, console)
    page.close()
    assert seen == []
