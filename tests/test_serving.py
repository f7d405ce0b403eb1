"""Production serving: the gunicorn config, start-up refusals and request limits, under real gunicorn."""

from __future__ import annotations

import runpy
import socket

import pytest

from tests.serving import ROOT, Browser, Gunicorn

CONFIG = runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_access_log_leaves_out_query_strings_referrers_and_bodies():
    log_format = CONFIG["access_log_format"]
    assert "%(U)s" in log_format  # the path alone
    for leaky in ("%(r)s", "%(q)s", "%(f)s", "%(a)s", "{"):  # request line, query, referrer, user agent, headers
        assert leaky not in log_format, leaky


def test_workers_follow_the_cpu_count_and_the_app_loads_once_in_the_master():
    assert 3 <= CONFIG["workers"] <= 9
    assert CONFIG["wsgi_app"] == "app:create_app()" and CONFIG["preload_app"] is True
    assert CONFIG["control_socket_disable"] is True  # no socket file written, no clash between instances


def test_production_server_answers_with_secure_headers_and_logs_paths_only():
    with Gunicorn() as server:
        browser = Browser(server.port)
        status, headers, html = browser.get("/?lang=es&note=private")
        assert status == 200 and "Content-Security-Policy" in {k.title() for k in headers}
        assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"
        assert browser.get("/static/style.css")[0] == 200
    output = server.stop()
    access = [line for line in output.splitlines() if '"GET ' in line]
    assert any('"GET / HTTP/1.1" 200' in line for line in access), output
    assert any('"GET /static/style.css HTTP/1.1" 200' in line for line in access), output
    assert "lang=es" not in output and "private" not in output and "?" not in "".join(access)


@pytest.mark.parametrize(("request_line", "status"), [
    (f"GET /{'x' * 5000} HTTP/1.1", 414),  # a URL longer than the request-line limit
    ("GET / HTTP/1.1\r\n" + "".join(f"X-Pad-{i}: 1\r\n" for i in range(60)), 431),  # too many headers
])
def test_oversized_requests_are_refused_before_the_app(request_line, status):
    with Gunicorn() as server, socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: localhost\r\n\r\n".encode())
        reply = sock.recv(200).decode("latin-1")
    assert reply.split()[1] in (str(status), "400"), reply


def test_gunicorn_refuses_to_start_without_a_secret_key():
    server = Gunicorn(secret=False).start(wait=False)
    assert server.process is not None and server.process.wait(timeout=30) != 0
    output = server.stop()
    assert "set the SECRET_KEY environment variable" in output and "Traceback" not in output, output


def test_gunicorn_refuses_to_start_on_broken_content_and_names_the_file(content_dir):
    broken = content_dir({"rules/rules.yaml": ("level: emergency", "level: critical")})
    server = Gunicorn(env={"QUESTIONNAIRE_CONTENT_DIR": str(broken)}).start(wait=False)
    assert server.process is not None and server.process.wait(timeout=30) != 0
    output = server.stop()
    assert "rules/rules.yaml:" in output and "[itch-and-fever]" in output and "Traceback" not in output, output
