"""Load test: N simulated patients walk the whole web flow, plus the JSON API, under real gunicorn.

Usage: .venv/bin/python bench/load_test.py [--users 50] [--seconds 30] [--workers N] [--behind-nginx]

Each simulated patient starts a session (CSRF token and cookie included), answers every page it
is sent to with random valid answers (going on past warning-sign advice shown in place of a
page), opens "check your answers" and the results, then posts
the same answers to /api/v1/evaluate and fetches /api/v1/questionnaire. Traffic goes to
127.0.0.1 only; the run is bounded in time and request count, and gunicorn is stopped at the
end. Prints requests per second, latency percentiles, errors and 5xx; exits 1 on any error.
--behind-nginx puts the shipped deploy/nginx.conf (TLS, buffering; tests/nginx.py) in front of
gunicorn, as deployed, and prints whole patient flows per second per gunicorn worker (one worker is
one process, so at most one core).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from patients import form_value, json_answers, random_answers
from server import serve

from questionnaire.loader import load_content
from questionnaire.model import Questionnaire

PAGE_MARK = re.compile(r'data-page="([^"]+)"')  # a question page names itself in its body; its URL does not

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
MAX_REQUESTS = 500_000  # a hard bound, whatever the duration
ADVICE_VIEW = 'class="advice advice-'  # emergency or urgent advice, shown at once in place of the next page


class FlowError(Exception):
    """A response a real patient would notice: wrong status, missing token, wrong page."""


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_errors: int = 0
    flows: int = 0
    advice: int = 0  # advice views passed through (emergency or urgent signs reported)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Patient:
    """One person's browser: a cookie jar, no automatic redirects, every request timed."""

    def __init__(self, base: str, questionnaire: Questionnaire, stats: Stats, rng: random.Random,
                 cert: str | None = None):
        self.base, self.questionnaire, self.stats, self.rng = base, questionnaire, stats, rng
        self.http = requests.Session()
        if cert:  # the test nginx's own certificate; trust_env off, or REQUESTS_CA_BUNDLE replaces it
            self.http.trust_env = False
            self.http.verify = cert

    def request(self, method: str, path: str, expect: int, **kwargs: object) -> requests.Response:
        if len(self.stats.latencies) >= MAX_REQUESTS:
            raise FlowError("request limit reached")
        began = time.perf_counter()
        response = self.http.request(method, self.base + path, allow_redirects=False, timeout=30, **kwargs)
        self.stats.latencies.append(time.perf_counter() - began)
        if response.status_code >= 500:
            with self.stats.lock:
                self.stats.server_errors += 1
        if response.status_code != expect:
            raise FlowError(f"{method} {path}: {response.status_code}, expected {expect}")
        return response

    def token(self, response: requests.Response) -> str:
        match = CSRF.search(response.text)
        if not match:
            raise FlowError(f"no CSRF token on {response.url}")
        return match.group(1)

    def walk(self) -> None:
        """The whole web flow, then the API with the same answers."""
        answers = random_answers(self.questionnaire, self.rng)
        self.http.cookies.clear()
        start = self.request("GET", "/", 200)
        location = self.request("POST", "/start", 302, data={"csrf_token": self.token(start)}).headers["Location"]
        for _ in range(len(self.questionnaire.pages) + 1):
            if not location.startswith("/questions"):
                break
            page = self.request("GET", location, 200)
            if ADVICE_VIEW in page.text:  # a warning sign's advice in place of the page: "Continue with the questions"
                page = self.request("GET", location, 200)
                if ADVICE_VIEW in page.text:
                    raise FlowError(f"the same advice shown twice at {location}")
                with self.stats.lock:
                    self.stats.advice += 1
            mark = PAGE_MARK.search(page.text)
            if not mark:
                raise FlowError(f"no question page at {location}")
            page_id = mark.group(1)
            form: dict[str, object] = {"csrf_token": self.token(page)}
            for question in self.questionnaire.page(page_id).questions:  # type: ignore[union-attr]
                if f'name="{question.id}"' in page.text:
                    form[question.id] = form_value(answers[question.id])
            location = self.request("POST", location, 302, data=form).headers["Location"]
        if location != "/check":
            raise FlowError(f"the flow ended at {location}, not at /check")
        self.request("GET", "/check", 200)
        results = self.request("GET", "/results", 200)
        if "<h1" not in results.text:
            raise FlowError("results page without a heading")
        body = self.request("POST", "/api/v1/evaluate", 200, json={"answers": json_answers(answers)}).json()
        if not body.get("guidance"):
            raise FlowError("API evaluation without guidance")
        self.request("GET", "/api/v1/questionnaire", 200)
        with self.stats.lock:
            self.stats.flows += 1

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                self.walk()
            except FlowError as exc:
                if "request limit" in str(exc):
                    return
                self.stats.error(str(exc))
            except requests.RequestException as exc:
                self.stats.error(f"{type(exc).__name__}: {exc}")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


