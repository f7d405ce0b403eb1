"""Real Chromium: a clinic's flow works inside a frame on a site it lists, and is refused anywhere else.

The app runs on http://127.0.0.1:A and a framing page on port B. Reached as http://localhost:B the
framing page is a listed origin on another site (so the session cookie is a third-party one); reached
as http://127.0.0.1:B it is an origin the clinic does not list. Chromium treats both hosts as secure
contexts, so the Secure session cookie works over plain http here.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from app import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FIXTURES = Path(__file__).parent / "fixtures" / "minimal"
CLINIC = """\
slug: {slug}
name: {name}
country: GB
phone: 0161 496 0999
address: 1 Frame Street
language: en
embed_origins: [{origins}]
"""


class _Framer(BaseHTTPRequestHandler):
    """Serves one page that frames whatever /?src= names."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        src = self.path.split("?src=", 1)[1] if "?src=" in self.path else ""
        body = f'<!doctype html><title>Clinic site</title><h1>Our clinic</h1><iframe src="{src}" width="800" ' \
               f'height="900" title="Questionnaire"></iframe>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _serve(server: Any) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (scripts/test installs it)")
    framer = ThreadingHTTPServer(("127.0.0.1", 0), _Framer)
    framer_port = framer.server_address[1]
    root = tmp_path_factory.mktemp("embed") / "content"
    shutil.copytree(FIXTURES, root)
    (root / "clinics").mkdir()
    (root / "clinics" / "framed.yaml").write_text(
        CLINIC.format(slug="framed", name="Framed Test Clinic", origins=f"'http://localhost:{framer_port}'"))
    (root / "clinics" / "unframed.yaml").write_text(
        CLINIC.format(slug="unframed", name="Unframed Test Clinic", origins=""))
    # TESTING: a localhost embed origin is refused outside development and tests (issue 16).
    app = create_app({"QUESTIONNAIRE_CONTENT_DIR": str(root), "SECRET_KEY": "browser-test-only",
                      "SESSION_COOKIE_SECURE": True, "TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    _serve(server), _serve(framer)
    try:
        yield {"app": f"http://127.0.0.1:{server.server_port}",
               "listed": f"http://localhost:{framer_port}", "unlisted": f"http://127.0.0.1:{framer_port}"}
    finally:
        server.shutdown(), framer.shutdown()
        framer.server_close()


def _open_framed(browser: Browser, site: str, src: str) -> tuple[Page, list[str]]:
    page = browser.new_page()
    page.set_default_timeout(10_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{site}/?src={src}")
    page.wait_for_load_state("load")
    return page, console


def _frame_text(page: Page) -> str:
    frame = page.frames[1] if len(page.frames) > 1 else None
    if frame is None or not frame.url.startswith("http"):
        return ""
    try:
        return frame.inner_text("body", timeout=2000)
    except Exception:  # an error page has no document the test may read
        return ""


@pytest.mark.parametrize(("site", "clinic"), [("unlisted", "framed"), ("listed", "unframed")])
def test_framing_is_refused_where_the_clinic_does_not_list_the_site(sites, browser, site, clinic):
    page, console = _open_framed(browser, sites[site], f"{sites['app']}/c/{clinic}")
    assert page.inner_text("h1") == "Our clinic"  # the framing page itself loads
    assert "Test Clinic" not in _frame_text(page)
    assert any("frame-ancestors" in line or "X-Frame-Options" in line for line in console), console
    page.close()


def test_the_flow_works_through_to_results_inside_a_listed_sites_frame(sites, browser):
    page, console = _open_framed(browser, sites["listed"], f"{sites['app']}/c/framed")
    frame = page.frame_locator("iframe")
    assert "Framed Test Clinic" in frame.locator(".clinic-band").inner_text()
    frame.locator("button.button-start").click()
    frame.locator('input[name="has_pump"][value="yes"]').check()
    frame.locator("form[data-page] button[type=submit]").click()  # a form post: needs the session cookie in the frame
    frame.locator('input[name="pump_symptoms"][value="itching"]').check()
    frame.locator('input[name="severity"][value="8"]').check()
    frame.locator("form[data-page] button[type=submit]").click()
    frame.get_by_text("See my results").click()
    results = frame.locator("main").inner_text()
    assert "Call 999 now" in results
    assert "Bring this to your appointment at Framed Test Clinic" in results
    assert not any("frame-ancestors" in line for line in console), console
    page.close()


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_poster_prints_on_one_page_of_its_paper(sites, browser, paper, size):
    page = browser.new_page()
    page.goto(f"{sites['app']}/staff/clinics/framed/poster/{paper}")
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    boxes = {tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes == {(0, 0, *size)}
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
