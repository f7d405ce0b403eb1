"""One URL for every question page, and the journey fixes, in real Chromium at 320 px.

Browser Back and Forward, the in-page Back button and "Change" work in a real browser; every
page changed here is axe-clean, not wider than a 320 px phone, under 30 KB, and screenshotted
(artifacts/screenshots/journey-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browsing import (
    CALM,
    PAGE_WEIGHT_LIMIT,
    axe_violations,
    disable_cache,
    horizontal_overflow,
    page_id,
    screenshot,
    submit,
    transferred_bytes,
)
from playwright.sync_api import Browser, Page


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 320 px phone. (Back, Change and Forward are plain links and form posts: the client tests in
    tests/test_question_urls.py walk them with no JavaScript at all; axe-core needs it on here.)"""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    disable_cache(page)
    yield page
    context.close()


def looks_right(page: Page, name: str) -> None:
    screenshot(page, f"journey-{name}-320")
    assert horizontal_overflow(page) == 0, name
    assert axe_violations(page) == [], name
    assert transferred_bytes(page) < PAGE_WEIGHT_LIMIT, (name, transferred_bytes(page))


def answer_page(page: Page) -> None:
    for name, value in CALM[page_id(page)]:
        page.check(f'input[name="{name}"][value="{value}"]')
    submit(page, "form[data-page] button[type=submit]")


def test_back_forward_change_and_starting_again_work_in_a_phone_browser(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/?lang=en")
    submit(phone, "button.button-start")
    urls = []
    for _ in range(3):
        assert re.fullmatch(rf"{re.escape(base_url)}/questions\?v=\d+", phone.url), phone.url
        urls.append(phone.url)
        answer_page(phone)
    assert page_id(phone) == "stiffness"
    looks_right(phone, "question")
    # The in-page Back button (a POST): the page before, as answered, at a new URL that names nothing.
    submit(phone, "form.back-form button")
    assert page_id(phone) == "symptoms" and phone.is_checked('input[name="symptoms"][value="stiffness"]')
    assert phone.url not in urls
    # Browser Back and Forward: the pages of those views again.
    phone.go_back()
    assert page_id(phone) == "stiffness"
    phone.go_back()
    assert page_id(phone) == "symptoms"
    phone.go_forward()
    assert page_id(phone) == "stiffness"
    while "/questions" in phone.url:
        answer_page(phone)
    assert phone.url.endswith("/check")
    looks_right(phone, "check")
    submit(phone, 'button[name="change"][value="health"]')  # "Change" (a POST) opens the page ...
    assert page_id(phone) == "health" and "/questions?v=" in phone.url
    submit(phone, "form[data-page] button[type=submit]")  # ... and saving goes back to check
    assert phone.url.endswith("/check")
    # The start page continues; "Start again" asks on a page first.
    phone.goto(f"{base_url}/")
    assert phone.inner_text("a.button-start") == "Continue where you left off"
    looks_right(phone, "start-in-progress")
    submit(phone, "form.actions button.button-secondary")
    assert phone.inner_text("h1") == "Clear your answers and start again?"
    looks_right(phone, "confirm-clear")
    submit(phone, "a.button-secondary")  # "No, keep my answers"
    assert phone.url.endswith("/check")


def test_the_cleared_page_and_the_results_save_button_look_right(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/questions?v=4")  # no session: the answers were cleared
    assert phone.inner_text("h1") == "Your answers were cleared"
    looks_right(phone, "cleared")
    phone.goto(f"{base_url}/questions?v=4&lang=es")
    assert phone.inner_text("h1") == "Sus respuestas se borraron"
    looks_right(phone, "cleared-es")
    phone.goto(f"{base_url}/?lang=en")
    submit(phone, "button.button-start")
    while "/questions" in phone.url:
        answer_page(phone)
    submit(phone, 'a.button[href$="/results"]')
    assert phone.locator("text=Save my answers (file)").count() == 1
    looks_right(phone, "results")


def test_staff_see_the_public_url_warning_and_the_spanish_poster(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/staff/clinics/example-uk?lang=en")
    assert phone.locator(".staff-warning").count() == 1
    screenshot(phone, "journey-staff-clinic-320")
    assert axe_violations(phone) == [] and horizontal_overflow(phone) == 0
    phone.goto(f"{base_url}/staff/clinics/example-uk/poster/a4?lang=es")
    assert phone.inner_text(".poster-link").endswith("/c/example-uk?lang=es")
    screenshot(phone, "journey-poster-es-320")
    assert axe_violations(phone) == []
