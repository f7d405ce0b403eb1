"""Clinic files: what a clinic writes is checked at start-up, with errors naming file, line and slug."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire import load_content
from questionnaire.clinics import CLINICS_DIR, MAX_LOGO_BYTES
from questionnaire.errors import ContentErrors

SHIPPED_CLINICS = Path(__file__).resolve().parents[1] / "questionnaire" / "content" / CLINICS_DIR

CLINIC = """\
slug: test-clinic
name: Test Clinic
country: {country}
phone: "(555) 010-0199"
address: 1 Test Road
language: en
{extra}"""


@pytest.fixture
def clinic_dir(content_dir: Callable[..., Path]) -> Callable[..., Path]:
    """Minimal content plus one clinic file (and any extra files, e.g. a logo)."""

    def make(country: str = "US", extra: str = "", name: str = "test-clinic.yaml",
             files: dict[str, bytes] | None = None) -> Path:
        root = content_dir()
        (root / CLINICS_DIR).mkdir()
        (root / CLINICS_DIR / name).write_text(CLINIC.format(country=country, extra=extra), encoding="utf-8")
        for file_name, data in (files or {}).items():
            (root / CLINICS_DIR / file_name).write_bytes(data)
        return root

    return make


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(root)
    return [str(error) for error in caught.value.errors]


def test_shipped_example_clinics_load_with_their_countrys_emergency_number(tmp_path, content_dir):
    root = content_dir()
    shutil.copytree(SHIPPED_CLINICS, root / CLINICS_DIR)
    clinics = load_content(root).clinics
    assert clinics["example-us"].emergency_number == "911"
    assert clinics["example-uk"].emergency_number == "999"
    assert all(clinic.example for clinic in clinics.values())
    assert clinics["example-us"].logo is not None and clinics["example-us"].logo.mimetype == "image/svg+xml"
    assert clinics["example-uk"].logo is not None and clinics["example-uk"].logo.width == 96


def test_a_clinic_may_override_its_countrys_number(clinic_dir):
    clinic = load_content(clinic_dir(country="GB", extra='emergency_number: "112"\n')).clinics["test-clinic"]
    assert clinic.emergency_number == "112"


def test_an_unknown_country_names_file_line_and_slug_and_suggests_the_iso_code(clinic_dir):
    [error] = errors_of(clinic_dir(country="UK"))
    assert "clinics/test-clinic.yaml:3: [test-clinic] country 'UK' is not in the emergency-number table" in error
    assert "Did you mean 'GB'?" in error


@pytest.mark.parametrize(("extra", "line", "expected"), [
    ("embed_origins: ['https://ok.example.org/path']\n", 7, "is not a site origin"),
    ("embed_origins: [\"https://a.example.org; script-src *\"]\n", 7, "is not a site origin"),
    ("embed_origins: ['http://www.example.org']\n", 7, "is not a site origin"),
    ("logo: missing.png\n", 7, "no such file"),
    ("logo: logo.gif\n", 7, "must be an .svg or .png file"),
    ("webiste: https://example.org\n", 7, "Did you mean 'website'?"),
    ("website: http://example.org\n", 7, "does not have the expected form"),
])
def test_clinic_file_mistakes_are_named_with_their_line(clinic_dir, extra, line, expected):
    [error] = errors_of(clinic_dir(extra=extra))
    assert f"test-clinic.yaml:{line}:" in error and "[test-clinic]" in error
    assert expected in error


def test_a_language_with_no_translation_is_refused(clinic_dir):
    root = clinic_dir()
    path = root / CLINICS_DIR / "test-clinic.yaml"
    path.write_text(path.read_text().replace("language: en", "language: fr"))
    [error] = errors_of(root)
    assert "test-clinic.yaml:6: [test-clinic] language 'fr' has no translation. Valid languages: en" in error


def test_file_name_must_match_the_slug(clinic_dir):
    [error] = errors_of(clinic_dir(name="other.yaml"))
    assert "other.yaml:1: [test-clinic]" in error and "must be named test-clinic.yaml" in error


def test_logos_wider_than_the_limit_are_refused(clinic_dir):
    wide = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (5000).to_bytes(4, "big") + (40).to_bytes(4, "big")
            + b"\x08\x02\x00\x00\x00")
    [error] = errors_of(clinic_dir(extra="logo: wide.png\n", files={"wide.png": wide}))
    assert "is 5000x40 pixels; the limit is 1024x1024" in error


def test_logos_over_the_byte_limit_are_refused(clinic_dir):
    big = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' + b" " * MAX_LOGO_BYTES + b"</svg>"
    [error] = errors_of(clinic_dir(extra="logo: big.svg\n", files={"big.svg": big}))
    assert "the limit is 100,000" in error


@pytest.mark.parametrize(("svg", "expected"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>', "<script> is not"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"/>', "'onload' is not"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "DOCTYPE"),
    (b"<html></html>", "not an SVG image"),
])
def test_svg_logos_with_active_content_are_refused(clinic_dir, svg, expected):
    [error] = errors_of(clinic_dir(extra="logo: logo.svg\n", files={"logo.svg": svg}))
    assert "logo logo.svg" in error and expected in error


def test_a_content_directory_without_clinics_still_has_the_emergency_numbers(content_dir):
    content = load_content(content_dir())
    assert content.clinics == {}
    assert content.emergency_numbers["GB"] == "999" and content.emergency_numbers["AU"] == "000"
    assert content.emergency_numbers["NZ"] == "111" and content.emergency_numbers["DE"] == "112"


@pytest.mark.parametrize(("country", "number"), [("SV", "132"), ("PY", "141"), ("EC", "911"), ("DO", "911")])
def test_a_clinic_in_the_spanish_speaking_americas_gets_the_number_its_health_service_gives(clinic_dir, country,
                                                                                          number):
    # El Salvador and Paraguay: the ambulance number, not 911 (the police there).
    assert load_content(clinic_dir(country=country)).clinics["test-clinic"].emergency_number == number


def test_a_country_with_no_official_source_is_not_guessed(clinic_dir):
    # Chile is left out of the table (no official page cited): its clinics must set `emergency_number`.
    [error] = errors_of(clinic_dir(country="CL"))
    assert "country 'CL' is not in the emergency-number table" in error


def test_a_clinic_in_a_country_left_out_can_set_its_own_number(clinic_dir):
    chile = load_content(clinic_dir(country="CL", extra='emergency_number: "131"\n')).clinics["test-clinic"]
    assert chile.emergency_number == "131"
