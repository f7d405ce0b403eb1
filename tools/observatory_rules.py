"""The HTTP Observatory's scoring rules: ten tests of one fetched page, a base of 100, and the grade.

Split from tools/observatory.py (which fetches the page and prints the report); the rules are
the published scoring of Mozilla's HTTP Observatory (MDN's 2024 rewrite).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"),
          (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]
EXTRA_CREDIT_FROM = 90
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
SIX_MONTHS = 15_768_000
PROBE_ORIGIN = "https://http-observatory.security.mozilla.org"


@dataclass
class Page:
    """What the scanner fetched: the page over HTTPS, the redirect chain from plain HTTP, a CORS probe."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: str
    http_chain: list[str] | None = None  # URLs visited from http://host/ (None: no plain HTTP listener)
    cors_headers: list[tuple[str, str]] = field(default_factory=list)
    cross_domain_files: dict[str, str] = field(default_factory=dict)  # path -> body, for those answering 200

    def header(self, name: str, headers: list[tuple[str, str]] | None = None) -> list[str]:
        return [v for k, v in (self.headers if headers is None else headers) if k.lower() == name.lower()]


@dataclass(frozen=True)
class Result:
    test: str
    result: str
    modifier: int


def parse_csp(values: list[str]) -> dict[str, set[str]] | None:
    """Directive -> sources; None when the header cannot be parsed."""
    policy: dict[str, set[str]] = {}
    for value in ",".join(values).split(","):
        for part in value.split(";"):
            words = part.strip().split()
            if not words:
                continue
            name = words[0].lower()
            if not re.fullmatch(r"[a-z-]+", name):
                return None
            sources = {w.lower() if not w.startswith("'nonce-") and not w.startswith("'sha") else w for w in words[1:]}
            policy[name] = policy[name] & sources if name in policy else sources  # several policies: all apply
    return policy


