"""The results page's first lines and its print stylesheet, through the real app (issue 15 items 3 and 4)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import ngettext

from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete

PLURALS = {
    "en": {1: ["1 thing to do now", "1 thing to do today", "1 thing to talk about", "1 thing good to know"],
           4: ["4 things to do now", "4 things to do today", "4 things to talk about", "4 things good to know"]},
    "es": {1: ["1 cosa que hacer ahora", "1 cosa que hacer hoy", "1 cosa de la que hablar", "1 cosa que es bueno saber"],
           4: ["4 cosas que hacer ahora", "4 cosas que hacer hoy", "4 cosas de las que hablar",
               "4 cosas que es bueno saber"]},
}
MSGIDS = [("%(num)d thing to do now", "%(num)d things to do now"),
          ("%(num)d thing to do today", "%(num)d things to do today"),
          ("%(num)d thing to talk about", "%(num)d things to talk about"),
          ("%(num)d thing good to know", "%(num)d things good to know")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_count_summary_has_the_right_plural_in_each_language(app: Flask, language: str) -> None:
    for count, expected in PLURALS[language].items():
        with app.test_request_context(f"/results?lang={language}"):
            app.preprocess_request()
            assert [ngettext(one, many, count) for one, many in MSGIDS] == expected


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_results_open_with_the_counts_of_what_they_hold(client, language: str) -> None:
    client.get(f"/?lang={language}")
    complete(client, NO_PUMP_MS)
    html = client.get("/results").get_data(as_text=True)
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)  # type: ignore[union-attr]
    talk = html.count('class="guidance guidance-discuss"')
    know = html.count('class="guidance guidance-info"')
    with client.application.test_request_context(f"/results?lang={language}"):
        client.application.preprocess_request()
        parts = [ngettext(*MSGIDS[2], talk) if talk else None, ngettext(*MSGIDS[3], know) if know else None]
    assert lead == ", ".join(p for p in parts if p) + ".", lead
    assert html.index('class="lead"') < html.index('class="disclaimer"') < html.index("level-discuss")


def test_emergency_first_then_counts_then_the_print_button_above_the_disclaimer(client) -> None:
    complete(client, PUMP_EMERGENCY)
    html = client.get("/results").get_data(as_text=True)
    marks = ['class="emergency-banner"', 'class="lead"', "data-print", 'class="disclaimer"', 'id="questions"', 'id="bring"']
    assert [html.index(mark) for mark in marks] == sorted(html.index(mark) for mark in marks)
    assert html.count("<details><summary>Why you're seeing this</summary>") >= 3  # folded, each card's reasons
    assert "<details open" not in html


@pytest.mark.parametrize(("language", "form", "page_of"), [
    ("en", "Pump therapy: prepare for your visit", '"Page " counter(page) " of " counter(pages)'),
    ("es", "Terapia con bomba: prepárese para su cita", '"Página " counter(page) " de " counter(pages)'),
])
def test_the_print_stylesheet_numbers_the_pages_in_the_persons_language(client, language, form, page_of) -> None:
    client.get(f"/?lang={language}")
    response = client.get("/results/print.css")
    css = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "no-store"
    assert f'@top-left {{ content: "{form}";' in css and page_of in css
    complete(client, NO_PUMP_MS)
    assert '<link rel="stylesheet" href="/results/print.css" media="print">' in client.get("/results").get_data(as_text=True)
