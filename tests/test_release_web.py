"""What patients and clinics see of the release state: a draft notice until the content is approved, then the release."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app import StartupError, create_app
from questionnaire import load_content
from tests.conftest import FIXTURES
from tests.webflow import NO_PUMP_MS, PUMP_EMERGENCY, complete

ROOT = Path(__file__).resolve().parents[1]
RELEASED = FIXTURES / "released"
RELEASED_ANSWERS = {"about": {"has_pump": "yes"}, "pump": {"pump_symptoms": ["seizure", "fever"]},
                    "stiffness": {"stiffness_severity": "8", "medicines": ["baclofen"], "unread": "yes"}}
NOTICE = 'id="draft-notice"'


def notices(html: str) -> int:
    return html.count(NOTICE)


def every_patient_page(client: FlaskClient, answers: dict, start_at: str = "/") -> list[str]:
    visited = complete(client, answers, start_at=start_at)
    return [*visited, "/check", "/results", "/questions/no-such-page"]


@pytest.mark.parametrize(("answers", "start_at"), [(PUMP_EMERGENCY, "/"), (NO_PUMP_MS, "/c/example-uk")],
                         ids=["pump-emergency", "clinic-link"])
def test_the_draft_notice_shows_on_every_patient_page_with_the_shipped_content(
        client: FlaskClient, answers: dict, start_at: str) -> None:
    pages = [url for url in every_patient_page(client, answers, start_at) if url != "/start"]
    assert len(pages) >= 9
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert notices(html) == 1, url
        assert "The clinical team has not yet reviewed and approved this advice." in html, url
    results = client.get("/results").get_data(as_text=True)
    main = re.sub(r"<a href=\"tel:[^>]*>([^<]*)</a>", r"\1", results.split("<main", 1)[1])  # numbers are tel: links
    if answers is PUMP_EMERGENCY:
        assert main.index("Call 911 now") < main.index(NOTICE), "emergency advice comes before the notice"
    assert "Approved release" not in results
    spanish = client.get("/?lang=es").get_data(as_text=True)
    assert notices(spanish) == 1 and "Versión preliminar" in spanish


def test_staff_pages_say_it_their_own_way_not_with_the_patient_notice(client: FlaskClient) -> None:
    index = client.get("/review/").get_data(as_text=True)
    assert NOTICE not in index and "not an approved release, so patients see a draft notice" in index


def test_require_signed_content_refuses_the_shipped_draft() -> None:
    with pytest.raises(StartupError) as stopped:
        create_app({"TESTING": True, "REQUIRE_SIGNED_CONTENT": "1"})
    message = str(stopped.value)
    assert message.startswith("Cannot start: REQUIRE_SIGNED_CONTENT is set and this content")
    assert "is not an approved release" in message
    assert re.search(r"0 of \d+ rules and 0 of \d+ translations signed off", message)
    assert "rule pump-overdose-signs: not signed off" in message and "... and" in message
    with pytest.raises(StartupError, match="REQUIRE_SIGNED_CONTENT is 'sometimes'; use 1 or 0"):
        create_app({"TESTING": True, "REQUIRE_SIGNED_CONTENT": "sometimes"})


def test_with_require_signed_content_staff_commands_still_run_to_sign_and_release() -> None:
    env = {**os.environ, "REQUIRE_SIGNED_CONTENT": "1", "SECRET_KEY": "x" * 32, "PUBLIC_URL": "https://pump.example.org"}
    checked = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "rules", "check"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    served = subprocess.run([sys.executable, "-c", "import app; app.create_app()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 1 and "not an approved release" in served.stderr and "Traceback" not in served.stderr


def test_a_signed_and_released_fixture_has_no_notice_and_shows_its_release() -> None:
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "QUESTIONNAIRE_CONTENT_DIR": str(RELEASED),
                      "REQUIRE_SIGNED_CONTENT": "1", "EMERGENCY_NUMBER": "911"})
    client = app.test_client()
    pages = [url for url in every_patient_page(client, RELEASED_ANSWERS) if url != "/start"]
    for url in pages:
        assert NOTICE not in client.get(url).get_data(as_text=True), url
    results = client.get("/results").get_data(as_text=True)
    label = load_content(RELEASED).ruleset.label
    assert (f"Approved release {label}, approved by Test fixture safety officer (Test data, not a clinical safety "
            f"officer) on December 1, 2026.") in results
