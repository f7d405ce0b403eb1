"""Lighthouse scores (performance, accessibility, best practices): start, a question, the results and /about.

Usage: .venv/bin/python tools/lighthouse.py [--json-dir DIR]

Installs the pinned npm `lighthouse` (tools/lighthouse/package-lock.json) with `npm ci` when missing,
serves the app under real gunicorn on a free loopback port, walks the flow with `requests` to get a
session cookie (question and results pages need answers), and runs Lighthouse against Debian's
Chromium with its default mobile settings. Prints one line per page; exits 1 if any score is below 100.
Not part of CI: each run takes about 20 s a page and scores can move with machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# One complete set of answers, page by page (a pump with warning signs: results open with emergency advice).
ANSWERS = {
    "about": {"respondent": "self", "has_pump": "yes"},
    "pump": {"pump_medicine": "baclofen", "pump_symptoms": ["itching", "fever"], "pump_recent_change": "no"},
    "health": {"age_group": "age_18_64", "conditions": ["ms"]},
    "pump-care": {"pump_past_withdrawal": "no", "refill_arranger": "self", "refill_trip": "easy"},
    "symptoms": {"symptoms": ["stiffness"], "ms_flare": "no"},
    "stiffness": {"spasm_frequency": "3", "stiffness_severity": "8", "stiffness_helps": "no"},
    "impact": {"daily_impact": ["walking"]},
    "medicines": {"oral_medicines": ["none"]},
    "treatments": {"other_treatments": ["physical_therapy"]},
    "safety": {"health_factors": ["none"]},
}

def install() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SECRET_KEY": secrets.token_hex(16), "SESSION_COOKIE_SECURE": "0", "WEB_CONCURRENCY": "2",
           "TRUSTED_HOSTS": "127.0.0.1"}  # production mode serves only named hosts
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                               "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def session_cookie(base: str) -> str:
    """Walk the flow like a browser (with CSRF tokens) and return the signed session cookie."""
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/?lang=en", timeout=10).text)
    response = browser.post(f"{base}/start", data={"csrf_token": token and token.group(1)}, timeout=10)
    while "/questions" in response.url:
        found = re.search(r'data-page="([^"]+)"', response.text)
        if found is None:  # the warning-sign advice, shown once at the same URL: "Continue with the questions"
            response = browser.get(response.url, timeout=10)
            continue
        page_id = found.group(1)
        token = CSRF.search(response.text)
        response = browser.post(response.url, data={**ANSWERS[page_id], "csrf_token": token and token.group(1)},
                                timeout=10)
    if not response.url.endswith("/check"):
        raise SystemExit(f"the walk did not reach check answers: {response.url}")
    return f"session={browser.cookies['session']}"


def scores(url: str, cookie: str | None, json_dir: Path | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        report, headers = Path(tmp) / "report.json", Path(tmp) / "headers.json"
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
        if cookie:
            headers.write_text(json.dumps({"Cookie": cookie}))
            command.append(f"--extra-headers={headers}")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(report.read_text())
        if json_dir:
            json_dir.mkdir(parents=True, exist_ok=True)
            (json_dir / f"{url.rsplit('/', 1)[1] or 'start'}.json").write_text(report.read_text())
    scored = {ref["id"] for name in CATEGORIES for ref in result["categories"][name]["auditRefs"] if ref["weight"] > 0}
    for audit_id in sorted(scored):
        audit = result["audits"][audit_id]
        if audit.get("score") is not None and audit["score"] < 1:
            print(f"    {url}: {audit_id}: {audit['title']} ({audit.get('displayValue', '')})")
    audits = result["audits"]
    print(f"    {url}: largest paint {audits['largest-contentful-paint']['displayValue']}, "
          f"{audits['total-byte-weight']['displayValue']}")
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json-dir", type=Path, help="also keep each Lighthouse JSON report here")
    args = parser.parse_args()
    install()
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        cookie = session_cookie(base)
        pages = [("start", f"{base}/", None), ("question", f"{base}/questions", cookie),
                 ("results", f"{base}/results", cookie), ("about", f"{base}/about", None)]
        below = False
        results = requests.get(f"{base}/results", headers={"Cookie": cookie}, timeout=10).text
        if "emergency-banner" not in results:
            raise SystemExit("the session cookie did not open the results page")
        for name, url, sent in pages:
            got = scores(url, sent, args.json_dir)
            below = below or min(got.values()) < 100
            print(f"{name:9} " + "  ".join(f"{category} {score}" for category, score in got.items()), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    sys.exit(1 if below else 0)


if __name__ == "__main__":
    main()
