"""A simulated patient behind the proxy who does what a person does on an error page: goes back and sends again.

Answers come from bench/patients.py (random valid answers drawn from the real questionnaire).
What the patient does on a 502, 503 or 504 (nginx's "Please try again" page,
deploy/_proxy/unavailable.html): waits 0.2 s (reads the page), then
  - after a GET: loads the same address again;
  - after a POST (sending a page of answers): goes Back, which loads the page again (pages are
    `no-store`, so the browser asks the server) with a fresh form, and sends the same answers again.
At most MAX_RESENDS times per step. A flow is LOST when the patient cannot reach the results
that way, or when the results page does not show exactly the guidance the engine gives for the
answers the patient sent (an answer dropped or doubled without the patient being told).
"""

from __future__ import annotations

import html
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from bench.patients import form_value, random_answers
from questionnaire.engine import Engine
from questionnaire.i18n import localize
from questionnaire.model import AnswerValue, Content
from questionnaire.perspective import answers_as_caregiver, for_caregiver

ADVICE_VIEW = 'class="advice advice-'  # warning-sign advice shown at once in place of the next page (as bench/load_test.py)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TITLE = re.compile(r"<h3>(.*?)</h3>")
RETRY_STATUSES = (502, 503, 504)
MAX_RESENDS = 3


class Lost(Exception):
    """The patient could not finish, or finished with results that are not theirs."""


@dataclass
class Tally:
    """What every patient sent and saw, shared by the threads."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)  # (method, status) -> count
    error_pages: int = 0  # retry pages a patient saw (each time a person would have read "Please try again")
    foreign_error_pages: int = 0  # 5xx pages that were not the proxy's "Please try again" page
    resends: int = 0
    flows: int = 0
    lost: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    finished_at: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Engines:
    """The English content's engines, in a patient's words and in a caregiver's, as the app builds them."""

    def __init__(self, content: Content):
        self.content = localize(content, "en")
        self.patient = Engine(self.content)
        self.caregiver = Engine(for_caregiver(self.content))


class Visitor:
    """One person's browser: cookie jar, no automatic redirects, trusts the test nginx's certificate only."""

    def __init__(self, base: str, cert: str, engines: Engines, tally: Tally, seed: int):
        self.base, self.engines, self.tally = base, engines, tally
        self.content = engines.content
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only; REQUESTS_CA_BUNDLE would otherwise replace `verify`
        self.http.verify = cert

    def _send(self, method: str, path: str, data: dict[str, object] | None = None) -> requests.Response:
        began = time.perf_counter()
        response = self.http.request(method, self.base + path, data=data, allow_redirects=False, timeout=30)
        with self.tally.lock:
            self.tally.latencies.append(time.perf_counter() - began)
            self.tally.statuses[(method, response.status_code)] += 1
            if response.status_code in RETRY_STATUSES:
                self.tally.error_pages += 1
                if "Please try again" not in response.text:
                    self.tally.foreign_error_pages += 1
        return response

    def get(self, path: str) -> requests.Response:
        for _ in range(MAX_RESENDS + 1):
            response = self._send("GET", path)
            if response.status_code not in RETRY_STATUSES:
                return response
            time.sleep(0.2)
            with self.tally.lock:
                self.tally.resends += 1
        raise Lost(f"GET {path}: still {response.status_code} after {MAX_RESENDS} reloads")

    def submit(self, path: str, form: dict[str, object], page: requests.Response,
               reload: str | None = None) -> requests.Response:
        """Send a form; on an error page go Back (reload the form, at `reload` when it is not `path`) and send again."""
        for _ in range(MAX_RESENDS + 1):
            token = CSRF.search(page.text)
            if not token:
                raise Lost(f"no form on {path} ({page.status_code})")
            response = self._send("POST", path, {**form, "csrf_token": token.group(1)})
            if response.status_code not in RETRY_STATUSES:
                return response
            time.sleep(0.2)
            with self.tally.lock:
                self.tally.resends += 1
            page = self.get(reload or path)
        raise Lost(f"POST {path}: still {response.status_code} after {MAX_RESENDS} re-sends")

    def walk(self) -> None:
        """Start, answer every page the flow shows, check, results; then compare the results with the engine's."""
        answers = random_answers(self.content.questionnaire, self.rng)
        self.http.cookies.clear()
        start = self.get("/")
        response = self.submit("/start", {}, start, reload="/")  # the start button is on /
        sent: dict[str, AnswerValue] = {}
        for _ in range(len(self.content.questionnaire.pages) + 2):
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location in ("/check", ""):
                break
            page = self.get(location)
            if ADVICE_VIEW in page.text:  # a warning sign's advice in place of the page: "Continue with the questions"
                page = self.get(location)
            form: dict[str, object] = {}
            for question in self.content.questionnaire.questions:
                if f'name="{question.id}"' in page.text and question.id in answers:
                    form[question.id] = form_value(answers[question.id])
                    sent[question.id] = answers[question.id]
            response = self.submit(location, form, page)
        if response.headers.get("Location") != "/check":
            raise Lost(f"the flow ended at {response.status_code} {response.headers.get('Location')}, not at /check")
        if self.get("/check").status_code != 200:
            raise Lost("check your answers did not open")
        results = self.get("/results")
        shown = sorted(html.unescape(title) for title in TITLE.findall(results.text))
        engine = self.engines.caregiver if answers_as_caregiver(self.content, sent) else self.engines.patient
        expected = sorted(g.rule.title for g in engine.evaluate(sent, "911").guidance)
        if results.status_code != 200 or shown != expected:
            raise Lost(f"results {results.status_code}: shown {shown}, expected {expected}")
        with self.tally.lock:
            self.tally.flows += 1
            self.tally.finished_at.append(time.monotonic())

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                self.walk()
            except Lost as exc:
                with self.tally.lock:
                    self.tally.lost.append(str(exc))
            except requests.RequestException as exc:  # nginx itself did not answer: lost too
                with self.tally.lock:
                    self.tally.lost.append(f"{type(exc).__name__}: {exc}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