SERVED_BY: list[int] = []  # the gunicorn master behind nginx, for its workers' CPU time


@contextmanager
def serving(behind_nginx: bool, workers: int | None) -> Iterator[tuple[str, str | None, Callable[[], list[float]]]]:
    """gunicorn alone, or the shipped nginx in front of it: (base URL, certificate to trust, worker RSS)."""
    if not behind_nginx:
        with serve("app:create_app()", workers=workers) as server:
            yield server.url, None, server.worker_rss_mb
        return
    from tests.nginx import stack

    with stack(instances=1, workers=workers or 1) as (nginx, servers):
        assert servers[0].process is not None
        master = servers[0].process.pid
        SERVED_BY.append(master)
        yield nginx.url, str(nginx.cert), lambda: rss_of_children(master)


def cpu_seconds_of_children(pid: int) -> float:
    """User + system CPU time of a gunicorn master's workers so far (from /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def rss_of_children(pid: int) -> list[float]:
    """Resident memory of a gunicorn master's workers (VmRSS from /proc), in MB."""
    sizes = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated patients (default 50)")
    parser.add_argument("--seconds", type=float, default=30, help="how long to run (default 30)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--behind-nginx", action="store_true", help="through the shipped deploy/nginx.conf")
    args = parser.parse_args()
    questionnaire = load_content(os.environ.get("QUESTIONNAIRE_CONTENT_DIR")).questionnaire
    stats = Stats()
    load_before = os.getloadavg()
    with serving(args.behind_nginx, args.workers) as (url, cert, rss_mb):
        patients = [Patient(url, questionnaire, stats, random.Random(seed), cert) for seed in range(args.users)]
        cpu_before = cpu_seconds_of_children(SERVED_BY[0]) if SERVED_BY else 0.0
        deadline = time.monotonic() + args.seconds
        began = time.monotonic()
        threads = [threading.Thread(target=p.run, args=(deadline,)) for p in patients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        cpu = cpu_seconds_of_children(SERVED_BY[0]) - cpu_before if SERVED_BY else 0.0
        rss = rss_mb()
    latencies = sorted(stats.latencies)
    where = "nginx (deploy/nginx.conf, TLS) in front of gunicorn" if args.behind_nginx else "gunicorn"
    print(f"load test: {args.users} users for {args.seconds:g} s against {where} ({len(rss)} workers) "
          f"on {os.cpu_count()} CPUs; load average before {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"  requests      {len(latencies)}  ({stats.flows} complete patient flows + API calls, "
          f"{stats.advice} warning-sign advice views)")
    print(f"  requests/s    {len(latencies) / elapsed:.1f}")
    print("  latency ms    p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  max {:.1f}".format(
        *(1000 * percentile(latencies, f) for f in (0.50, 0.95, 0.99, 1.0))))
    print(f"  errors        {len(stats.errors)}")
    print(f"  5xx           {stats.server_errors}")
    print("  worker RSS MB " + " ".join(f"{size:.1f}" for size in rss))
    print(f"  flows/s       {stats.flows / elapsed:.2f} whole patient flows per second, "
          f"{stats.flows / elapsed / max(1, len(rss)):.2f} per gunicorn worker (= per core at most)")
    if cpu:
        print(f"  worker CPU    {cpu:.1f} s over {elapsed:.1f} s: {stats.flows / cpu:.1f} whole patient flows "
              f"per CPU-second of gunicorn (what one fully used core serves; the machine's load does not change it)")
    for message in sorted(set(stats.errors))[:10]:
        print(f"  error: {message}")
    return 1 if stats.errors or stats.server_errors or not stats.flows else 0


if __name__ == "__main__":
    sys.exit(main())
