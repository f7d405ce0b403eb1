"""The results on a phone and on paper (issue 15 items 3 and 4), in English and Spanish.

On screen: a count summary first, emergency and urgent advice and the print button above the
disclaimer, "Why you're seeing this" folded in a native <details> that opens by keyboard and
without JavaScript, the emergency number a tel: link, the questions to ask; axe-core clean and no
sideways scrolling at 320 and 1280 px; the heaviest page (Spanish, caregiver, clinic, emergency)
under 30 KB. On paper (Chromium's print to PDF, read with pypdf): the clinician box on page 1,
and the form's name, the date and "Page N of M" on every page.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from babel.dates import format_date
from browsing import (
    EMERGENCY,
    PAGE_WEIGHT_LIMIT,
    answer,
    axe_violations,
    disable_cache,
    horizontal_overflow,
    screenshot,
    submit,
    transferred_bytes,
)
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from questionnaire import load_content

CAREGIVER_EMERGENCY = {**EMERGENCY, "about": [("respondent", "caregiver"), ("has_pump", "yes")]}
WORDS = {
    "en": {"form": "Pump therapy: prepare for your visit", "box": "For your clinician", "results": "Your results",
           "page": "Page {} of {}", "why": "Why you're seeing this", "call": "Call 999 now",
           "summary": r"^1 thing to do now, 1 thing to do today, (\d+) things to talk about, (\d+) things good to know\.$",
           "questions": "Questions to ask"},
    "es": {"form": "Terapia con bomba: prepárese para su cita", "box": "Para su equipo de salud",
           "results": "Sus resultados", "page": "Página {} de {}", "why": "Por qué ve esto", "call": "Llame al 999 ahora",
           "summary": r"^1 cosa que hacer ahora, 1 cosa que hacer hoy, (\d+) cosas de las que hablar, "
                      r"(\d+) cosas que es bueno saber\.$",
           "questions": "Preguntas para hacer"},
}


def _to_results(page: Page, base_url: str, language: str) -> None:
    """Through the UK example clinic's link (number 999), as a caregiver, with baclofen withdrawal signs."""
    page.goto(f"{base_url}/c/example-uk?lang={language}")
    submit(page, "button.button-start")
    while "/questions" in page.url:
        answer(page, CAREGIVER_EMERGENCY)
    disable_cache(page)  # the results are weighed as on a first visit
    submit(page, 'a.button[href$="/results"]')


def _pdf_pages(page: Page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_heaviest_results_read_well_on_a_phone_and_a_desktop(page: Page, base_url: str, language: str) -> None:
    words = WORDS[language]
    page.set_viewport_size({"width": 320, "height": 800})
    _to_results(page, base_url, language)
    weight = transferred_bytes(page)
    print(f"results {language} caregiver clinic emergency: {weight} bytes")
    assert 2000 < weight < PAGE_WEIGHT_LIMIT, weight
    main = page.locator("main")
    # First the emergency, then the count summary, then the print button above the disclaimer.
    assert page.locator(".emergency-banner h2").inner_text().endswith(words["call"])
    summary = page.locator("main p.lead").inner_text()
    found = re.match(words["summary"], summary)
    assert found, summary
    assert int(found.group(1)) == page.locator(".level-discuss .guidance").count()
    assert int(found.group(2)) == page.locator(".level-info .guidance").count()
    order = page.evaluate("""() => ['.emergency-banner', 'p.lead', '[data-print]', '.disclaimer', '.level-discuss']
        .map(s => document.querySelector(s)).map(el => [...document.querySelectorAll('main *')].indexOf(el))""")
    assert -1 not in order and order == sorted(order), order
    # The number is a link wherever the results show it.
    calls = main.locator('a[href="tel:999"]')
    assert calls.count() >= 4, calls.count()  # the heading, the card, the warning-signs card, the clinic card
    assert "999" not in re.sub(r'<a href="tel:999">999</a>', "", main.inner_html().split('id="bring"')[0])
    # Reasons are folded; the questions to ask are listed.
    reasons = main.locator(".guidance details")
    assert reasons.count() == page.locator(".guidance").count() - 1 or reasons.count() >= 8
    assert not reasons.first.locator("li").first.is_visible()
    assert reasons.first.locator("summary").inner_text() == words["why"]
    assert page.locator("#questions").inner_text() == words["questions"]
    assert page.locator(".questions li").count() >= 5
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert horizontal_overflow(page) == 0, width
        screenshot(page, f"{language}-results-caregiver-clinic-emergency-{width}")
    assert axe_violations(page) == []
    assert not page.locator(".write").first.is_visible()  # the lines to write on are for paper


@pytest.mark.parametrize("language", ["en", "es"])
def test_why_you_are_seeing_this_opens_by_keyboard(page: Page, base_url: str, language: str) -> None:
    _to_results(page, base_url, language)
    first = page.locator(".guidance details").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("document.activeElement.parentElement.open") is False
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    assert first.locator("li").first.is_visible()
    assert axe_violations(page) == []  # opened, too


def test_without_javascript_the_reasons_still_open_and_the_page_says_how_to_print(browser: Browser,
                                                                                  base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        _to_results(page, base_url, "es")
        assert not page.locator("[data-print]").is_visible()
        assert "menú Imprimir" in page.locator("main").inner_text()
        reasons = page.locator(".guidance details").first
        reasons.locator("summary").click()
        assert reasons.locator("li").first.is_visible()
        screenshot(page, "es-results-no-js-320")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_printout_starts_with_the_clinician_box_and_numbers_every_page(page: Page, base_url: str,
                                                                           language: str) -> None:
    words = WORDS[language]
    _to_results(page, base_url, language)
    pages = _pdf_pages(page)
    content = load_content()
    # The UK example clinic: English dates are written the UK way (1 December 2026); Spanish its own way.
    today = format_date(date.today(), "long", locale="en_GB" if language == "en" else language)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert words["form"] in text, (number, text[:200])
        assert words["page"].format(number, len(pages)) in text, (number, text[:200])
        assert today in text, (number, text[:200])
    first = pages[0]
    box = first.index(words["box"])
    assert box < first.index(words["call"]) < first.index(words["results"]), first[:600]
    facts = first[box:first.index(words["call"])]
    assert content.ruleset.label in facts and "PSFS" in facts and "8 " in facts, facts
    assert ("Caregiver" in facts or "caregiver" in facts or "cuidador" in facts), facts
    assert words["questions"] in " ".join(pages)
    for screen_only in ("Skip to main content", "Saltar al contenido", "Start over", "Empezar de nuevo"):
        assert screen_only not in " ".join(pages), screen_only
