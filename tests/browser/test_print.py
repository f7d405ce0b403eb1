"""The results page prints on one or two A4 or Letter pages, with what a person takes to their visit
(emergency advice first, the guidance, their answers, the date, the rule set) and without the site's navigation."""

from __future__ import annotations

import io
from datetime import date

import pytest
from browsing import CALM, EMERGENCY, walk_to_results
from playwright.sync_api import Page
from pypdf import PdfReader

from questionnaire import load_content

SCREEN_ONLY = [".site-header", ".skip-link", ".site-footer", "form[action$='/start-over']",
               "a[href$='/check']", ".download"]


def _printout(page: Page, paper: str) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    return len(reader.pages), " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


@pytest.mark.parametrize("answers", [EMERGENCY, CALM], ids=["with-emergency", "without-emergency"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_results_print_on_one_or_two_pages_with_what_to_bring(page: Page, base_url: str, answers, paper: str) -> None:
    walk_to_results(page, base_url, answers)
    pages, text = _printout(page, paper)
    assert 1 <= pages <= 2, f"{pages} {paper} pages"
    label = load_content().ruleset.label
    assert label in text, "the rule set version"
    today = date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text, "the date"
    assert ("Call 911 now" in text) is (answers is EMERGENCY)
    if answers is EMERGENCY:
        assert text.index("Call 911 now") < text.index("Your results"), "emergency advice comes first"
    assert "Bring these up at" in text and "Write down what you want to be easier" in text, "the guidance"
    assert "What to bring to" in text and "medicine pump in" in text, "the answers"
    for screen_only in ("Skip to main content", "Start over", "Change my answers", "Download my answers", "Español"):
        assert screen_only not in text, screen_only


def test_print_styles_hide_navigation_and_keep_the_banner(page: Page, base_url: str) -> None:
    walk_to_results(page, base_url, EMERGENCY)
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        assert not page.locator(selector).first.is_visible(), selector
    for selector in (".emergency-banner", ".level-discuss", ".bring .summary", ".meta"):
        assert page.locator(selector).first.is_visible(), selector
