"""What the browser tests do to pages: answer them like a person, and measure what a person would notice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_WEIGHT_LIMIT = 30 * 1024

# Answers in page order, as (question, option) pairs in the order they appear on the page.
# A pump with warning signs, a brain injury and oral medicines: every question page is shown.
EMERGENCY = {
    "about": [("respondent", "self"), ("has_pump", "yes")],
    "pump": [("pump_medicine", "baclofen"), ("pump_symptoms", "itching"), ("pump_symptoms", "fever"),
             ("pump_recent_change", "yes")],
    "health": [("age_group", "age_18_64"), ("conditions", "brain_injury")],
    "brain-injury": [("brain_injury_when", "over_1_year")],
    "pump-care": [("pump_past_withdrawal", "no"), ("refill_arranger", "self"), ("refill_trip", "easy")],
    "symptoms": [("symptoms", "stiffness")],
    "stiffness": [("spasm_frequency", "3"), ("stiffness_severity", "8"), ("stiffness_helps", "no")],
    "impact": [("daily_impact", "walking")],
    "medicines": [("oral_medicines", "baclofen")],
    "medicine-effects": [("oral_medicines_effect", "does_not_help"), ("side_effects", "drowsiness"),
                         ("oral_medicines_now", "baclofen")],
    "treatments": [("other_treatments", "physical_therapy")],
    "safety": [("health_factors", "none")],
}
# A caregiver for someone with MS and no pump: results without emergency advice.
CALM = {
    "about": [("respondent", "caregiver"), ("has_pump", "no")],
    "health": [("age_group", "age_18_64"), ("conditions", "ms")],
    "symptoms": [("symptoms", "stiffness"), ("symptoms", "spasms"), ("ms_flare", "no")],
    "stiffness": [("spasm_frequency", "3"), ("stiffness_severity", "8"), ("stiffness_helps", "not_sure")],
    "impact": [("daily_impact", "walking"), ("goals", "moving")],
    "medicines": [("oral_medicines", "baclofen")],
    "medicine-effects": [("oral_medicines_effect", "does_not_help"), ("side_effects", "drowsiness"),
                         ("oral_medicines_now", "baclofen")],
    "treatments": [("other_treatments", "physical_therapy"), ("screening_before", "no")],
    "safety": [("health_factors", "none"), ("refill_visits", "yes")],
}


def page_id(page: Page) -> str:
    """The question page shown: it says so in its body (data-page); its URL (/questions?v=N) does not."""
    return str(page.get_attribute("form[data-page]", "data-page"))


def on_advice(page: Page) -> bool:
    """Whether the flow shows a warning sign's advice (emergency or urgent) in place of a page."""
    return page.locator("main section.advice").count() > 0


def continue_past_advice(page: Page) -> None:
    """Follow the advice's "Continue with the questions" link to the same page's questions."""
    with page.expect_navigation(wait_until="load"):
        page.click("main .actions a.button-secondary")


def answer(page: Page, answers: dict[str, list[tuple[str, str]]]) -> None:
    """Tick this question page's answers with the mouse and press Continue (going on past advice first)."""
    if on_advice(page):
        continue_past_advice(page)
    for name, value in answers[page_id(page)]:
        page.check(f'input[name="{name}"][value="{value}"]')
    submit(page)


def submit(page: Page, selector: str | None = None) -> None:
    """Click and wait until the next page has loaded, with its stylesheet.

    By default the question form's own button: a question page also has a Back form (a POST).
    """
    if selector is None:
        selector = ("form[data-page] button[type=submit]" if page.locator("form[data-page]").count()
                    else "form button[type=submit]")
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


def start(page: Page, base_url: str, language: str = "en") -> None:
    page.goto(f"{base_url}/?lang={language}")
    submit(page, "button.button-start")


def walk_to_results(page: Page, base_url: str, answers: dict[str, list[tuple[str, str]]], language: str = "en") -> None:
    start(page, base_url, language)
    while "/questions" in page.url:
        answer(page, answers)
    submit(page, 'a.button[href$="/results"]')


def axe_violations(page: Page) -> list[str]:
    """axe-core (bundled by axe-playwright-python, never fetched) against WCAG 2.2 AA; one line per problem."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results.response["violations"]]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def transferred_bytes(page: Page) -> int:
    """Bytes this page load moved over the network (HTML, CSS, JS, images), headers included.

    Call with the browser cache disabled (see disable_cache), so every file counts as on a first visit."""
    return int(page.evaluate("""() => {
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return entries.reduce((sum, entry) => sum + entry.transferSize, 0);
    }"""))


def disable_cache(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def focus_info(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
                value: el.getAttribute('value') || '', type: el.getAttribute('type') || '',
                text: (el.innerText || '').trim(), href: el.getAttribute('href') || ''};
    }"""))
