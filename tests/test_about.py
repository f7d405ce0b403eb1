"""/about through the real app: every IPDAS section in English and Spanish, sources as links, the page's
facts, and links to it from the start, question and results pages."""

from __future__ import annotations

from html import escape

import pytest
from flask.testing import FlaskClient

from questionnaire.i18n import localize
from questionnaire.pages import page_strings
from tests.webflow import NO_PUMP_MS, at, complete


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def about_html(client: FlaskClient, language: str) -> str:
    response = client.get(f"/about?lang={language}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_section_and_every_text_is_on_the_page_in_its_language(client, content, language):
    html = about_html(client, language)
    page = localize(content, language).info_pages["about"]
    assert f'<html lang="{language}">' in html
    for section in page.sections:
        assert f'<section id="{section.id}">' in html, section.id
    absent = [key for key, text in page_strings(page) if escape(text, quote=False) not in html]
    assert not absent, absent
    assert f"<h1>{escape(page.title)}</h1>" in html


def test_each_ipdas_criterion_is_met_by_a_section_on_the_page(client, content, language):
    html = about_html(client, language)
    for section in content.info_pages["about"].sections:
        if section.ipdas:
            start = html.index(f'<section id="{section.id}">')
            body = html[start:html.index("</section>", start)]
            assert len(body) > 200, section.id  # a heading and real content


def test_benefits_and_risks_sit_side_by_side_with_the_same_number_of_points(client, language):
    html = about_html(client, language)
    benefits = html.split('<div class="side side-benefits">', 1)[1].split("</div>", 1)[0]
    risks = html.split('<div class="side side-risks">', 1)[1].split("</div>", 1)[0]
    assert benefits.count("<li>") == risks.count("<li>") >= 5


def test_every_option_card_answers_the_same_five_questions(client, content, language):
    html = about_html(client, language)
    options = html.split('<div class="options">', 1)[1].split("</div>", 1)[0]
    cards = options.split("<article>")[1:]
    block = next(b for s in content.info_pages["about"].sections for b in s.blocks if b.kind == "options")
    assert len(cards) == len(block.options) >= 10
    assert all(card.count("<dt>") == card.count("<dd>") == 5 for card in cards)


def test_references_are_links_and_makers_are_marked(client, content, language):
    html = about_html(client, language)
    references = content.info_pages["about"].references
    for reference in references:
        assert f'<a href="{escape(reference.url)}">{escape(reference.title)}</a>' in html, reference.id
    marker = "(maker)" if language == "en" else "(fabricante)"
    assert html.count(marker) == sum(ref.maker for ref in references) > 0


def test_the_page_says_when_it_was_reviewed_how_often_who_wrote_it_who_paid_and_that_no_clinician_has_yet(
        client, content, language):
    html = about_html(client, language)
    page = localize(content, language).info_pages["about"]
    assert f'<time datetime="{page.last_reviewed.isoformat()}">' in html
    assert ("Every 12 months" if language == "en" else "Cada 12 meses") in html
    assert escape(page.written_by, quote=False) in html and escape(page.funding, quote=False) in html
    pending = "Not yet." if language == "en" else "Todavía no."
    assert pending in html


def test_a_clinical_sign_off_in_the_content_shows_instead_of_pending(tmp_path):
    import shutil

    from app import create_app
    from questionnaire.loader import DEFAULT_CONTENT_DIR

    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    about = target / "pages" / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "review_every_months: 12\n", 'review_every_months: 12\nclinical_review: {by: "Dr A. Example", on: "2026-12-02"}\n'),
        encoding="utf-8")
    app = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(target)})
    html = app.test_client().get("/about?lang=en").get_data(as_text=True)
    assert "Dr A. Example, December 2, 2026" in html and "Not yet." not in html


def test_the_drawing_is_inline_named_in_the_page_language_and_described_in_text(client, content, language):
    html = about_html(client, language)
    figure = next(b for s in localize(content, language).info_pages["about"].sections for b in s.blocks
                  if b.kind == "figure")
    assert f'<svg role="img" aria-label="{escape(figure.text)}"' in html
    assert "<title" not in html.split("<svg", 1)[1].split("</svg>", 1)[0], "no English title left inside"
    assert html.count("<figcaption>") == 1 and all(escape(item, quote=False) in html for item in figure.items)


def test_start_question_and_results_pages_link_to_about(client):
    start = client.get("/").get_data(as_text=True)
    assert 'href="/about"' in start.split("<footer", 1)[0], "the start page's own text links to it"
    client.post("/start")
    question = client.get(at(client, "about")).get_data(as_text=True)
    assert 'href="/about"' in question.split("<footer", 1)[1], "every question page's footer"
    complete(client, NO_PUMP_MS)
    results = client.get("/results").get_data(as_text=True)
    assert "<h1>Your results</h1>" in results
    assert 'href="/about"' in results.split("<footer", 1)[0], "the results page's own text"


def test_no_about_page_in_the_content_is_a_plain_404(tmp_path):
    from app import create_app
    from tests.conftest import FIXTURES

    app = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(FIXTURES / "minimal")})
    assert app.test_client().get("/about").status_code == 404
