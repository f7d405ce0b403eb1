"""/healthz and /readyz: what a load balancer, the container HEALTHCHECK and Kubernetes probes ask."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from tests.serving import ROOT, Browser, Gunicorn


def test_healthz_answers_ok_without_a_session_and_with_the_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok\n" and response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers  # a probe every few seconds starts no session
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_readyz_names_the_loaded_rule_set_and_languages(client, content):
    response = client.get("/readyz")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.text.startswith(f"ready: rule set {content.ruleset.version}, {len(content.ruleset.rules)} rules")
    assert "en es" in response.text and response.headers["Cache-Control"] == "no-store"


def test_readyz_says_not_ready_when_the_content_is_missing(app):
    del app.extensions["questionnaire"]  # what a process that has not finished loading would have
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.text.startswith("not ready")


def test_probes_take_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_probes_under_gunicorn_leave_the_access_log_quiet():
    with Gunicorn(env={"TRUSTED_HOSTS": "127.0.0.1"}) as server:  # the Host check outside debug
        browser = Browser(server.port)
        for _ in range(5):
            assert browser.get("/healthz")[0] == 200 and browser.get("/readyz")[0] == 200
        assert browser.get("/")[0] == 200
    output = server.stop()
    assert '"GET / HTTP/1.1" 200' in output, output  # the access log still works
    assert "/healthz" not in output and "/readyz" not in output, output


def test_the_container_healthcheck_asks_healthz_on_loopback_with_the_images_python():
    containerfile = (ROOT / "Containerfile").read_text()
    healthcheck = re.search(r"^HEALTHCHECK .*CMD (\[.+\])$", containerfile, re.MULTILINE)
    assert healthcheck, "no HEALTHCHECK in the Containerfile"
    command = json.loads(healthcheck.group(1))
    assert command[:2] == ["python", "-c"] and "127.0.0.1:8000/healthz" in command[2]  # slim images lack curl
    with Gunicorn(env={"TRUSTED_HOSTS": "127.0.0.1"}) as server:  # the Host check outside debug
        check = [sys.executable, "-c", command[2].replace(":8000/", f":{server.port}/")]
        env = {**os.environ, "PUBLIC_URL": f"http://127.0.0.1:{server.port}"}
        assert subprocess.run(check, env=env, capture_output=True, timeout=30).returncode == 0
    assert subprocess.run(check, env=env, capture_output=True, timeout=30).returncode != 0  # down: unhealthy
