"""Sign-off and the safety case on the staff review pages: counts, the pending filter, and links to the evidence."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask.testing import FlaskClient

from app import create_app
from tests.conftest import FIXTURES
from tests.test_review import text_of

RELEASED = FIXTURES / "released"


def rule_links(html: str) -> set[str]:
    tables = html.split("<table", 1)[1] if "<table" in html else ""
    return set(re.findall(r'href="/review/rules/([\w-]+)"', tables))


def edited_fixture(tmp_path: Path) -> FlaskClient:
    directory = Path(shutil.copytree(RELEASED, tmp_path / "released"))
    path = directory / "rules" / "rules.yaml"
    path.write_text(path.read_text().replace("A seizure with fever needs care at once.", "A seizure needs care."))
    return create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(directory)}).test_client()


def test_the_index_filters_rules_by_sign_off_on_the_server(tmp_path: Path) -> None:
    client = edited_fixture(tmp_path)
    words = text_of(client.get("/review/").data)
    assert "5 of 6 rules signed off" in words and "not an approved release" in words
    assert rule_links(client.get("/review/?signoff=changed").text) == {"pump-seizure"}
    assert rule_links(client.get("/review/?signoff=pending").text) == {"pump-seizure"}
    signed = rule_links(client.get("/review/?signoff=signed").text)
    assert len(signed) == 5 and "pump-seizure" not in signed
    assert "1 of 6 rules shown." in text_of(client.get("/review/?signoff=changed").data)
    assert len(rule_links(client.get("/review/?signoff=nonsense").text)) == 6
    assert '<option value="changed" selected>' in client.get("/review/?signoff=changed").text


def test_the_shipped_index_says_nothing_is_signed(client: FlaskClient) -> None:
    words = text_of(client.get("/review/").data)
    assert re.search(r"0 of \d+ rules signed off ?, 0 of \d+ translations signed off", words)
    assert rule_links(client.get("/review/?signoff=pending").text) == rule_links(client.get("/review/").text)
    assert "Not signed off" in text_of(client.get("/review/rules/pump-overdose-signs").data)
    assert "No one has signed off this rule yet." in text_of(client.get("/review/rules/pump-overdose-signs").data)


def test_the_released_fixture_says_it_is_the_approved_release() -> None:
    client = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(RELEASED)}).test_client()
    words = text_of(client.get("/review/").data)
    assert "6 of 6 rules signed off" in words and "This content is the approved release 0.2.0" in words
    rule = text_of(client.get("/review/rules/pump-seizure").data)
    assert "Signed off by Test fixture reviewer (Test data, not a clinician) on December 1, 2026" in rule


def test_the_safety_case_page_links_every_invariant_scenario_and_rule_to_its_page(client: FlaskClient) -> None:
    page = client.get("/review/safety-case")
    assert page.status_code == 200
    words = text_of(page.data)
    assert re.search(r"\d+ hazards; (\d+) of \1 controls verified", words)
    assert "HAZ-01" in words and "HAZ-12" in words and "Open items" in words and "Residual risk" in words
    invariants = client.get("/review/invariants").text
    for anchor in set(re.findall(r'href="/review/invariants#(check-[\w-]+)"', page.text)):
        assert f'id="{anchor}"' in invariants, anchor
    scenarios = client.get("/review/scenarios").text
    scenario_anchors = set(re.findall(r'href="/review/scenarios#(scenario-\d+)"', page.text))
    assert scenario_anchors
    for anchor in scenario_anchors:
        assert f'id="{anchor}"' in scenarios, anchor
    rules = set(re.findall(r'href="/review/rules/([\w-]+)"', page.text))
    assert {"pump-overdose-signs", "pump-baclofen-withdrawal"} <= rules
    for rule_id in rules:
        assert client.get(f"/review/rules/{rule_id}").status_code == 200
    spanish = text_of(client.get("/review/safety-case?lang=es").data)
    assert "Caso de seguridad clínica" in spanish and "controles verificados" in spanish


def test_a_broken_link_shows_as_not_verified_on_the_page(tmp_path: Path) -> None:
    directory = Path(shutil.copytree(RELEASED, tmp_path / "released"))
    path = directory / "safety" / "hazards.yaml"
    path.write_text(path.read_text().replace("invariant: seizure-is-emergency", "invariant: seizure-gone"))
    client = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(directory)}).test_client()
    words = text_of(client.get("/review/safety-case").data)
    assert "0 of 1 controls verified" in words and "Not verified" in words
    assert "✗ invariant: seizure-gone (no invariant has this id in invariants.yaml)" in words
