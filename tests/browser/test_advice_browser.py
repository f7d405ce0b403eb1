"""In Chromium at 320 px, JavaScript on and off: a warning sign reported on the pump page is answered at once.

The page right after the pump page is the emergency advice ("Call 911 now" with a tel: link and the
guidance the results give), axe-clean and not wider than the phone; "Continue with the questions"
goes on, and every later page carries a reminder with the tel: link at the top, until the results.
"""

from __future__ import annotations

import re

import pytest
from browsing import (
    EMERGENCY,
    answer,
    axe_violations,
    continue_past_advice,
    horizontal_overflow,
    on_advice,
    page_id,
    screenshot,
    start,
    submit,
)
from playwright.sync_api import Browser

PEOPLE = {
    "baclofen-pump-itching-fever": {**EMERGENCY},
    "caregiver-slow-breathing": {**EMERGENCY, "about": [("respondent", "caregiver"), ("has_pump", "yes")],
                                 "pump": [("pump_medicine", "pain_medicine"), ("pump_symptoms", "slow_breathing"),
                                          ("pump_recent_change", "no")],
                                 # a pain pump: no baclofen-withdrawal question
                                 "pump-care": [("refill_arranger", "self"), ("refill_trip", "easy")]},
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("who", list(PEOPLE))
def test_the_emergency_advice_comes_right_after_the_pump_page_then_a_reminder(browser: Browser, base_url: str,
                                                                               who: str, javascript: bool) -> None:
    answers = PEOPLE[who]
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        start(page, base_url)
        answer(page, answers)  # about
        assert page_id(page) == "pump"
        answer(page, answers)  # the signs
        assert on_advice(page), page.url  # the very next view, in place of the health page
        assert re.fullmatch(r".*/questions\?v=\d+", page.url), page.url  # the one question URL: it names no page
        heading = page.locator("main h1")
        assert heading.inner_text().endswith("Call 911 now")
        assert heading.locator("a[href='tel:911']").is_visible()
        advice_cards = page.locator("main .guidance-emergency").all_inner_texts()
        assert advice_cards and page.locator("main form[data-page]").count() == 0  # no questions until they go on
        if javascript:  # axe and layout checks run scripts in the page; the same HTML is checked with JS on
            assert horizontal_overflow(page) == 0 and axe_violations(page) == []
        screenshot(page, f"advice-{who}-{'js' if javascript else 'nojs'}-320")
        continue_past_advice(page)
        assert page_id(page) == "health"
        later = 0
        while "/questions" in page.url:
            assert not on_advice(page), f"the advice showed twice, at {page.url}"
            reminder = page.locator("main .advice-reminder-emergency")
            assert reminder.is_visible() and reminder.locator("a[href='tel:911']").is_visible(), page.url
            box, title = reminder.bounding_box(), page.locator("main h1").bounding_box()
            assert box and title and box["y"] < title["y"], "the reminder sits at the top"
            if javascript:
                assert page.evaluate("getComputedStyle(document.querySelector('.advice-reminder')).position") == "static"
            if javascript and later < 2:
                assert horizontal_overflow(page) == 0 and axe_violations(page) == [], page.url
            later += 1
            answer(page, answers)
        assert later >= 5 and page.url.endswith("/check")
        assert page.locator("main .advice-reminder-emergency a[href='tel:911']").is_visible()
        submit(page, 'a.button[href$="/results"]')
        assert page.locator(".advice-reminder").count() == 0
        assert page.locator(".emergency-banner .guidance-emergency").all_inner_texts() == advice_cards
    finally:
        context.close()
