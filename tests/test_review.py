"""The staff review pages: find any rule, read when it shows in words, see reviews, scenarios, lint and proofs."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from app import StartupError, create_app
from questionnaire import load_content
from tests.conftest import FIXTURES

REVIEW = FIXTURES / "review"
PAGES = ["/review/", "/review/rules/pump-itch-or-fever", "/review/questions/has_pump", "/review/questionnaire",
         "/review/invariants", "/review/scenarios", "/review/safety-case"]


def review_client(directory: Path = REVIEW, **config: Any) -> FlaskClient:
    app = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(directory), **config})
    return app.test_client()


def text_of(page: bytes) -> str:
    """What a person reads: the main content without tags, whitespace collapsed."""
    main = page.decode().split('<main', 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])).split())


def row_for(page: bytes, rule_id: str) -> str:
    """The index table row that links to one rule, as text."""
    rows = re.findall(r"<tr>.*?</tr>", page.decode(), flags=re.S)
    found = [row for row in rows if f'href="/review/rules/{rule_id}"' in row]
    assert len(found) == 1, rule_id
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


@pytest.fixture
def client() -> FlaskClient:
    return review_client()


def test_a_reviewer_finds_every_rule_from_the_index_and_reads_when_it_shows_without_yaml(client: FlaskClient) -> None:
    index = client.get("/review/")
    assert index.status_code == 200
    content = load_content(REVIEW)
    rules = [*content.ruleset.rules, content.ruleset.fallback]
    for rule in rules:
        assert rule is not None
        assert f'href="/review/rules/{rule.id}"' in index.text
        page = client.get(f"/review/rules/{rule.id}")
        assert page.status_code == 200
        words = text_of(page.data)
        assert "Shown when" in words and rule.title in words and rule.rationale in words
        for yaml_word in ("includes_any", "one_of", "at_least", "{question", "question:", "all:", "equals"):
            assert yaml_word not in words, (rule.id, yaml_word)
    assert "Shown when: answered “Yes” to “Do you have a medicine pump in your body now?”, and chose any of " \
           "“Itching all over with no rash” or “A fever or feeling very hot” for “Right now or in the past day, have " \
           "you had any of these?”." in text_of(client.get("/review/rules/pump-itch-or-fever").data)


def test_index_groups_rules_by_level_then_topic(client: FlaskClient) -> None:
    words = text_of(client.get("/review/").data)
    order = [words.index(heading) for heading in
             ("Emergency rules", "Emergency signs", "Discuss rules", "Pump therapy evaluation", "Good to know rules",
              "Medicine review", "Goals and function", "General")]
    assert order == sorted(order)


def test_rule_page_shows_guidance_references_and_review_record(client: FlaskClient) -> None:
    page = client.get("/review/rules/pump-itch-or-fever")
    words = text_of(page.data)
    assert "Call 911 now." in words  # as a patient sees it, with the emergency number filled in
    assert '<a href="https://example.org/gablofen" rel="noreferrer">Gablofen prescribing information 5.5</a>' in page.text
    for expected in ("Owner Pump clinic", "Reviewed by Dr Rivera", "Reviewed on January 15, 2020",
                     "tests/fixtures/review/rules/rules.yaml:2"):
        assert expected in words


def test_nested_conditions_are_shown_as_an_outline(client: FlaskClient) -> None:
    page = client.get("/review/rules/severe-stiffness")
    words = text_of(page.data)
    assert "Shown when all of these: answered 7 or more (out of 10)" in words
    assert "at least one of these: chose any of “Baclofen” or “Tizanidine”" in words
    assert "did not answer “No” or “I am not sure” to “Do you have a medicine pump in your body now?”" in words
    assert page.text.count("<ul class=\"clauses\">") == 2


def test_filter_works_without_javascript_and_matches_every_word(client: FlaskClient) -> None:
    seizure = client.get("/review/?q=seizure")
    assert 'href="/review/rules/pump-seizure"' in seizure.text
    assert 'href="/review/rules/pump-itch-or-fever"' not in seizure.text
    assert "1 of 6 rules match “seizure”." in text_of(seizure.data)
    assert 'value="seizure"' in seizure.text  # the box keeps what was typed
    both = client.get("/review/?q=Stiffness+Rehab")  # title word and owner, any case
    assert {m for m in re.findall(r'href="/review/rules/([\w-]+)"', both.text)} == {"severe-stiffness", "mild-stiffness"}
    by_condition = client.get("/review/?q=tizanidine")  # words of the condition, not only the title
    assert re.findall(r'href="/review/rules/([\w-]+)"', by_condition.text) == ["severe-stiffness"]
    nothing = client.get("/review/?q=zzz+nothing")
    assert "No rule matches." in text_of(nothing.data)
    script = client.get("/review/?q=<script>alert(1)</script>")
    assert "<script>alert(1)" not in script.text and "&lt;script&gt;" in script.text


def test_overdue_badge_for_a_review_older_than_the_setting_and_not_for_a_recent_one(
        content_dir: Callable[..., Path]) -> None:
    today = date.today().isoformat()
    recent = content_dir({"rules/rules.yaml": ('reviewed_on: "2020-01-15"', f'reviewed_on: "{today}"')}, base="review")
    client = review_client(recent)
    assert "Overdue" not in row_for(client.get("/review/").data, "pump-itch-or-fever")
    assert "Overdue" not in text_of(client.get("/review/rules/pump-itch-or-fever").data)

    old = review_client()
    assert "Overdue" in row_for(old.get("/review/").data, "pump-itch-or-fever")
    assert "Overdue" in text_of(old.get("/review/rules/pump-itch-or-fever").data)
    assert "More than 12 months ago: due for review." in text_of(old.get("/review/rules/pump-itch-or-fever").data)


def test_overdue_months_is_a_setting(content_dir: Callable[..., Path]) -> None:
    three_months_ago = (date.today() - timedelta(days=92)).isoformat()
    directory = content_dir({"rules/rules.yaml": ('reviewed_on: "2020-01-15"', f'reviewed_on: "{three_months_ago}"')},
                            base="review")
    assert "Overdue" not in row_for(review_client(directory).get("/review/").data, "pump-itch-or-fever")
    strict = review_client(directory, REVIEW_OVERDUE_MONTHS="2")
    assert "Overdue" in row_for(strict.get("/review/").data, "pump-itch-or-fever")
    assert "More than 2 months ago" in text_of(strict.get("/review/rules/pump-itch-or-fever").data)


def test_question_page_lists_options_and_every_rule_and_show_if_reading_it(client: FlaskClient) -> None:
    page = client.get("/review/questions/has_pump")
    words = text_of(page.data)
    assert "Do you have a medicine pump in your body now?" in words and "Always asked." in words
    for code in ("yes", "no", "not_sure"):
        assert f"<code>{code}</code>" in page.text
    assert 'href="/review/questions/pump_symptoms"' in page.text  # its show_if reads has_pump
    assert 'href="/review/rules/pump-itch-or-fever"' in page.text
    assert 'href="/review/rules/severe-stiffness"' in page.text
    assert 'href="/review/rules/mild-stiffness"' not in page.text
    assert "did not answer “No” or “I am not sure”" in words  # the not around it is kept
    branched = text_of(client.get("/review/questions/pump_symptoms").data)
    assert "Asked only when: answered “Yes” to “Do you have a medicine pump in your body now?”" in branched
    assert "No rule or show_if reads this question." in text_of(client.get("/review/questions/unread").data)


def test_whole_questionnaire_in_order_with_its_branching(client: FlaskClient) -> None:
    words = text_of(client.get("/review/questionnaire").data)
    content = load_content(REVIEW)
    positions = [words.index(question.text) for question in content.questionnaire.questions]
    assert positions == sorted(positions)
    assert "Page 2: Your pump" in words
    assert "Asked only when: answered “Yes” to “Do you have a medicine pump in your body now?”" in words


def test_scenarios_lint_findings_and_proofs_are_shown(client: FlaskClient) -> None:
    rule = text_of(client.get("/review/rules/pump-seizure").data)
    assert "A pump user who had a seizure with a fever should call for help at once. Passes" in rule
    assert "A person without a pump" not in rule
    old = text_of(client.get("/review/rules/pump-itch-or-fever").data)
    assert "Warning" in old and "2020-01-15" in old  # lint's review-date finding
    fallback = text_of(client.get("/review/rules/talk").data)
    assert "No scenario shows this rule." in fallback
    index = text_of(client.get("/review/").data)
    assert "4 example patients (scenarios), 0 failing" in index
    assert "1 of 2 safety checks proven" in index
    proofs = text_of(client.get("/review/invariants").data)
    assert "Whenever a pump user reports a seizure with a fever, the highest level is emergency. seizure-is-emergency" \
           in proofs
    assert "Proven This holds for every possible set of answers." in proofs
    broken = proofs.split("seizure-alone-is-emergency", 1)[1]
    assert "Not true These answers break it:" in broken
    assert "Right now or in the past day, have you had any of these? A seizure" in broken


def test_a_broken_scenario_file_is_named_on_the_pages(content_dir: Callable[..., Path]) -> None:
    directory = content_dir({"scenarios/people.yaml": ("includes: [pump-itch-or-fever]", "includes: [no-such-rule]")},
                            base="review")
    words = text_of(review_client(directory).get("/review/").data)
    assert "a scenario or safety check file has errors" in words
    assert "people.yaml" in words and "no-such-rule" in words


@pytest.mark.parametrize("url", ["/review/rules/no-such-rule", "/review/questions/no_such_question"])
def test_unknown_ids_get_a_friendly_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and "Page not found" in response.text


@pytest.mark.parametrize("url", PAGES)
def test_access_off_hides_every_review_page(url: str) -> None:
    assert review_client(REVIEW_ACCESS="off").get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_access_password_needs_the_staff_password(url: str) -> None:
    client = review_client(REVIEW_ACCESS="password",
                           REVIEW_PASSWORD_HASH=generate_password_hash("correct horse", method="pbkdf2:sha256:1000"))

    def basic(password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"staff:{password}".encode()).decode()}

    missing = client.get(url)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Basic")
    assert "Staff password needed" in missing.text
    assert client.get(url, headers=basic("wrong")).status_code == 401
    allowed = client.get(url, headers=basic("correct horse"))
    assert allowed.status_code == 200
    assert allowed.headers["Cache-Control"] == "no-store"
    assert client.get("/").status_code == 200  # the patient pages stay open


@pytest.mark.parametrize(("config", "message"), [
    ({"REVIEW_ACCESS": "sometimes"}, "REVIEW_ACCESS is 'sometimes'"),
    ({"REVIEW_ACCESS": "password"}, "REVIEW_PASSWORD_HASH is not a password hash"),
    ({"REVIEW_ACCESS": "password", "REVIEW_PASSWORD_HASH": "plain-text-password"}, "not a password hash"),
    ({"REVIEW_OVERDUE_MONTHS": "a year"}, "REVIEW_OVERDUE_MONTHS is 'a year'"),
    ({"REVIEW_OVERDUE_MONTHS": "0"}, "REVIEW_OVERDUE_MONTHS is '0'"),
])
def test_wrong_review_settings_stop_the_app_with_a_clear_message(config: dict[str, str], message: str) -> None:
    with pytest.raises(SystemExit, match=re.escape(message)) as stopped:
        create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(REVIEW), **config})
    assert not isinstance(stopped.value, StartupError) or "Cannot start" in str(stopped.value)


def test_every_shipped_rule_has_a_review_page_in_words(app: Any) -> None:
    client = app.test_client()
    index = client.get("/review/")
    assert index.status_code == 200
    for rule_id in re.findall(r'href="/review/rules/([\w-]+)"', index.text):
        words = text_of(client.get(f"/review/rules/{rule_id}").data)
        assert "Shown when" in words and "{question" not in words
    for question in load_content().questionnaire.questions:
        assert client.get(f"/review/questions/{question.id}").status_code == 200
