"""Every environment setting, read and checked once at start-up into one frozen, typed `Settings`.

A wrong value stops the app with a `SettingsError` that names the variable, what it holds and what
would be valid; the person starting it sees that sentence, not a traceback. The rest of the web
layer reads `state.settings()`, never `os.environ` or a raw `app.config[...]` string.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.security import check_password_hash

REVIEW_ACCESS_CHOICES = ("public", "password", "off")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_COUNTRY = re.compile(r"[A-Z]{2}")
_PHONE = re.compile(r"\+?[0-9][0-9 -]{0,19}")
_SHOWN = 80  # characters of a bad value repeated in the message: enough to recognise it


class StartupError(SystemExit):
    """Stops the process with a clear message instead of a traceback (settings, content, release state)."""


class SettingsError(StartupError):
    """An environment setting the app cannot use: the message names the variable and what would be valid."""


def _wrong(name: str, value: object, wanted: str) -> SettingsError:
    return SettingsError(f"Cannot start: {name} is {str(value)[:_SHOWN]!r}; use {wanted}.")


@dataclass(frozen=True)
class Settings:
    """What the environment (or a test's configuration) asks of this app, parsed and checked."""

    content_dir: Path | None = None  # QUESTIONNAIRE_CONTENT_DIR: None is the shipped content
    emergency_number: str | None = None  # EMERGENCY_NUMBER: overrides DEFAULT_COUNTRY's number
    default_country: str = "US"  # DEFAULT_COUNTRY: ISO 3166 code whose emergency number is used with no clinic
    public_url: str | None = None  # PUBLIC_URL: the address clinic links and QR codes carry
    trusted_hosts: tuple[str, ...] | None = None  # TRUSTED_HOSTS: host names served; others get a 400
    embedding_cookies: bool = True  # EMBEDDING_COOKIES: SameSite=None session cookies inside a clinic's frame
    session_cookie_secure: bool = True  # SESSION_COOKIE_SECURE: cookies only over https (off with --debug)
    trusted_proxies: int = 0  # TRUSTED_PROXIES: proxies in front whose X-Forwarded-* headers are believed
    review_access: str = "public"  # REVIEW_ACCESS: staff pages public, behind a password, or off
    review_password_hash: str | None = None  # REVIEW_PASSWORD_HASH: werkzeug hash of the staff password
    review_overdue_months: int = 12  # REVIEW_OVERDUE_MONTHS: a rule's review is overdue after this
    require_signed_content: bool = False  # REQUIRE_SIGNED_CONTENT: serve approved releases only
    fhir_canonical: str | None = None  # FHIR_CANONICAL: the Questionnaire's canonical URL (None: the default)
    fhir_publisher: str | None = None  # FHIR_PUBLISHER
    fhir_copyright: str | None = None  # FHIR_COPYRIGHT
    fhir_experimental: bool = True  # FHIR_EXPERIMENTAL: marks the Questionnaire as not for clinical use yet
    fhir_date: str | None = None  # FHIR_DATE: YYYY-MM-DD (None: the release date in CHANGELOG.md)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings' raw values as the environment gives them (strings), under their variable names."""
    env = os.environ if environ is None else environ
    return {name: env.get(name) for name in NAMES}


def _text(value: object) -> str | None:
    """None for unset or blank; otherwise the value as a stripped string."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _boolean(name: str, value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return default
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise _wrong(name, value, "1 or 0 (also true/false, yes/no, on/off)")


def _whole(name: str, value: object, default: int, minimum: int, wanted: str) -> int:
    if isinstance(value, bool):
        raise _wrong(name, value, wanted)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if text is None:
            return default
        if not text.isdigit():
            raise _wrong(name, value, wanted)
        number = int(text)
    if number < minimum:
        raise _wrong(name, value, wanted)
    return number


def _address(name: str, value: object, example: str) -> str | None:
    text = _text(value)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        raise _wrong(name, value, f"an http(s) address such as {example} (a path is fine; no ? or #)")
    return text


def _hosts(value: object) -> tuple[str, ...] | None:
    """TRUSTED_HOSTS as written in the environment (host names separated by commas or spaces), or a list."""
    if value is None:
        return None
    if isinstance(value, str):
        items = value.replace(",", " ").split()
    elif isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        raise _wrong("TRUSTED_HOSTS", value, "host names separated by commas")
    if any("/" in host or "@" in host for host in items):
        raise _wrong("TRUSTED_HOSTS", value, "host names separated by commas, such as pump.example.org,"
                     "www.pump.example.org (no https:// and no path)")
    return tuple(items) or None


def _review_hash(access: str, value: object) -> str | None:
    password_hash = _text(value)
    if access != "password":
        return password_hash
    usable = password_hash is not None and password_hash.count("$") >= 2
    if usable:
        try:
            check_password_hash(str(password_hash), "")
        except ValueError:
            usable = False
    if not usable:
        raise SettingsError(
            "Cannot start: REVIEW_ACCESS is 'password' but REVIEW_PASSWORD_HASH is not a password hash. Make one "
            "with: .venv/bin/python -c \"from werkzeug.security import generate_password_hash as g; "
            "print(g(input('Password: ')))\"")
    return password_hash


def _checked(name: str, value: object, check: Callable[[str], bool], wanted: str) -> str | None:
    text = _text(value)
    if text is not None and not check(text):
        raise _wrong(name, value, wanted)
    return text


def _iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def parse(config: Mapping[str, Any], debug: bool = False) -> Settings:
    """Every setting from `config` (the environment's values, then a test's); SettingsError names a wrong one."""
    access = (_text(config.get("REVIEW_ACCESS")) or "public").lower()
    if access not in REVIEW_ACCESS_CHOICES:
        raise _wrong("REVIEW_ACCESS", config.get("REVIEW_ACCESS"), f"one of {', '.join(REVIEW_ACCESS_CHOICES)}")
    country = (_text(config.get("DEFAULT_COUNTRY")) or "US").upper()
    if not _COUNTRY.fullmatch(country):
        raise _wrong("DEFAULT_COUNTRY", config.get("DEFAULT_COUNTRY"), "a two-letter country code such as US or GB")
    content_dir = _text(config.get("QUESTIONNAIRE_CONTENT_DIR"))
    return Settings(
        content_dir=Path(content_dir) if content_dir else None,
        emergency_number=_checked("EMERGENCY_NUMBER", config.get("EMERGENCY_NUMBER"),
                                  lambda text: _PHONE.fullmatch(text) is not None,
                                  "a phone number of digits, such as 911, 112 or 999"),
        default_country=country,
        public_url=_address("PUBLIC_URL", config.get("PUBLIC_URL"), "https://pump.example.org"),
        trusted_hosts=_hosts(config.get("TRUSTED_HOSTS")),
        embedding_cookies=_boolean("EMBEDDING_COOKIES", config.get("EMBEDDING_COOKIES"), True),
        session_cookie_secure=_boolean("SESSION_COOKIE_SECURE", config.get("SESSION_COOKIE_SECURE"), True) and not debug,
        trusted_proxies=_whole("TRUSTED_PROXIES", config.get("TRUSTED_PROXIES"), 0, 0,
                               "a whole number of proxies in front of the app (0 when none)"),
        review_access=access,
        review_password_hash=_review_hash(access, config.get("REVIEW_PASSWORD_HASH")),
        review_overdue_months=_whole("REVIEW_OVERDUE_MONTHS", config.get("REVIEW_OVERDUE_MONTHS"), 12, 1,
                                     "a whole number of months, 1 or more (default 12)"),
        require_signed_content=_boolean("REQUIRE_SIGNED_CONTENT", config.get("REQUIRE_SIGNED_CONTENT"), False),
        fhir_canonical=_address("FHIR_CANONICAL", config.get("FHIR_CANONICAL"),
                                "https://pump.example.org/fhir/Questionnaire/itb"),
        fhir_publisher=_text(config.get("FHIR_PUBLISHER")),
        fhir_copyright=_text(config.get("FHIR_COPYRIGHT")),
        fhir_experimental=_boolean("FHIR_EXPERIMENTAL", config.get("FHIR_EXPERIMENTAL"), True),
        fhir_date=_checked("FHIR_DATE", config.get("FHIR_DATE"), _iso_date, "a date written YYYY-MM-DD"),
    )


NAMES = ("QUESTIONNAIRE_CONTENT_DIR", "EMERGENCY_NUMBER", "DEFAULT_COUNTRY", "PUBLIC_URL", "TRUSTED_HOSTS",
         "EMBEDDING_COOKIES", "SESSION_COOKIE_SECURE", "TRUSTED_PROXIES", "REVIEW_ACCESS", "REVIEW_PASSWORD_HASH",
         "REVIEW_OVERDUE_MONTHS", "REQUIRE_SIGNED_CONTENT", "FHIR_CANONICAL", "FHIR_PUBLISHER", "FHIR_COPYRIGHT",
         "FHIR_EXPERIMENTAL", "FHIR_DATE")
