"""Security headers on every response: every route, static files, the API, error pages and crashes."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app import StartupError, create_app
from questionnaire.web.http.security import CSP_BASE, allow_framing
from tests.webflow import NO_PUMP_MS, complete

SAME_EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


# The clinic logo's own policy: nothing at all may load or run when an SVG is opened on its own.
LOGO_CSP = {"default-src": ["'none'"], "frame-ancestors": ["'none'"], "sandbox": []}


def assert_secure_headers(response, where: str, framed_by: str | None = None, own_policy: bool = False) -> None:
    headers = response.headers
    for name, value in SAME_EVERYWHERE.items():
        assert headers.get(name) == value, (where, name, headers.get(name))
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    if own_policy:  # a view's stricter policy, kept by the middleware (the logo)
        assert directives == LOGO_CSP and headers.get("X-Frame-Options") == "DENY", (where, csp)
        assert headers.get_all("Content-Security-Policy") == [csp], where  # one policy, not two
        return
    assert directives.get("default-src") == ["'self'"], (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp.replace("*.", ""), (where, csp)
    sources = [s for values in directives.values() for s in values if not s.startswith("'")]
    assert sources == ([framed_by] if framed_by else []), (where, csp)  # no other origin anywhere
    if framed_by:
        assert directives["frame-ancestors"] == [framed_by] and "X-Frame-Options" not in headers, where
    else:
        assert directives["frame-ancestors"] == ["'none'"] and headers.get("X-Frame-Options") == "DENY", where
    permissions = headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, (where, feature)
    assert "Strict-Transport-Security" not in headers, where  # plain HTTP here


FHIR_DEFINITIONS = {"fhir_server.metadata", "fhir_server.read_questionnaire", "fhir_server.read_code_system",
                    "fhir_server.read_structure_definition", "fhir_server.read_operation_definition"}


def every_route(app: Flask, page_id: str) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for each rule in the URL map, arguments filled with real or made-up values."""
    values = {"page_id": page_id, "filename": "style.css", "slug": "example-uk"}  # a logo, no framing
    routes = []
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values.get(m.group(1), "no-such-thing"), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, url, rule.endpoint))
    return routes


@pytest.fixture
def finished(client):
    complete(client, NO_PUMP_MS)  # answers in the session, so pages show them
    return client


def test_every_route_sends_every_security_header(app, finished):
    routes = every_route(app, app.extensions["questionnaire"].content.questionnaire.pages[0].id)
    assert {"flow.start", "flow.page", "flow.results", "api.evaluate", "static"} <= {e for _, _, e in routes}
    for method, url, endpoint in routes:
        response = finished.open(url, method=method, json={"answers": {}} if endpoint.startswith("api.") else None)
        response.close()  # static files are streamed
        assert response.status_code < 500, (method, url)
        assert_secure_headers(response, f"{method} {url}", own_policy=endpoint == "clinics.logo")
        if endpoint == "clinics.logo":
            assert response.status_code == 200 and response.mimetype == "image/png", url
            assert response.headers.get("Cache-Control") == "public, max-age=3600", url
        elif endpoint == "static":
            assert "no-store" not in response.headers.get("Cache-Control", ""), url  # static files may be cached
        elif endpoint in FHIR_DEFINITIONS and response.status_code == 200:
            # Published definitions hold no answer: cacheable by version, revalidated every time (ETag).
            assert response.headers.get("Cache-Control") == "public, no-cache" and response.headers.get("ETag"), url
        else:
            assert response.headers.get("Cache-Control") == "no-store", (method, url)


@pytest.mark.parametrize(("method", "url", "kwargs", "status"), [
    ("GET", "/no/such/page", {}, 404),
    ("GET", "/questions/nowhere", {}, 404),
    ("GET", "/start-over", {}, 405),
    ("GET", "/api/v1/evaluate", {}, 405),
    ("POST", "/api/v1/evaluate", {"data": "{", "content_type": "application/json"}, 400),
    ("POST", "/api/v1/evaluate", {"data": "x" * 70_000, "content_type": "application/json"}, 413),
    ("POST", "/api/v1/evaluate", {"data": "answers"}, 415),
    ("POST", "/questions", {"data": {"respondent": "x" * 70_000}}, 413),
    ("GET", "/static/no-such-file.css", {}, 404),
])
def test_error_responses_carry_the_headers_too(client, method, url, kwargs, status):
    response = client.open(url, method=method, **kwargs)
    response.close()
    assert response.status_code == status
    assert_secure_headers(response, f"{method} {url}")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_crash_gets_a_plain_page_with_the_headers():
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "Traceback" not in response.get_data(as_text=True)
    assert_secure_headers(response, "GET /boom")


