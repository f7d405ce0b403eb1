"""Page weight: bytes a first visit transfers per page type (HTML + CSS + JS + images), target under 30 KB.

Usage: .venv/bin/python bench/page_weight.py

Walks the real web flow with the Flask test client (CSRF tokens included) for two sets of
answers drawn from the real questionnaire, one whose results include emergency advice and one
without, and for each page adds every file it references (stylesheets, scripts, icons, images,
and url(...) inside stylesheets), each counted once, as on a first visit with an empty cache.
Bodies as a browser receives them: static files compressed as Chromium asks ("gzip, deflate, br,
zstd"; pages are never compressed, questionnaire/web/http/compression.py); the last column is the
same total uncompressed. Headers not counted (the browser tests add Chromium's 300 bytes a file).
Exits 1 if any page is over the target.
"""

from __future__ import annotations

import os
import random
import re
import sys

from patients import form_value, random_answers

from app import create_app
from questionnaire.engine import Engine
from questionnaire.model import AnswerValue, Content, Level

NUMBER = "911"  # an emergency number from content (US); the engine has no default, and it does not change timings
PAGE_MARK = re.compile(r'data-page="([^"]+)"')  # a question page names itself in its body; its URL does not
ADVICE = 'class="advice advice-'  # a warning sign's advice, shown once in place of the next page
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}

TARGET = 30 * 1024
REFERENCE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"')
CSS_URL = re.compile(r'url\(\s*["\']?(/[^"\')]+)')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def answers_with(content: Content, emergency: bool) -> dict[str, AnswerValue]:
    """Random answers whose results do (or do not) start with emergency advice; of those, the ones
    that show the most questions, so that every question page is weighed."""
    engine, rng = Engine(content), random.Random(3)
    fitting = [answers for answers in (random_answers(content.questionnaire, rng) for _ in range(3000))
               if (engine.evaluate(answers, NUMBER).highest_level is Level.EMERGENCY) is emergency]
    if not fitting:
        raise SystemExit(f"no random answers found with emergency={emergency}")
    return max(fitting, key=len)


class Visitor:
    """A browser with an empty cache: each page's HTML plus everything it references."""

    def __init__(self, client: object):
        self.client = client
        self.rows: list[tuple[str, dict[str, int]]] = []

    def fetch(self, path: str, headers: dict[str, str]) -> bytes:
        response = self.client.get(path, headers=headers)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.status_code)
        body = bytes(response.get_data())
        response.close()
        return body

    def weigh(self, label: str, html: str) -> None:
        sizes = {"html": len(html.encode()), "css": 0, "js": 0, "images": 0, "plain": len(html.encode())}
        seen: set[str] = set()
        pending = REFERENCE.findall(html)
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            body = self.fetch(path, {})
            name = path.split("?")[0]
            kind = "css" if name.endswith(".css") else "js" if name.endswith(".js") else "images"
            sizes[kind] += len(self.fetch(path, BROWSER))
            sizes["plain"] += len(body)
            if kind == "css":
                pending.extend(CSS_URL.findall(body.decode()))
        self.rows.append((label, sizes))


def walk(visitor: Visitor, content: Content, answers: dict[str, AnswerValue], results_label: str) -> None:
    client: object = visitor.client
    start = client.get("/")  # type: ignore[attr-defined]
    visitor.weigh("start", start.get_data(as_text=True))
    token = CSRF.search(start.get_data(as_text=True))
    response = client.post("/start", data={"csrf_token": token.group(1) if token else ""})  # type: ignore[attr-defined]
    while response.status_code == 302 and response.location.startswith("/questions"):
        html = client.get(response.location).get_data(as_text=True)  # type: ignore[attr-defined]
        if ADVICE in html:
            visitor.weigh("advice (warning sign)", html)
            html = client.get(response.location).get_data(as_text=True)  # type: ignore[attr-defined]
        page_id = PAGE_MARK.search(html).group(1)  # type: ignore[union-attr]  # the page names itself
        visitor.weigh(f"question: {page_id}", html)
        form: dict[str, object] = {"csrf_token": CSRF.search(html).group(1)}  # type: ignore[union-attr]
        for question in content.questionnaire.page(page_id).questions:  # type: ignore[union-attr]
            if f'name="{question.id}"' in html:
                form[question.id] = form_value(answers[question.id])
        response = client.post(response.location, data=form)  # type: ignore[attr-defined]
    visitor.weigh("check answers", client.get("/check").get_data(as_text=True))  # type: ignore[attr-defined]
    visitor.weigh(results_label, client.get("/results").get_data(as_text=True))  # type: ignore[attr-defined]


def main() -> int:
    os.environ.setdefault("SECRET_KEY", "page-weight-bench")
    app = create_app({"SESSION_COOKIE_SECURE": False, "TRUSTED_HOSTS": ["localhost"]})  # the test client's host
    content = app.extensions["questionnaire"].content
    visitor = Visitor(app.test_client())
    walk(visitor, content, answers_with(content, emergency=True), "results, with emergency")
    second = Visitor(app.test_client())
    walk(second, content, answers_with(content, emergency=False), "results, no emergency")
    found = {**dict(second.rows), **dict(visitor.rows)}  # question pages either walk saw
    order = ["start", "advice (warning sign)", *(f"question: {page.id}" for page in content.questionnaire.pages),
             "check answers",
             "results, with emergency", "results, no emergency"]
    rows = {label: found[label] for label in order if label in found}
    print(f"{'page':32} {'HTML':>7} {'CSS':>7} {'JS':>7} {'images':>7} {'total':>8}  {'uncompressed':>12}")
    over = 0
    totals = {label: sum(v for k, v in sizes.items() if k != "plain") for label, sizes in rows.items()}
    for label, sizes in rows.items():
        total = totals[label]
        over += total > TARGET
        print(f"{label:32} {sizes['html']:7} {sizes['css']:7} {sizes['js']:7} {sizes['images']:7} "
              f"{total / 1024:6.1f} KB  {sizes['plain'] / 1024:9.1f} KB{'  OVER 30 KB' if total > TARGET else ''}")
    print(f"\n{len(rows)} page types; largest {max(totals.values()) / 1024:.1f} KB "
          f"(target under 30 KB); bytes as a browser receives them (static files compressed, pages not)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
