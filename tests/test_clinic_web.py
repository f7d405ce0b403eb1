"""Clinic links through Flask's test client: /c/<slug>, its number, its contact details, framing, staff tools."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from werkzeug.security import generate_password_hash

from app import StartupError, create_app
from tests.webflow import PUMP_EMERGENCY, at, complete

UK = "Northgate Neurorehabilitation Clinic"
US = "Riverside Spasticity and Pain Clinic"
CONTENT = Path(__file__).resolve().parents[1] / "questionnaire" / "content"


def text(response) -> str:
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def decode_qr(png: bytes) -> str:
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def test_clinic_link_start_page_names_the_clinic_and_its_emergency_number_first(client):
    response = client.get("/c/example-uk")
    html = text(response)
    assert response.status_code == 200
    assert UK in html and "Example clinic" in html
    assert "would like to know how you are before your appointment" in html  # the welcome message
    main = main_of(html)
    assert main.index('call <a href="tel:999">999</a> or your local emergency number') < main.index("<h1")
    assert "911" not in html


def test_the_clinic_shows_on_every_page_and_its_number_in_the_emergency_advice(client):
    visited = complete(client, PUMP_EMERGENCY, start_at="/c/example-uk")
    assert visited[-1] == "/check"
    for url in [*(u for u in visited if u.startswith("/questions")), "/check", "/results"]:
        assert UK in text(client.get(url)), url
    results = main_of(text(client.get("/results")))
    banner = results[results.index('class="emergency-banner"'):results.index("<h1")]
    assert "Call 999 now" in re.sub(r"<[^>]+>", "", banner) and 'href="tel:999"' in banner
    assert "999" in re.sub(r"<[^>]+>", " ", banner.split("</h2>", 1)[1])  # the rule's own text, filled in
    assert "911" not in results


def test_results_and_printout_carry_the_clinics_contact_details(client):
    complete(client, PUMP_EMERGENCY, start_at="/c/example-uk")
    results = main_of(text(client.get("/results")))
    contact = results[results.index('class="level clinic-contact"'):]
    assert f"Bring this to your appointment at {UK}" in contact
    for detail in ("0161 496 0123", "Northgate Road", "Monday to Friday, 9 am to 4:30 pm",
                   "https://example.org/northgate-clinic"):
        assert detail in contact
    assert "no-print" not in contact.split(">", 1)[0]  # printed with the results


def test_the_clinic_stays_when_starting_over_and_goes_on_the_general_start_page(client):
    complete(client, PUMP_EMERGENCY, start_at="/c/example-uk")
    response = client.post("/start-over", data={"confirm": "yes"})
    assert response.location == "/c/example-uk?cleared=1"
    assert UK in text(client.get(response.location))
    general = text(client.get("/"))
    assert UK not in general and 'call <a href="tel:911">911</a>' in general


def test_an_unknown_clinic_gets_a_friendly_404_with_the_general_questionnaire(client):
    response = client.get("/c/no-such-clinic")
    html = main_of(text(response))
    assert response.status_code == 404
    assert "We could not find that clinic" in html
    assert 'href="/"' in html and "general questionnaire" in html


@pytest.mark.parametrize(("config", "number"), [
    ({"DEFAULT_COUNTRY": "GB", "EMERGENCY_NUMBER": None}, "999"),
    ({"DEFAULT_COUNTRY": "au", "EMERGENCY_NUMBER": None}, "000"),
    ({"DEFAULT_COUNTRY": "GB", "EMERGENCY_NUMBER": "112"}, "112"),  # an explicit number wins
])
def test_the_general_start_page_uses_the_default_countrys_number(config, number):
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, **config}).test_client()
    assert f'call <a href="tel:{number}">{number}</a> or your local emergency number' in text(client.get("/"))


def test_an_unknown_default_country_stops_the_app():
    with pytest.raises(StartupError, match="DEFAULT_COUNTRY 'UK' has no emergency number.*Did you mean"):
        create_app({"TESTING": True, "DEFAULT_COUNTRY": "UK", "EMERGENCY_NUMBER": None})


def test_the_persons_or_browsers_language_beats_a_clinics_default(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    uk = (root / "clinics" / "example-uk.yaml").read_text(encoding="utf-8")
    (root / "clinics" / "example-uk.yaml").write_text(uk.replace("language: en", "language: es"), encoding="utf-8")
    client = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(root)}).test_client()
    assert '<html lang="es">' in text(client.get("/c/example-uk"))  # a browser that names no language
    assert '<html lang="es">' in text(client.get("/c/example-uk", headers={"Accept-Language": "de, fr"}))
    # The browser's language beats the clinic's default (issue 15), and the person's own choice beats both.
    assert '<html lang="en">' in text(client.get("/c/example-uk", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert '<html lang="es">' in text(client.get("/c/example-us", headers={"Accept-Language": "es-MX"}))
    chosen = create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(root)}).test_client()
    assert '<html lang="en">' in text(chosen.get("/c/example-uk?lang=en", headers={"Accept-Language": "es"}))
    assert '<html lang="en">' in text(chosen.get("/c/example-uk", headers={"Accept-Language": "es"}))  # remembered


def test_only_a_clinics_listed_sites_may_frame_its_flow(client):
    framed = client.get("/c/example-us")
    assert framed.headers["Content-Security-Policy"].endswith("frame-ancestors https://www.example.org")
    assert "X-Frame-Options" not in framed.headers
    client.post("/start")
    assert "frame-ancestors https://www.example.org" in client.get(at(client, "about")).headers["Content-Security-Policy"]
    for url in ("/c/example-uk", "/", "/staff/clinics/example-us", "/api/v1/questionnaire"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'"), url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_inside_a_listed_frame_the_session_cookie_is_cross_site_and_partitioned(app):
    client = app.test_client()
    cookie = client.get("/c/example-us", headers={"Sec-Fetch-Dest": "iframe"}).headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie
    top_level = client.get("/c/example-us", headers={"Sec-Fetch-Dest": "document"}).headers["Set-Cookie"]
    assert "SameSite=Lax" in top_level and "Partitioned" not in top_level
    not_listed = client.get("/c/example-uk", headers={"Sec-Fetch-Dest": "iframe"}).headers["Set-Cookie"]
    assert "SameSite=Lax" in not_listed
    unframed = create_app({"TESTING": True, "EMBEDDING_COOKIES": "0"}).test_client()
    assert "SameSite=Lax" in unframed.get("/c/example-us", headers={"Sec-Fetch-Dest": "iframe"}).headers["Set-Cookie"]


def test_the_api_uses_the_clinics_number_and_returns_its_contact_block(client):
    body = {"answers": {"has_pump": "yes", "pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"]},
            "clinic": "example-uk"}
    result = client.post("/api/v1/evaluate", json=body).get_json()
    emergency = [item for item in result["guidance"] if item["level"] == "emergency"]
    assert emergency and all("911" not in item["text"] for item in emergency)
    assert any("999" in item["text"] for item in emergency)
    assert result["clinic"]["name"] == UK and result["clinic"]["phone"] == "0161 496 0123"
    assert result["clinic"]["emergency_number"] == "999"
    plain = client.post("/api/v1/evaluate", json={"answers": body["answers"]}).get_json()
    assert "clinic" not in plain and any("911" in item["text"] for item in plain["guidance"])


@pytest.mark.parametrize("clinic", ["example-ukk", 42, None])
def test_the_api_refuses_an_unknown_clinic_in_the_error_shape(client, clinic):
    response = client.post("/api/v1/evaluate", json={"answers": {}, "clinic": clinic})
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["question"] is None and error["message"].startswith("Unknown clinic")
    if clinic == "example-ukk":
        assert "Did you mean 'example-uk'?" in error["message"]


def test_the_openapi_document_describes_the_clinic_field(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["paths"]["/api/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["clinic"]["enum"] == ["example-uk", "example-us"]
    assert "clinic" in document["components"]["schemas"]["Evaluation"]["properties"]


def test_the_qr_code_decodes_to_the_clinic_link(client):
    assert decode_qr(client.get("/staff/clinics/example-uk/qr.png").data) == "http://localhost/c/example-uk"
    svg = client.get("/staff/clinics/example-uk/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_qr_codes_and_links_use_the_public_url_when_set():
    app = create_app({"TESTING": True, "PUBLIC_URL": "https://pump.example.org/"})
    client = app.test_client()
    ours = {"base_url": "https://pump.example.org"}  # the only host served once PUBLIC_URL is set
    assert decode_qr(client.get("/staff/clinics/example-us/qr.png", **ours).data) == "https://pump.example.org/c/example-us"
    assert "https://pump.example.org/c/example-us" in text(client.get("/staff/clinics/example-us", **ours))


def test_flask_clinics_qr_writes_svg_and_png_that_decode_to_the_link(runner, tmp_path):
    result = runner.invoke(args=["clinics", "qr", "example-uk", "--out", str(tmp_path),
                                 "--base-url", "https://pump.example.org"])
    assert result.exit_code == 0, result.output
    assert decode_qr((tmp_path / "example-uk-qr.png").read_bytes()) == "https://pump.example.org/c/example-uk"
    assert (tmp_path / "example-uk-qr.svg").read_bytes().lstrip().startswith(b"<svg")


def test_flask_clinics_qr_needs_a_known_clinic_and_a_public_address(runner, tmp_path):
    result = runner.invoke(args=["clinics", "qr", "example-ukk", "--out", str(tmp_path), "--base-url", "https://x"])
    assert result.exit_code == 1 and "Did you mean 'example-uk'?" in result.output
    result = runner.invoke(args=["clinics", "qr", "example-uk", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "--base-url" in result.output
    assert list(tmp_path.iterdir()) == []


def test_flask_clinics_check_lists_each_clinic_with_its_number(runner):
    result = runner.invoke(args=["clinics", "check"])
    assert result.exit_code == 0, result.output
    assert "example-uk: Northgate Neurorehabilitation Clinic (GB, emergency 999" in result.output
    assert "may be framed by https://www.example.org" in result.output


def test_the_staff_page_gives_link_qr_poster_and_embed_snippet(client):
    html = main_of(text(client.get("/staff/clinics/example-us")))
    assert "http://localhost/c/example-us" in html
    assert 'src="/staff/clinics/example-us/qr.svg"' in html and "/staff/clinics/example-us/qr.png" in html
    assert "/staff/clinics/example-us/poster/a4" in html and "/staff/clinics/example-us/poster/letter" in html
    assert "&lt;iframe src=&#34;http://localhost/c/example-us&#34;" in html
    uk = main_of(text(client.get("/staff/clinics/example-uk")))
    assert "&lt;iframe" not in uk and "embed_origins" in uk
    assert UK in text(client.get("/staff/clinics/"))


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_poster_carries_the_qr_code_and_one_line_on_what_this_is(client, paper):
    html = text(client.get(f"/staff/clinics/example-uk/poster/{paper}"))
    assert f'class="poster-page paper-{paper}"' in html
    assert 'src="/staff/clinics/example-uk/qr.svg"' in html and "http://localhost/c/example-uk" in html
    assert "Answer a few questions on your phone before your visit." in html
    assert "Call 999" in html and "Example clinic" in html
    assert client.get("/staff/clinics/example-uk/poster/a3").status_code == 404


def test_staff_pages_follow_the_review_access_setting():
    client = create_app({"TESTING": True, "REVIEW_ACCESS": "off"}).test_client()
    assert client.get("/staff/clinics/example-uk").status_code == 404
    assert client.get("/c/example-uk").status_code == 200  # the patients' link is never closed
    locked = create_app({"TESTING": True, "REVIEW_ACCESS": "password",
                         "REVIEW_PASSWORD_HASH": generate_password_hash("staff-only")}).test_client()
    assert locked.get("/staff/clinics/example-uk/qr.png").status_code == 401
    assert locked.get("/staff/clinics/example-uk", auth=("staff", "staff-only")).status_code == 200


def test_the_logo_is_served_as_an_image_that_cannot_run_anything(client):
    response = client.get("/c/example-us/logo")
    assert response.mimetype == "image/svg+xml" and response.headers["X-Content-Type-Options"] == "nosniff"
    # Its own sandbox policy, not the site's: opened on its own, the SVG can load and run nothing.
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert '<img class="clinic-logo" src="/c/example-us/logo"' in text(client.get("/c/example-us"))
    assert client.get("/c/no-such-clinic/logo").status_code == 404


def test_staff_pages_do_not_wear_the_clinic_of_the_staff_members_own_session(client):
    client.get("/c/example-uk")
    html = text(client.get("/staff/clinics/example-us"))
    assert 'class="clinic-band' not in html
    assert "call 911 or your local emergency number" in re.sub(r"<[^>]+>", "", html)  # the footer, 911 a tel: link



def test_the_embed_snippet_escapes_the_clinic_name_and_the_link(app):
    from dataclasses import replace
    from html.parser import HTMLParser

    from questionnaire.web.staff.clinic_tools import embed_snippet

    class Frames(HTMLParser):
        found: list[dict[str, str | None]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "iframe":
                self.found.append(dict(attrs))

    clinic = replace(app.extensions["questionnaire"].content.clinics["example-us"], name="Smith & Jones Rehab")
    link = "https://clinic.example/prepare/c/example-us?from=poster&lang=es"
    snippet = embed_snippet(clinic, link)
    assert "Smith &amp; Jones Rehab" in snippet and "poster&amp;lang=es" in snippet
    parser = Frames()
    parser.feed(snippet)  # what the clinic's own page makes of it: exactly the name and the link
    assert parser.found == [{"src": link, "title": "Smith & Jones Rehab: pump therapy questionnaire",
                             "width": "100%", "height": "900", "loading": "lazy"}]


def test_staff_are_warned_when_public_url_is_not_set_and_not_when_it_is(client):
    warning = "For staff: PUBLIC_URL is not set."
    for url in ("/staff/clinics/example-uk", "/staff/clinics/example-uk/poster/a4"):
        html = text(client.get(url))
        assert warning in html and "http://localhost/c/example-uk" in html, url
    public = create_app({"TESTING": True, "PUBLIC_URL": "https://pump.example.org"}).test_client()
    for url in ("/staff/clinics/example-uk", "/staff/clinics/example-uk/poster/a4"):
        html = public.get(url, base_url="https://pump.example.org").get_data(as_text=True)
        assert warning not in html and "https://pump.example.org/c/example-uk" in html, url


def test_a_spanish_poster_links_and_codes_to_the_spanish_questionnaire():
    staff = create_app({"TESTING": True, "PUBLIC_URL": "https://pump.example.org"}).test_client()
    base = "https://pump.example.org"
    spanish = staff.get("/staff/clinics/example-uk/poster/a4?lang=es", base_url=base).get_data(as_text=True)
    assert '<p class="poster-link">https://pump.example.org/c/example-uk?lang=es</p>' in spanish
    assert 'src="/staff/clinics/example-uk/qr.svg?lang=es"' in spanish
    code = staff.get("/staff/clinics/example-uk/qr.svg?lang=es", base_url=base).get_data(as_text=True)
    assert "<title>https://pump.example.org/c/example-uk?lang=es</title>" in code
    english = staff.get("/staff/clinics/example-uk/poster/a4?lang=en", base_url=base).get_data(as_text=True)
    assert '<p class="poster-link">https://pump.example.org/c/example-uk</p>' in english
    assert 'src="/staff/clinics/example-uk/qr.svg"' in english
    # The Spanish link then opens the clinic's questionnaire in Spanish.
    patient = staff.get("/c/example-uk?lang=es", base_url=base).get_data(as_text=True)
    assert '<html lang="es">' in patient
