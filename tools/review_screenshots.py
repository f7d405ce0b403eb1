"""Screenshot the staff review pages (index, a rule, a question, the questionnaire, safety checks) at 375 and 1280 px.

Usage: .venv/bin/python tools/review_screenshots.py [BASE_URL] [OUT_DIR] [RULE_ID] [QUESTION_ID]
Starts nothing itself: point it at a running app with REVIEW_ACCESS=public.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main(base: str, out: Path, rule_id: str, question_id: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    pages = {"index": "/review/", "filter": "/review/?q=stiffness", "rule": f"/review/rules/{rule_id}",
             "question": f"/review/questions/{question_id}", "questionnaire": "/review/questionnaire",
             "invariants": "/review/invariants"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=out / f"review-{name}-{width}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    args = sys.argv[1:] + [None] * 4
    main(args[0] or "http://127.0.0.1:5000", Path(args[1] or "artifacts/screenshots"),
         args[2] or "pump-itch-or-fever", args[3] or "has_pump")
