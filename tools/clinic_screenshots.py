"""Screenshots of a clinic link: start, a question page, results, the staff page and the poster.

Usage: .venv/bin/python tools/clinic_screenshots.py [SLUG] [OUT_DIR]
Serves the app itself on a free loopback port (a werkzeug thread) and stops it when done.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app import create_app  # noqa: E402
from tests.webflow import PUMP_EMERGENCY  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main(slug: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    server = make_server("127.0.0.1", 0, create_app({"SECRET_KEY": "screenshots-only"}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width in (375, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/c/{slug}")
                page.screenshot(path=out / f"clinic-start-{width}.png", full_page=True)
                page.click("button.button-start")
                first = True
                while "/questions/" in page.url:
                    for name, value in PUMP_EMERGENCY[page.url.rsplit("/", 1)[1]].items():
                        for one in value if isinstance(value, list) else [value]:
                            page.check(f'input[name="{name}"][value="{one}"]')
                    if first:
                        page.screenshot(path=out / f"clinic-question-{width}.png", full_page=True)
                        first = False
                    page.click("button[type=submit]")
                page.click("text=See my results")
                page.screenshot(path=out / f"clinic-results-{width}.png", full_page=True)
                if width == 1280:
                    page.pdf(path=str(out / "clinic-results.pdf"))
                page.goto(f"{base}/staff/clinics/{slug}")
                page.screenshot(path=out / f"clinic-staff-{width}.png", full_page=True)
                page.goto(f"{base}/staff/clinics/{slug}/poster/a4")
                page.screenshot(path=out / f"clinic-poster-{width}.png", full_page=True)
                page.emulate_media(media="print")
                page.screenshot(path=out / f"clinic-poster-print-{width}.png", full_page=True)
                for paper in ("a4", "letter"):
                    page.goto(f"{base}/staff/clinics/{slug}/poster/{paper}")
                    page.pdf(path=str(out / f"clinic-poster-{paper}.pdf"), prefer_css_page_size=True)
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "example-uk",
         Path(sys.argv[2] if len(sys.argv) > 2 else "artifacts/clinic-screenshots"))
