"""The production stack: the shipped deploy/nginx.conf (Debian's nginx) in front of real gunicorns, on loopback.

Each test starts its own nginx and gunicorns (tests/nginx.py), bounded in time, and stops them.
Figures are printed (pytest -s shows them); bench/proxy_bench.py compares with gunicorn alone.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import requests
from werkzeug.security import generate_password_hash

from bench.proxy_bench import patient_latencies, start_attack
from questionnaire.loader import load_content
from tests.nginx import CONF, nginx_missing, stack
from tests.serving import ROOT
from tests.visitor import Engines, Tally, Visitor, percentile
from tools import observatory

pytestmark = pytest.mark.deploy
UPSTREAMS = re.compile(r"\ds ((?:[\d.:]+)(?:, [\d.:]+)*) ")  # $upstream_addr in the shipped log format


@pytest.fixture(scope="module", autouse=True)
def nginx_installed() -> None:
    missing = nginx_missing()
    if missing:
        pytest.fail(missing)


def session(cert: str) -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # loopback only, and REQUESTS_CA_BUNDLE would replace `verify`
    http.verify = cert
    return http


def test_the_shipped_config_sets_the_limits_the_readme_promises():
    text = CONF.read_text()
    for directive in ("server_tokens off;", "proxy_request_buffering on;", "proxy_buffering on;",
                      "client_max_body_size 64k;", "client_header_timeout 10s;", "client_body_timeout 10s;",
                      "send_timeout 10s;", "proxy_max_temp_file_size 0;", "limit_req zone=staff",
                      "proxy_next_upstream error timeout http_502 http_503;", "listen 443 ssl",
                      "proxy_set_header X-Forwarded-For $remote_addr;", 'proxy_set_header X-Forwarded-Prefix "";'):
        assert directive in text, directive
    assert "non_idempotent" not in text  # a POST that reached an instance is never sent again by nginx


def test_behind_nginx_headers_cookies_and_redirects_are_the_production_ones():
    with stack(instances=1) as (nginx, _):
        http = session(str(nginx.cert))
        response = http.get(nginx.url + "/", allow_redirects=False, timeout=10)
        assert response.status_code == 200
        assert response.headers["Server"] == "nginx"  # no version (server_tokens off), no "gunicorn"
        assert response.raw.headers.getlist("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie  # the app sees HTTPS
        assert response.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in response.headers
        plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/results?x=1", allow_redirects=False, timeout=10)
        assert plain.status_code == 301 and plain.headers["Location"] == f"{nginx.url}/results?x=1"
        # Forged forwarding headers are replaced by nginx: links keep the real host and no prefix.
        forged = http.get(nginx.url + "/", timeout=10, headers={
            "X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "//evil.example", "X-Forwarded-Proto": "http"})
        assert forged.status_code in (200, 400) and "evil.example" not in forged.text
        big = http.post(nginx.url + "/start", data=b"x" * 70_000, timeout=10)
        assert big.status_code == 413 and big.headers["Server"] == "nginx"  # refused before gunicorn
        log = "\n".join(nginx.access_log())
    assert '"GET / HTTP/1.1" 200' in log and "x=1" not in log  # paths only, as in gunicorn's log


def test_when_no_instance_answers_the_patient_sees_the_try_again_page():
    with stack(instances=1) as (nginx, servers):
        servers[0].stop()
        response = session(str(nginx.cert)).get(nginx.url + "/questions", timeout=20)
    assert response.status_code == 502 and "Please try again" in response.text and "Vuelva a intentarlo" in response.text
    assert "call emergency services now" in response.text
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def slow_client(port: int, context: ssl.SSLContext, closed_after: list[float], stop: threading.Event) -> None:
    """Opens TLS, then sends a request line and one header line a second, never finishing (slowloris)."""
    began = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                context.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sock.settimeout(1.0)
            for n in range(30):
                if stop.is_set():
                    return
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
                try:
                    if sock.recv(1) == b"":
                        break  # nginx closed it
                except TimeoutError:
                    pass
    except OSError:
        pass  # reset by nginx: closed too
    closed_after.append(time.monotonic() - began)


def test_slow_header_clients_do_not_stop_normal_requests():
    with stack(instances=1, workers=3) as (nginx, _):
        context = nginx.ssl_context()
        closed_after: list[float] = []
        stop = threading.Event()
        slow = [threading.Thread(target=slow_client, args=(nginx.port, context, closed_after, stop)) for _ in range(20)]
        for thread in slow:
            thread.start()
        time.sleep(1.0)  # all 20 are holding a connection, dripping headers
        http = session(str(nginx.cert))
        statuses, latencies = [], []
        for _ in range(30):
            began = time.perf_counter()
            statuses.append(http.get(nginx.url + "/", timeout=5).status_code)  # the bound: 5 s each
            latencies.append(time.perf_counter() - began)
            time.sleep(0.2)
        for thread in slow:
            thread.join(timeout=20)
        stop.set()
    print(f"\n20 slow-header clients behind nginx: {statuses.count(200)}/30 normal requests served, "
          f"p50 {1000 * percentile(latencies, 0.5):.0f} ms, p95 {1000 * percentile(latencies, 0.95):.0f} ms; "
          f"slow clients dropped after {min(closed_after or [0]):.1f}-{max(closed_after or [0]):.1f} s")
    assert statuses == [200] * 30
    assert len(closed_after) == 20 and max(closed_after) < 16  # client_header_timeout 10s, not held forever


def test_two_instances_serve_every_flow_without_sticky_sessions_and_survive_losing_one():
    engines = Engines(load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR")))
    tally = Tally()
    with stack(instances=2, workers=1) as (nginx, servers):
        visitors = [Visitor(nginx.url, str(nginx.cert), engines, tally, seed) for seed in range(6)]
        deadline = time.monotonic() + 12
        threads = [threading.Thread(target=v.run, args=(deadline,)) for v in visitors]
        for thread in threads:
            thread.start()
        time.sleep(5)
        killed_at = time.monotonic()
        flows_before = tally.flows
        assert servers[0].process is not None
        os.killpg(servers[0].process.pid, signal.SIGKILL)  # a crash: master and worker gone mid-request
        for thread in threads:
            thread.join(timeout=60)
        log = nginx.access_log()
    tried = [match[1].split(", ") for line in log if (match := UPSTREAMS.search(line))]  # each request's instances
    upstreams = Counter(addr for addrs in tried for addr in addrs)
    retried = [addrs for addrs in tried if len(addrs) > 1]
    after_kill = sum(1 for at in tally.finished_at if at > killed_at)
    print(f"\nfailover: {tally.requests} requests, {tally.flows} whole flows ({flows_before} before the kill, "
          f"{after_kill} finished after it), lost {len(tally.lost)}; statuses {dict(tally.statuses)}; "
          f"the patient saw 'Please try again' {tally.error_pages} times and re-sent {tally.resends} times; "
          f"nginx retried {len(retried)} requests on the other instance; per upstream {dict(upstreams)}")
    assert tally.lost == [], tally.lost[:5]
    assert flows_before > 0 and after_kill > 0
    assert all(f"127.0.0.1:{server.port}" in upstreams for server in servers)  # no stickiness: both served
    assert tally.statuses[("GET", 502)] + tally.statuses[("GET", 504)] == 0  # nginx retried every GET
    assert tally.foreign_error_pages == 0  # every error a patient saw was the try-again page


def test_staff_password_guesses_are_limited_by_nginx_and_patients_pages_stay_fast():
    env = {"REVIEW_ACCESS": "password", "REVIEW_PASSWORD_HASH": generate_password_hash("the-right-one")}
    with stack(instances=1, workers=2, env=env) as (nginx, _):
        cert = str(nginx.cert)
        # The right password opens the review index at once: its findings when the rule analysis (run in the
        # background) ends within the page's wait, about 1 s here, else a page that says it is running.
        index = session(cert).get(nginx.url + "/review/", auth=("staff", "the-right-one"), timeout=10)
        assert index.status_code == 200
        assert "The rule analysis is running" in index.text or "safety checks proven" in index.text
        quiet = patient_latencies(nginx.url, cert, 3)
        seconds = 6.0
        attacker = start_attack(nginx.url, cert, seconds)  # 8 connections, in a process of its own
        time.sleep(0.5)
        attacked = patient_latencies(nginx.url, cert, seconds - 1.5)
        answers = Counter({int(k): v for k, v in json.loads(attacker.communicate(timeout=60)[0]).items()})
    total = sum(answers.values())
    print(f"\nstaff attack, 8 connections for {seconds:.0f} s: {total} guesses, {dict(answers)} "
          f"({answers[401] / seconds:.1f}/s reached the password check); patient page p50/p95 "
          f"{1000 * percentile(quiet, 0.5):.0f}/{1000 * percentile(quiet, 0.95):.0f} ms quiet, "
          f"{1000 * percentile(attacked, 0.5):.0f}/{1000 * percentile(attacked, 0.95):.0f} ms under attack")
    assert answers[429] >= 0.8 * total  # refused by nginx without asking the app
    assert answers[401] <= 10 + 1 * (seconds + 1) + 2  # burst + rate: the app checks at most ~1 guess a second
    assert set(answers) <= {401, 429}


def test_the_headers_behind_the_shipped_nginx_score_a_plus_with_the_observatory_rules():
    with stack(instances=1) as (nginx, _):
        page = observatory.fetch(nginx.url + "/", f"http://127.0.0.1:{nginx.http_port}/", nginx.ssl_context())
    letter, score, results = observatory.grade(page)
    print("\n" + observatory.report(page))
    assert letter == "A+" and score >= 100
    assert [r for r in results if r.modifier < 0] == []
    bare = observatory.Page("https://x.example/", 200, [("Content-Type", "text/html")], "<html></html>", ["http://x.example/"])
    assert observatory.grade(bare)[0] == "F"  # the same rules on a page without our headers: -25 -20 -20 -5 -20


def test_the_load_test_runs_behind_the_shipped_nginx_with_no_errors():
    result = subprocess.run([sys.executable, "bench/load_test.py", "--users", "5", "--seconds", "5", "--behind-nginx"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors        0" in result.stdout and "5xx           0" in result.stdout
    assert "whole patient flows per second" in result.stdout
