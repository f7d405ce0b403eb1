"""What the shipped nginx (deploy/nginx.conf) changes, against gunicorn alone: slow clients and a staff-password attack.

Usage: .venv/bin/python bench/proxy_bench.py slow     # 20 slow-header clients: gunicorn (3 sync workers) vs nginx
       .venv/bin/python bench/proxy_bench.py attack   # 8 connections guessing /review's password: no limit vs limit_req

Everything runs on 127.0.0.1 (tests/nginx.py starts nginx and gunicorn, and stops them); each run
is bounded in time. Prints figures; asserts nothing (the behaviour is tested in tests/test_deploy.py).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.security import generate_password_hash  # noqa: E402

from tests.nginx import stack  # noqa: E402
from tests.serving import Gunicorn  # noqa: E402
from tests.visitor import percentile  # noqa: E402

SLOW_CLIENTS = 20


def client(cert: str | None) -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # loopback only; REQUESTS_CA_BUNDLE would otherwise replace `verify`
    http.verify = cert or True
    return http


def drip(port: int, context: ssl.SSLContext | None, stop: threading.Event) -> None:
    """A slow-header client: a request line, then one header line a second, never the end of the headers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            sock = context.wrap_socket(raw, server_hostname="127.0.0.1") if context else raw
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            for n in range(60):
                if stop.wait(1.0):
                    return
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
    except OSError:
        return  # the server dropped it


def normal_requests(url: str, cert: str | None, seconds: float) -> tuple[int, int, list[float]]:
    """One request every 0.25 s for `seconds`, each allowed 5 s; returns (served, sent, latencies of the served)."""
    http, served, sent, latencies = client(cert), 0, 0, []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.perf_counter()
        sent += 1
        try:
            if http.get(url + "/", timeout=5).status_code == 200:
                served += 1
                latencies.append(time.perf_counter() - began)
        except requests.RequestException:
            pass
        time.sleep(0.25)
    return served, sent, latencies


def under_slow_clients(url: str, port: int, cert: str | None, context: ssl.SSLContext | None) -> str:
    stop = threading.Event()
    threads = [threading.Thread(target=drip, args=(port, context, stop)) for _ in range(SLOW_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    served, sent, latencies = normal_requests(url, cert, 15)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    return (f"{served}/{sent} normal requests served in 15 s, p50 {1000 * percentile(latencies, 0.5):.0f} ms, "
            f"p95 {1000 * percentile(latencies, 0.95):.0f} ms")


def slow() -> None:
    env = {"WEB_CONCURRENCY": "3", "PUBLIC_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1"}
    with Gunicorn(env=env) as server:
        print(f"gunicorn alone (3 sync workers), {SLOW_CLIENTS} slow-header clients: "
              + under_slow_clients(f"http://127.0.0.1:{server.port}", server.port, None, None))
    with stack(instances=1, workers=3) as (nginx, _):
        print(f"behind nginx (same gunicorn),    {SLOW_CLIENTS} slow-header clients: "
              + under_slow_clients(nginx.url, nginx.port, str(nginx.cert), nginx.ssl_context()))


def attack_worker(url: str, cert: str, seconds: float, connections: int) -> None:
    """Run by `attack` in its own process (so it does not share a GIL with the patient it slows): prints counts."""
    answers: Counter[int] = Counter()
    end = time.monotonic() + seconds

    def guess() -> None:
        http = client(cert)
        while time.monotonic() < end:
            try:
                answers[http.get(url + "/review/", auth=("staff", "guess"), timeout=10).status_code] += 1
            except requests.RequestException:
                answers[0] += 1

    threads = [threading.Thread(target=guess) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({str(k): v for k, v in answers.items()}))


def start_attack(url: str, cert: str, seconds: float, connections: int = 8) -> subprocess.Popen[str]:
    """The attacker in its own process at the lowest CPU priority: a real one runs on its own machine, so its
    own client work (TLS, HTTP parsing) must not take the CPU from the server it attacks."""
    return subprocess.Popen(["nice", "-n", "19", sys.executable, __file__, "attack-worker", url, cert, str(seconds),
                             str(connections)], stdout=subprocess.PIPE, text=True)


def patient_latencies(url: str, cert: str, seconds: float) -> list[float]:
    http, times = client(cert), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.perf_counter()
        http.get(url + "/", timeout=30)
        times.append(time.perf_counter() - began)
        time.sleep(0.05)
    return times


def attack() -> None:
    env = {"REVIEW_ACCESS": "password", "REVIEW_PASSWORD_HASH": generate_password_hash("the-right-one")}
    for staff_limit in (False, True):
        with stack(instances=1, workers=int(os.environ.get("WORKERS", "3")), staff_limit=staff_limit, env=env) as (nginx, _):
            cert = str(nginx.cert)
            quiet = patient_latencies(nginx.url, cert, 5)
            attacker = start_attack(nginx.url, cert, 10)
            time.sleep(1)
            attacked = patient_latencies(nginx.url, cert, 8)
            answers = json.loads(attacker.communicate(timeout=60)[0])
        label = "limit_req on /review" if staff_limit else "no limit (staff_limit lines removed)"
        print(f"{label:38} 8 attacking connections, 10 s: {sum(answers.values())} guesses {answers}, "
              f"{answers.get('401', 0) / 10:.1f}/s reached the password check; patient page p50/p95 "
              f"{1000 * percentile(quiet, 0.5):.0f}/{1000 * percentile(quiet, 0.95):.0f} ms quiet, "
              f"{1000 * percentile(attacked, 0.5):.0f}/{1000 * percentile(attacked, 0.95):.0f} ms under attack")


def main() -> int:
    if len(sys.argv) == 6 and sys.argv[1] == "attack-worker":
        attack_worker(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["slow", "attack"])
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    slow() if args.what == "slow" else attack()
    return 0


if __name__ == "__main__":
    sys.exit(main())
