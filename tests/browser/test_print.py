"""The results page prints on one to three A4 or Letter pages, with what a person takes to their visit
(the clinician's box of their answers on top, emergency advice first of the guidance, the date, the rule set)
and without the site's navigation."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from browsing import CALM, EMERGENCY, walk_to_results
from playwright.sync_api import Page
from pypdf import PdfReader

from questionnaire import load_content
from questionnaire.i18n import localize

SCREEN_ONLY = [".site-header", ".skip-link", ".site-footer", "form[action$='/start-over']",
               "a[href$='/check']", ".download"]


def _printout(page: Page, paper: str) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    return len(reader.pages), " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


@pytest.mark.parametrize("answers", [EMERGENCY, CALM], ids=["with-emergency", "without-emergency"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_results_print_on_one_to_three_pages_with_what_to_bring(page: Page, base_url: str, answers, paper: str) -> None:
    walk_to_results(page, base_url, answers)
    pages, text = _printout(page, paper)
    assert 1 <= pages <= 3, f"{pages} {paper} pages"
    label = load_content().ruleset.label
    assert label in text, "the rule set version"
    today = date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text, "the date"
    assert ("Call 911 now" in text) is (answers is EMERGENCY)
    if answers is EMERGENCY:
        assert text.index("Call 911 now") < text.index("Your results"), "emergency advice comes first"
    assert text.index("For your clinician") < text.index("Your results"), "the clinician's box is on top"
    # No goals chosen: "write them down"; goals chosen (the caregiver): "bring the goals you chose".
    goals_card = "Write down what you want to be easier" if answers is EMERGENCY else "Bring the goals you chose"
    assert "Bring these up at" in text and goals_card in text, "the guidance"
    assert "Spasm frequency (PSFS 0-4) 3 out of 4" in text and "Oral medicines" in text, "the answers"
    for screen_only in ("Skip to main content", "Start over", "Change my answers", "Save my answers", "Español",
                        "What to bring to"):
        assert screen_only not in text, screen_only


def test_print_styles_hide_navigation_and_keep_the_banner(page: Page, base_url: str) -> None:
    walk_to_results(page, base_url, EMERGENCY)
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        assert not page.locator(selector).first.is_visible(), selector
    for selector in (".emergency-banner", ".level-discuss", ".bring .summary", ".questions", ".write"):
        assert page.locator(selector).first.is_visible(), selector


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_about_page_prints_readably_with_its_drawing_and_the_sources_addresses(page: Page, base_url: str,
                                                                                   language: str) -> None:
    page.goto(f"{base_url}/about?lang={language}")
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".skip-link", ".actions"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("figure svg").bounding_box()["width"] > 50, "the drawing prints"  # type: ignore[index]
    pages, text = _printout(page, "A4")
    text = unicodedata.normalize("NFKC", text)  # the PDF's "ﬁ" ligatures read as "fi"
    assert 2 <= pages <= 8, f"{pages} A4 pages"
    about = load_content().info_pages["about"]
    localized = localize(load_content(), language).info_pages["about"]
    assert localized.title in text
    for section in localized.sections:
        assert section.heading in text, section.heading
    assert "pubmed.ncbi.nlm.nih.gov/27434197" in text.replace(" ", ""), "printed sources show where to find them"
    assert len(about.references) >= 10