def test_hsts_only_over_https_and_forwarded_proto_only_from_trusted_proxies():
    plain = create_app({"TESTING": True}).test_client()
    assert "Strict-Transport-Security" not in plain.get("/").headers
    assert plain.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")
    # Without a trusted proxy anyone could claim HTTPS; the header is ignored.
    assert "Strict-Transport-Security" not in plain.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    proxied = create_app({"TESTING": True, "TRUSTED_PROXIES": 1}).test_client()
    response = proxied.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "clinic.example"})
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    redirect = proxied.post("/start-over", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "clinic.example",
                                                    "X-Forwarded-Prefix": "/prepare"})
    assert redirect.location == "/prepare/?cleared=1"


@pytest.mark.parametrize("value", ["one", "-1", "1.5"])
def test_a_bad_trusted_proxies_setting_stops_start_up_with_a_clear_message(value):
    with pytest.raises(StartupError, match="TRUSTED_PROXIES is .*; use a whole number"):
        create_app({"TESTING": True, "TRUSTED_PROXIES": value})


def test_clinic_framing_names_its_origins_and_drops_x_frame_options():
    app = create_app({"TESTING": True})

    @app.before_request
    def allow_clinic():
        allow_framing(["https://clinic.example", "https://x.example; script-src *", "javascript:alert(1)"])

    response = app.test_client().get("/")
    assert_secure_headers(response, "framed /", framed_by="https://clinic.example")


def test_session_cookie_is_http_only_same_site_and_secure_outside_debug(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    client = create_app().test_client()
    cookie = client.get("/", base_url="https://localhost").headers.get("Set-Cookie", "")  # the CSRF token's session
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie, cookie


@pytest.mark.parametrize(("policy", "kept"), [
    ("default-src 'none'; frame-ancestors 'none'; sandbox", True),
    ("default-src 'none'; frame-ancestors 'none'; img-src 'none'", True),
    ("default-src 'none'; sandbox", False),  # no frame-ancestors: framable, looser than ours
    ("default-src 'none'; frame-ancestors 'none'; script-src *", False),
    ("default-src 'none'; frame-ancestors 'none'; sandbox allow-scripts", False),
    ("default-src *", False),
])
def test_a_view_may_only_keep_a_csp_stricter_than_the_sites(policy, kept):
    app = create_app({"TESTING": True})

    @app.get("/own-policy")
    def own_policy():
        return "x", 200, {"Content-Security-Policy": policy}

    response = app.test_client().get("/own-policy")
    assert response.headers.get_all("Content-Security-Policy") == ([policy] if kept else [
        f"{CSP_BASE}; frame-ancestors 'none'"])
    assert response.headers["X-Frame-Options"] == "DENY"


def test_every_page_that_takes_a_post_refuses_a_json_body_with_a_friendly_page(app, client):
    """Pages take form posts only (a JSON body read as a form crashed Flask-WTF); the check sits on each
    blueprint with pages, so this walks every POST route outside /api/ and /fhir/, present or added later."""
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in (rule.methods or ()) and not rule.rule.startswith(("/api/", "/fhir/"))]
    assert {rule.rule for rule in posts} >= {"/start", "/start-over", "/questions", "/resume"}
    client.post("/start")
    for rule in posts:
        path = rule.rule.replace("<slug>", "example").replace("<", "").replace(">", "")
        response = client.post(path, data="{\"respondent\": \"self\"}", content_type="application/json")
        assert response.status_code == 415 and "That did not work" in response.get_data(as_text=True), rule.rule
    for public in ("/api/v1/evaluate", "/fhir/QuestionnaireResponse/$evaluate"):  # JSON is what these take
        assert client.post(public, data="{}", content_type="application/json").status_code == 400
