"""Staff commands, and the app refusing to start on broken content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import StartupError, create_app

ROOT = Path(__file__).resolve().parents[1]


def test_rules_check_reports_ok_with_the_version(runner, content):
    result = runner.invoke(args=["rules", "check"])
    assert result.exit_code == 0
    assert f"rule set {content.ruleset.label}" in result.output


def test_rules_check_on_a_broken_directory_prints_every_error_and_exits_1(runner, content_dir):
    broken = content_dir({"rules/rules.yaml": ("level: discuss", "level: sometimes")})
    text = (broken / "questions.yaml").read_text().replace('equals: "yes"', 'equals: "yess"')
    (broken / "questions.yaml").write_text(text)
    result = runner.invoke(args=["rules", "check", "--content", str(broken)])
    assert result.exit_code == 1
    assert "questions.yaml:" in result.output and "[pump_symptoms]" in result.output
    assert "Did you mean 'yes'?" in result.output


def test_rules_evaluate_prints_guidance_for_saved_answers(runner, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"has_pump": "yes", "pump_medicine": "baclofen",
                                               "pump_symptoms": ["itching", "fever"]}}))
    result = runner.invoke(args=["rules", "evaluate", str(answers), "--emergency-number", "999"])
    assert result.exit_code == 0, result.output
    levels = [line for line in result.output.splitlines() if line in ("EMERGENCY", "URGENT", "DISCUSS", "INFO")]
    assert levels[0] == "EMERGENCY"
    assert "999" in result.output and "because:" in result.output


def test_rules_evaluate_json_matches_the_api(runner, client, tmp_path):
    answers = {"conditions": ["none"], "symptoms": ["none"]}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = runner.invoke(args=["rules", "evaluate", str(path), "--json"])
    api = client.post("/api/v1/evaluate", json={"answers": answers}).get_json()
    assert json.loads(result.output) == api


def test_rules_evaluate_refuses_bad_answers_clearly(runner, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"has_pump": "maybe"}}))
    result = runner.invoke(args=["rules", "evaluate", str(path)])
    assert result.exit_code == 1
    assert "has_pump: 'maybe' is not an answer to 'has_pump'" in result.output
    path.write_text("{not json")
    result = runner.invoke(args=["rules", "evaluate", str(path)])
    assert result.exit_code == 1 and "is not valid JSON" in result.output


def test_the_app_refuses_to_start_on_a_broken_rule_file(content_dir):
    broken = content_dir({"rules/rules.yaml": ("{question: severity, at_least: 7}", "{question: severity, at_least: 70}")})
    with pytest.raises(StartupError) as caught:
        create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(broken)})
    message = str(caught.value)
    assert "rules/rules.yaml:" in message and "[severe]" in message and "valid: 0 to 10" in message


def run_flask(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "FLASK_DEBUG": "0", **env}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_flask_command_on_broken_content_names_file_line_and_id_without_a_traceback(content_dir):
    broken = content_dir({"rules/rules.yaml": ("includes_any: [itching, fever]", "includes_any: [itching, fevr]")})
    result = run_flask("rules", "check", QUESTIONNAIRE_CONTENT_DIR=str(broken), SECRET_KEY="test")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rules/rules.yaml:10: [itch-and-fever] 'fevr' is not an answer code" in result.stderr
    assert "Did you mean 'fever'?" in result.stderr


def test_production_start_without_secret_key_is_refused():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run([sys.executable, "-c", "import app; app.create_app()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "set the SECRET_KEY environment variable" in result.stderr and "Traceback" not in result.stderr


def test_staff_commands_need_no_secret_key_but_serving_does():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG")}
    check = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "rules", "check"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout.startswith("OK:"), check.stderr
    serve = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "run", "--port", "0"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert serve.returncode == 1 and "set the SECRET_KEY environment variable" in serve.stderr
