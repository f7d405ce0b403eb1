"""Style sheets, scripts and drawings travel compressed; pages, which hold the CSRF token, never do."""

from __future__ import annotations

import brotli
import pytest
from backports import zstd

from tests.webflow import NO_PUMP_MS, complete

BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends


def fetch(client, path: str, encoding: str, headers: dict[str, str] | None = None):
    """GET with this Accept-Encoding; the body read and the (streamed) file closed."""
    response = client.get(path, headers={"Accept-Encoding": encoding, **(headers or {})})
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("encoding, decompress", [("br", brotli.decompress), ("zstd", zstd.decompress)])
@pytest.mark.parametrize("name", ["style.css", "question.css", "app.js"])
def test_static_text_arrives_compressed_and_unchanged(app, client, name, encoding, decompress):
    with open(app.static_folder + "/" + name, "rb") as file:
        expected = file.read()
    response = fetch(client, f"/static/{name}", encoding)
    body = response.get_data()
    assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decompress(body) == expected
    assert len(body) < 0.7 * len(expected), (name, len(body), len(expected))


def test_a_browser_that_asks_for_nothing_gets_the_plain_file(app, client):
    response = fetch(client, "/static/style.css", "")
    assert "Content-Encoding" not in response.headers
    with open(app.static_folder + "/style.css", "rb") as file:
        assert response.get_data() == file.read()


def test_a_cached_compressed_file_is_revalidated_with_its_own_etag(client):
    first = fetch(client, "/static/style.css", "br")
    etag = first.headers["ETag"]
    assert etag.endswith(':br"')  # not the plain file's validator
    again = fetch(client, "/static/style.css", "br", {"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize("path", ["/", "/about", "/check", "/results"])
def test_pages_with_the_csrf_token_are_never_compressed(client, path):
    complete(client, NO_PUMP_MS)
    response = client.get(path, headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Content-Encoding" not in response.headers  # no BREACH: the token is never next to a length oracle
    assert b"</html>" in response.get_data()


def test_the_icon_is_too_small_to_be_worth_compressing(client):
    response = fetch(client, "/static/favicon.svg", BROWSER)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
