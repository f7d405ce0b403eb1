"""The API's fast path keeps its behaviour: no session cookie, language from the body or the browser."""

from __future__ import annotations

PUMP_WARNING = {"has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"]}


def test_api_never_reads_or_sets_the_session_cookie(client):
    client.get("/?lang=es")  # a page visit remembers Spanish in the session cookie
    assert client.get_cookie("session") is not None
    response = client.post("/api/v1/evaluate", json={"answers": PUMP_WARNING},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # The API is stateless: the page's remembered Spanish does not leak into it.
    assert response.headers["Content-Language"] == "en"


def test_api_language_follows_each_requests_accept_language(client):
    languages = []
    for header in ("es-MX,es;q=0.9", "en-US,en;q=0.8", "es", "fr-FR, es;q=0.5", "de", ""):
        response = client.post("/api/v1/evaluate", json={"answers": PUMP_WARNING},
                               headers={"Accept-Language": header})
        languages.append(response.headers["Content-Language"])
    assert languages == ["es", "en", "es", "es", "en", "en"]


def test_body_language_wins_over_the_browser(client):
    response = client.post("/api/v1/evaluate", json={"answers": PUMP_WARNING, "language": "en"},
                           headers={"Accept-Language": "es"})
    assert response.headers["Content-Language"] == "en"


def test_api_query_lang_still_chooses_without_a_cookie(client):
    response = client.post("/api/v1/evaluate?lang=es", json={"answers": PUMP_WARNING})
    assert response.headers["Content-Language"] == "es"
    assert "Set-Cookie" not in response.headers


def test_api_language_ignores_an_unknown_query_lang_and_a_clinic_link(client):
    client.get("/c/example-us")  # a clinic visit in the same browser: the API does not pick it up from a cookie
    response = client.post("/api/v1/evaluate?lang=fr&clinic=example-uk", json={"answers": PUMP_WARNING},
                           headers={"Accept-Language": "es"})
    assert response.headers["Content-Language"] == "es"
    assert response.headers["Vary"] == "Accept-Language"
    assert "clinic" not in response.get_json()


def test_spanish_guidance_comes_back_as_readable_utf8(client):
    response = client.post("/api/v1/evaluate", json={"answers": PUMP_WARNING, "language": "es"})
    assert response.mimetype == "application/json"
    text = response.data.decode("utf-8")
    assert "\\u00" not in text  # accents as characters, not escapes: what a person reading the raw JSON sees
    assert any(ch in text for ch in "áéíóúñ")
    assert response.get_json()["language"] == "es"


def test_text_the_fast_encoder_refuses_still_gets_the_documented_400(client):
    # A lone surrogate (valid JSON escape, not valid UTF-8) echoed back in the error message.
    response = client.post("/api/v1/evaluate", data=b'{"answers": {"\\ud800x": 1, "conditions": ["\\udfff"]}}',
                           content_type="application/json")
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert {e["question"] for e in errors} == {"\ud800x", "conditions"}
