"""Walk the web flow in headless Chromium and save a screenshot of each page type.

Usage: .venv/bin/python tools/screenshots.py [BASE_URL] [OUT_DIR]
Starts nothing itself: point it at a running app (scripts/run).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ANSWERS = {
    "about": [("respondent", "self"), ("has_pump", "yes")],
    "pump": [("pump_medicine", "baclofen"), ("pump_symptoms", "itching"), ("pump_symptoms", "fever")],
    "health": [("age_group", "age_18_64"), ("conditions", "ms")],
    "symptoms": [("symptoms", "stiffness")],
    "stiffness": [("spasm_frequency", "3"), ("stiffness_severity", "8"), ("stiffness_helps", "no")],
    "impact": [("daily_impact", "walking")],
    "medicines": [("oral_medicines", "baclofen")],
    "medicine-effects": [("oral_medicines_effect", "does_not_help"), ("side_effects", "drowsiness")],
    "treatments": [("other_treatments", "physical_therapy")],
    "safety": [("health_factors", "none"), ("refill_visits", "yes")],
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "/")
            page.screenshot(path=out / f"start-{width}.png", full_page=True)
            page.click("button[type=submit]")
            page.click("button[type=submit]")  # submit empty: error state
            page.screenshot(path=out / f"error-{width}.png", full_page=True)
            while "/questions/" in page.url:
                page_id = page.url.rsplit("/", 1)[1]
                for name, value in ANSWERS[page_id]:
                    page.check(f'input[name="{name}"][value="{value}"]')
                page.screenshot(path=out / f"q-{page_id}-{width}.png", full_page=True)
                page.click("button[type=submit]")
            page.screenshot(path=out / f"check-{width}.png", full_page=True)
            page.click("text=See my results")
            page.screenshot(path=out / f"results-{width}.png", full_page=True)
            page.pdf(path=str(out / "results.pdf")) if width == 1280 else None
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000",
         Path(sys.argv[2] if len(sys.argv) > 2 else "artifacts/screenshots"))
