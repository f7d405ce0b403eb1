"""Every environment setting is checked once at start-up: a wrong value stops the app with one clear sentence."""

from __future__ import annotations

import os
import subprocess  # nosec B404: runs our own flask command
import sys
from pathlib import Path

import pytest

from app import StartupError, create_app
from questionnaire.web.settings import Settings, SettingsError, from_environment, parse

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))


@pytest.mark.parametrize(("name", "value", "wanted"), [
    ("TRUSTED_PROXIES", "two", "a whole number of proxies"),
    ("TRUSTED_PROXIES", "-1", "a whole number of proxies"),
    ("REVIEW_OVERDUE_MONTHS", "0", "1 or more"),
    ("REVIEW_OVERDUE_MONTHS", "a year", "a whole number of months"),
    ("REVIEW_ACCESS", "sometimes", "one of public, password, off"),
    ("EMBEDDING_COOKIES", "maybe", "1 or 0"),
    ("SESSION_COOKIE_SECURE", "sure", "1 or 0"),
    ("REQUIRE_SIGNED_CONTENT", "yes please", "1 or 0"),
    ("FHIR_EXPERIMENTAL", "2", "1 or 0"),
    ("EMERGENCY_NUMBER", "call 911", "a phone number of digits"),
    ("DEFAULT_COUNTRY", "USA", "a two-letter country code"),
    ("PUBLIC_URL", "pump.example.org", "an http(s) address such as https://pump.example.org"),
    ("PUBLIC_URL", "https://pump.example.org/?x=1", "no ? or #"),
    ("FHIR_CANONICAL", "ftp://example.org/q", "an http(s) address"),
    ("FHIR_DATE", "tomorrow", "a date written YYYY-MM-DD"),
    ("TRUSTED_HOSTS", "https://pump.example.org/", "host names separated by commas"),
])
def test_a_wrong_value_names_the_variable_its_value_and_what_would_do(name: str, value: str, wanted: str) -> None:
    with pytest.raises(SettingsError) as stopped:
        parse({name: value})
    message = str(stopped.value)
    assert message.startswith(f"Cannot start: {name} is {value!r}; use ")
    assert wanted in message


def test_a_password_policy_without_a_usable_hash_says_how_to_make_one() -> None:
    with pytest.raises(SettingsError, match="REVIEW_PASSWORD_HASH is not a password hash. Make one with"):
        parse({"REVIEW_ACCESS": "password", "REVIEW_PASSWORD_HASH": "plain-text-password"})


def test_values_as_people_write_them_in_an_environment_file() -> None:
    settings = parse({"TRUSTED_PROXIES": " 1 ", "REVIEW_OVERDUE_MONTHS": "6", "REVIEW_ACCESS": "Off",
                      "EMBEDDING_COOKIES": "false", "REQUIRE_SIGNED_CONTENT": "True", "DEFAULT_COUNTRY": "gb",
                      "TRUSTED_HOSTS": "pump.example.org, www.pump.example.org", "EMERGENCY_NUMBER": "",
                      "FHIR_DATE": "2026-01-31", "QUESTIONNAIRE_CONTENT_DIR": "/srv/content"})
    assert settings == Settings(trusted_proxies=1, review_overdue_months=6, review_access="off",
                                embedding_cookies=False, require_signed_content=True, default_country="GB",
                                trusted_hosts=("pump.example.org", "www.pump.example.org"), emergency_number=None,
                                fhir_date="2026-01-31", content_dir=Path("/srv/content"))


def test_nothing_set_means_the_documented_defaults() -> None:
    assert parse(from_environment({})) == Settings()
    assert parse({}, debug=True).session_cookie_secure is False  # plain http on a developer's machine


def test_the_app_refuses_to_start_and_the_settings_it_runs_with_are_the_parsed_ones() -> None:
    with pytest.raises(StartupError, match="TRUSTED_PROXIES is 'lots'"):
        create_app({"TESTING": True, "TRUSTED_PROXIES": "lots"})
    app = create_app({"TESTING": True, "TRUSTED_PROXIES": "2", "REVIEW_OVERDUE_MONTHS": "18"})
    with app.app_context():
        from questionnaire.web.state import settings

        assert settings().trusted_proxies == 2 and settings().review_overdue_months == 18


@pytest.mark.parametrize(("name", "value"), [("TRUSTED_PROXIES", "two"), ("REVIEW_OVERDUE_MONTHS", "0"),
                                             ("EMBEDDING_COOKIES", "maybe")])
def test_the_person_starting_it_sees_one_sentence_and_no_traceback(name: str, value: str) -> None:
    env = {**os.environ, name: value}
    started = subprocess.run([FLASK, "--app", "app", "rules", "check"], cwd=ROOT, env=env,  # nosec B603
                             capture_output=True, text=True, timeout=120)
    assert started.returncode != 0
    assert f"Cannot start: {name} is {value!r}; use " in started.stderr
    assert "Traceback" not in started.stderr + started.stdout
