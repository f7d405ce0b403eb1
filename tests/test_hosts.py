"""Host and links: outside development only the app's own host is served, and no link is built from a raw path."""

from __future__ import annotations

import re

import pytest

from app import StartupError, create_app
from tests.test_clinic_web import decode_qr
from tests.test_security import assert_secure_headers

PUBLIC = "https://pump.example.org"


def production(**config: object):
    """The app as gunicorn starts it: not debug, not testing."""
    return create_app({"SECRET_KEY": "hosts-test", "SESSION_COOKIE_SECURE": False, **config})


def test_production_start_needs_public_url_or_trusted_hosts(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    with pytest.raises(StartupError, match="set PUBLIC_URL .* or TRUSTED_HOSTS"):
        production()
    assert production(TRUSTED_HOSTS="pump.example.org, pump.internal").config["TRUSTED_HOSTS"] == [
        "pump.example.org", "pump.internal"]


@pytest.mark.parametrize("value", ["pump.example.org", "javascript:alert(1)", "https://", "https://x.org/?a=1"])
def test_a_public_url_that_is_not_an_address_stops_start_up(value):
    with pytest.raises(StartupError, match="PUBLIC_URL is .*; use an http\\(s\\) address such as https://pump.example.org"):
        production(PUBLIC_URL=value)


@pytest.mark.parametrize("url", ["/", "/staff/clinics", "/staff/clinics/example-us/qr.png", "/api/v1/questionnaire",
                                 "/c/example-us", "/no/such/page"])
def test_any_other_host_gets_a_400_with_the_security_headers(url):
    client = production(PUBLIC_URL=PUBLIC).test_client()
    response = client.get(url, headers={"Host": "evil.example"})
    assert response.status_code == 400 and response.mimetype == "text/plain", (url, response.status_code)
    assert "evil.example" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
    assert_secure_headers(response, url)


def test_the_public_host_is_served_and_links_redirects_and_qr_codes_carry_it():
    client = production(PUBLIC_URL=PUBLIC).test_client()
    ours = {"base_url": PUBLIC}
    assert client.get("/", **ours).status_code == 200
    redirect = client.get("/staff/clinics", **ours)  # werkzeug's trailing-slash redirect is built from the host
    assert redirect.status_code == 308 and redirect.location in ("/staff/clinics/", f"{PUBLIC}/staff/clinics/")
    assert decode_qr(client.get("/staff/clinics/example-us/qr.png", **ours).data) == f"{PUBLIC}/c/example-us"


def test_a_forwarded_host_from_a_trusted_proxy_is_checked_too():
    client = production(PUBLIC_URL=PUBLIC, TRUSTED_PROXIES=1).test_client()
    assert client.get("/", headers={"X-Forwarded-Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"X-Forwarded-Host": "pump.example.org"}).status_code == 200


def spanish_link(html: str) -> str:
    match = re.search(r'<a href="([^"]*)" hreflang="es"', html)
    assert match, html[:2000]
    return match.group(1)


def test_the_language_link_of_a_404_stays_on_this_site(client):
    # Issue 16: the link was the raw path, so /%5Cevil.example/phish offered "Español" at //evil.example.
    response = client.get("/%5Cevil.example/phish")
    assert response.status_code == 404
    link = spanish_link(response.get_data(as_text=True))
    assert link == "/?lang=es", link
    assert not link.startswith(("//", "/\\")) and "evil" not in link


@pytest.mark.parametrize("url", ["//evil.example/x", "/%2F%2Fevil.example", "/\\evil.example", "/start-over"])
def test_no_error_page_builds_a_link_from_its_path(client, url):
    response = client.get(url)
    assert response.status_code in (404, 405)
    assert spanish_link(response.get_data(as_text=True)) == "/?lang=es"


def test_the_language_link_of_a_page_is_built_from_its_endpoint(client, app):
    first = client.post("/start").location  # /questions?v=1: the view counter is kept, nothing else
    assert spanish_link(client.get(first).get_data(as_text=True)) == f"{first}&amp;lang=es"  # as written in the HTML
    assert spanish_link(client.get("/c/example-us").get_data(as_text=True)) == "/c/example-us?lang=es"
    assert spanish_link(client.get("/nowhere").get_data(as_text=True)) == "/c/example-us?lang=es"  # the clinic's start