def csp_test(page: Page) -> Result:
    values = page.header("Content-Security-Policy")
    if not values:
        return Result("content-security-policy", "csp-not-implemented", -25)
    csp = parse_csp(values)
    if not csp:
        return Result("content-security-policy", "csp-header-invalid", -25)
    default = csp.get("default-src")
    script = csp.get("script-src", default) or {"*"}
    objects = csp.get("object-src", default) or {"*"}
    style = csp.get("style-src", default) or {"*"}
    active = [s for d, sources in csp.items() if d not in ("img-src", "media-src") for s in sources]
    passive = [s for d in ("img-src", "media-src") for s in (csp.get(d, default) or set())]
    https = page.url.startswith("https:")
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return Result("content-security-policy", "csp-implemented-with-unsafe-inline", -20)
    if https and any(s.startswith(("http:", "ftp:")) for s in active):
        return Result("content-security-policy", "csp-implemented-with-insecure-scheme", -20)
    if "'unsafe-eval'" in script | style:
        return Result("content-security-policy", "csp-implemented-with-unsafe-eval", -10)
    if https and any(s.startswith(("http:", "ftp:")) for s in passive):
        return Result("content-security-policy", "csp-implemented-with-insecure-scheme-in-passive-content-only", -10)
    if style & (BROAD | UNSAFE_INLINE):
        return Result("content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    if default == {"'none'"}:
        return Result("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10)
    return Result("content-security-policy", "csp-implemented-with-no-unsafe", 5)


def hsts_max_age(page: Page) -> int | None:
    """max-age of the first HSTS header over HTTPS; -1 when invalid; None when missing."""
    values = page.header("Strict-Transport-Security")
    if not values:
        return None
    match = re.search(r"(?:^|;)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:;|$)", values[0], re.IGNORECASE)
    return int(match.group(1)) if match else -1


def hsts_test(page: Page) -> Result:
    if not page.url.startswith("https:"):
        return Result("strict-transport-security", "hsts-not-implemented-no-https", -20)
    age = hsts_max_age(page)
    if age is None:
        return Result("strict-transport-security", "hsts-not-implemented", -20)
    if age < 0:
        return Result("strict-transport-security", "hsts-header-invalid", -20)
    if age < SIX_MONTHS:
        return Result("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10)
    return Result("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0)


def cookies_test(page: Page) -> Result:
    """Worst finding first, as the Observatory orders them."""
    hsts = hsts_test(page).modifier == 0
    found: list[tuple[int, str]] = []
    cookies = page.header("Set-Cookie")
    missing_samesite = False
    for raw in cookies:
        name = raw.split("=", 1)[0].strip().lower()
        flags = {part.split("=", 1)[0].strip().lower(): part.split("=", 1)[1].strip().lower() if "=" in part else ""
                 for part in raw.split(";")[1:]}
        secure, session_id = "secure" in flags, "login" in name or "sess" in name
        if "samesite" in flags and flags["samesite"] not in ("lax", "strict", "none"):
            found.append((-20, "cookies-samesite-flag-invalid"))
        if session_id and not secure:
            found.append((-10, "cookies-session-without-secure-flag-but-protected-by-hsts") if hsts
                         else (-40, "cookies-session-without-secure-flag"))
        elif not secure:
            found.append((-5, "cookies-without-secure-flag-but-protected-by-hsts") if hsts
                         else (-20, "cookies-without-secure-flag"))
        if "csrf" in name and "samesite" not in flags:
            found.append((-20, "cookies-anticsrf-without-samesite-flag"))
        if session_id and "httponly" not in flags:
            found.append((-30, "cookies-session-without-httponly-flag"))
        missing_samesite = missing_samesite or "samesite" not in flags
    if not cookies:
        return Result("cookies", "cookies-not-found", 0)
    if found:
        modifier, result = min(found)
        return Result("cookies", result, modifier)
    if missing_samesite:
        return Result("cookies", "cookies-secure-with-httponly-sessions", 0)
    return Result("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)


def cors_test(page: Page) -> Result:
    allow = page.header("Access-Control-Allow-Origin", page.cors_headers)
    credentials = page.header("Access-Control-Allow-Credentials", page.cors_headers)
    for body in page.cross_domain_files.values():
        if re.search(r'(domain|uri)="\*"', body):
            return Result("cross-origin-resource-sharing",
                          "cross-origin-resource-sharing-implemented-with-universal-access", -50)
    if allow and allow[0].strip() == PROBE_ORIGIN and credentials and credentials[0].strip().lower() == "true":
        return Result("cross-origin-resource-sharing",
                      "cross-origin-resource-sharing-implemented-with-universal-access", -50)
    if allow and allow[0].strip() == "*":
        return Result("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-public-access", 0)
    if allow or page.cross_domain_files:
        return Result("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-restricted-access", 0)
    return Result("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0)


def redirection_test(page: Page) -> Result:
    chain = page.http_chain
    if chain is None:
        return Result("redirection", "redirection-not-needed-no-http", 0)
    if len(chain) < 2:
        return Result("redirection", "redirection-missing", -20)
    first, second, last = (urllib.parse.urlsplit(u) for u in (chain[0], chain[1], chain[-1]))
    if last.scheme != "https":
        return Result("redirection", "redirection-not-to-https", -20)
    if second.scheme != "https":
        return Result("redirection", "redirection-not-to-https-on-initial-redirection", -10)
    if second.hostname != first.hostname:
        return Result("redirection", "redirection-off-host-from-http", -5)
    return Result("redirection", "redirection-to-https", 0)


def referrer_test(page: Page) -> Result:
    values = [v.strip().lower() for header in page.header("Referrer-Policy") for v in header.split(",") if v.strip()]
    private = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    unsafe = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
    valid = [v for v in values if v in private | unsafe]
    if not values:
        return Result("referrer-policy", "referrer-policy-not-implemented", 0)
    if not valid:
        return Result("referrer-policy", "referrer-policy-header-invalid", -5)
    if valid[-1] in private:  # the last recognised value is the one browsers apply
        return Result("referrer-policy", "referrer-policy-private", 5)
    return Result("referrer-policy", "referrer-policy-unsafe", -5)


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.html = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.html = self.html or tag == "html"
        if tag == "script" and dict(attrs).get("src"):
            self.scripts.append(dict(attrs))


def sri_test(page: Page) -> Result:
    content_type = (page.header("Content-Type") or [""])[0]
    if "html" not in content_type:
        return Result("subresource-integrity", "sri-not-implemented-response-not-html", 0)
    parser = Scripts()
    parser.feed(page.body)
    if not parser.scripts:
        return Result("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0)
    host = urllib.parse.urlsplit(page.url).hostname
    external = [s for s in parser.scripts if urllib.parse.urlsplit(str(s["src"])).netloc
                and urllib.parse.urlsplit(urllib.parse.urljoin(page.url, str(s["src"]))).hostname != host]
    with_sri = all(s.get("integrity") for s in (external or parser.scripts))
    if not external:
        return (Result("subresource-integrity", "sri-implemented-and-all-scripts-loaded-securely", 5) if with_sri
                else Result("subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0))
    secure = all(urllib.parse.urljoin(page.url, str(s["src"])).startswith("https:") and not str(s["src"]).startswith("//")
                 for s in external)
    if secure:
        return (Result("subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5) if with_sri
                else Result("subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5))
    return (Result("subresource-integrity", "sri-implemented-but-external-scripts-not-loaded-securely", -20) if with_sri
            else Result("subresource-integrity", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50))


def nosniff_test(page: Page) -> Result:
    values = page.header("X-Content-Type-Options")
    if not values:
        return Result("x-content-type-options", "x-content-type-options-not-implemented", -5)
    if values[0].strip().lower() != "nosniff":
        return Result("x-content-type-options", "x-content-type-options-header-invalid", -5)
    return Result("x-content-type-options", "x-content-type-options-nosniff", 0)


def frame_test(page: Page) -> Result:
    csp = parse_csp(page.header("Content-Security-Policy")) or {}
    ancestors = csp.get("frame-ancestors")
    if ancestors is not None and not ancestors & BROAD:
        return Result("x-frame-options", "x-frame-options-implemented-via-csp", 5)
    values = page.header("X-Frame-Options")
    if not values:
        return Result("x-frame-options", "x-frame-options-not-implemented", -20)
    value = values[0].strip().lower()
    if value in ("deny", "sameorigin"):
        return Result("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
    if value.startswith("allow-from "):
        return Result("x-frame-options", "x-frame-options-allow-from-origin", 0)
    return Result("x-frame-options", "x-frame-options-header-invalid", -20)


def corp_test(page: Page) -> Result:
    values = page.header("Cross-Origin-Resource-Policy")
    if not values:
        return Result("cross-origin-resource-policy", "cross-origin-resource-policy-not-implemented", 0)
    value = values[0].strip().lower()
    if value in ("same-origin", "same-site"):
        return Result("cross-origin-resource-policy", f"cross-origin-resource-policy-implemented-with-{value}", 10)
    if value == "cross-origin":
        return Result("cross-origin-resource-policy", "cross-origin-resource-policy-implemented-with-cross-origin", 0)
    return Result("cross-origin-resource-policy", "cross-origin-resource-policy-header-invalid", -5)


TESTS = (csp_test, cookies_test, cors_test, redirection_test, referrer_test, hsts_test, sri_test, nosniff_test,
         frame_test, corp_test)


def grade(page: Page) -> tuple[str, int, list[Result]]:
    """The grade, the score and every test's result."""
    results = [test(page) for test in TESTS]
    penalties = 100 + sum(r.modifier for r in results if r.modifier < 0)
    score = max(0, 100 + sum(r.modifier for r in results) if penalties >= EXTRA_CREDIT_FROM else penalties)
    letter = next(name for bound, name in GRADES if score >= bound)
    return letter, score, results
