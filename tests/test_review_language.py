"""Review pages in Spanish are Spanish throughout: conditions are worded with the translated questions."""

from __future__ import annotations

from html import escape

from flask import Flask

from questionnaire.i18n import localize


def test_every_rule_page_in_spanish_words_its_condition_with_spanish_questions(app: Flask) -> None:
    loaded = app.extensions["questionnaire"].content
    spanish = localize(loaded, "es").questionnaire.by_id
    client = app.test_client()
    checked = 0
    for rule in loaded.ruleset.rules:
        page = client.get(f"/review/rules/{rule.id}?lang=es").get_data(as_text=True)
        for question_id in rule.when.question_ids() if rule.when is not None else ():
            english, translated = loaded.questionnaire.by_id[question_id].text, spanish[question_id].text
            if english == translated:
                continue
            assert escape(english, quote=False) not in page, (rule.id, english)
            assert escape(translated, quote=False) in page, (rule.id, translated)
            checked += 1
    assert checked > 50  # every rule reads at least one translated question


def test_the_questionnaire_review_page_in_spanish_words_branching_in_spanish(app: Flask) -> None:
    loaded = app.extensions["questionnaire"].content
    page = app.test_client().get("/review/questionnaire?lang=es").get_data(as_text=True)
    has_pump = loaded.questionnaire.by_id["has_pump"]
    assert escape(has_pump.text, quote=False) not in page  # not even where pump questions' branching names it
    assert escape(localize(loaded, "es").questionnaire.by_id["has_pump"].text, quote=False) in page
