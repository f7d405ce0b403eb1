"""The HTTP Observatory's grade for a page, computed here (no network to the real service).

Usage: .venv/bin/python tools/observatory.py            # starts deploy/nginx.conf + gunicorn on loopback, scores /
       .venv/bin/python tools/observatory.py --url https://host/ [--http-url http://host/] [--cafile ca.pem]

The rules are the published scoring of Mozilla's HTTP Observatory (MDN's 2024 rewrite: ten tests,
a base of 100, penalties always counted, bonuses only when the score without them is 90 or more,
grades in steps of 5 from A+ at 100). HSTS preloading cannot be looked up offline and counts as
not preloaded (0, not +5).
"""

from __future__ import annotations

import argparse
import http.client
import ssl
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.observatory_rules import PROBE_ORIGIN, TESTS, Page, Result, grade  # noqa: E402

__all__ = ["TESTS", "Page", "Result", "fetch", "grade", "main", "report"]


def _get(url: str, context: ssl.SSLContext | None,
         headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, str]:
    parts = urllib.parse.urlsplit(url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname or "", parts.port or 443, timeout=10, context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
    connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response, body


def fetch(url: str, http_url: str | None, context: ssl.SSLContext | None) -> Page:
    """The page, following redirects; the chain from plain HTTP; a CORS probe; crossdomain files."""
    chain_url = url
    response, body = _get(chain_url, context)
    for _ in range(10):
        if response.status not in (301, 302, 303, 307, 308):
            break
        chain_url = urllib.parse.urljoin(chain_url, response.getheader("Location", ""))
        response, body = _get(chain_url, context)
    page = Page(chain_url, response.status, response.getheaders(), body)
    if http_url:
        chain = [http_url]
        for _ in range(10):
            try:
                hop, _ = _get(chain[-1], context)
            except OSError:
                break
            if hop.status not in (301, 302, 303, 307, 308):
                break
            chain.append(urllib.parse.urljoin(chain[-1], hop.getheader("Location", "")))
        page.http_chain = chain
    page.cors_headers = _get(chain_url, context, {"Origin": PROBE_ORIGIN})[0].getheaders()
    for path in ("/crossdomain.xml", "/clientaccesspolicy.xml"):
        probe, text = _get(urllib.parse.urljoin(chain_url, path), context)
        if probe.status == 200:
            page.cross_domain_files[path] = text
    return page


def report(page: Page) -> str:
    letter, score, results = grade(page)
    lines = [f"HTTP Observatory rules for {page.url}: grade {letter}, score {score}"]
    lines += [f"  {r.test:32} {r.modifier:+4d}  {r.result}" for r in results]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="score this page instead of starting the loopback stack")
    parser.add_argument("--http-url", help="the same site over plain HTTP, for the redirection test")
    parser.add_argument("--cafile", help="trust this certificate (a self-signed test instance)")
    args = parser.parse_args()
    if args.url:
        context = ssl.create_default_context(cafile=args.cafile)
        print(report(fetch(args.url, args.http_url, context)))
        return 0
    from tests.nginx import stack  # the shipped deploy/nginx.conf in front of gunicorn, loopback only

    with stack(instances=1) as (nginx, _):
        print(report(fetch(nginx.url + "/", f"http://127.0.0.1:{nginx.http_port}/", nginx.ssl_context())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
