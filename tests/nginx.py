"""The shipped deploy/nginx.conf, started as an unprivileged test instance on loopback, in front of real gunicorns.

Only the lines deploy/nginx.conf marks "# @..." are rewritten: loopback ports, a throw-away
self-signed certificate for 127.0.0.1, and a temp directory as nginx's prefix for its pid, logs and
temp files. Everything else (buffering, timeouts, limits, headers, retries) is the shipped text.
No system service is used or touched: `nginx -p TMP -c TMP/nginx.conf -e TMP/error.log`, stopped
by its own pid. Debian's nginx comes from scripts/install-nginx (scripts/test runs it).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.serving import ROOT, Gunicorn, free_port

CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_missing() -> str | None:
    """Why nginx cannot run here, or None."""
    if not Path(NGINX).exists():
        return "nginx is not installed: run scripts/install-nginx (scripts/test does)"
    return None


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (one day), so the TLS part of the shipped config is tested too."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=30)
    return cert, key


def loopback_config(text: str, prefix: Path, upstreams: list[int], https_port: int, http_port: int,
                    cert: Path, key: Path, staff_limit: bool = True) -> str:
    """The shipped config with its marked lines filled in for this machine's loopback."""
    upstream_lines = iter(upstreams)
    listened: set[str] = set()

    def rewrite(line: str, marker: str) -> str | None:
        indent = line[:len(line) - len(line.lstrip())]
        if marker == "user":
            return None  # as root nginx runs its workers as nobody; as anyone else, as that user
        if marker in ("pid", "error_log", "access_log", "temp"):
            return re.sub(r"/(var|run)/\S*?([\w-]+)(\.\w+)?(?=[ ;])", lambda m: str(prefix / (m[2] + (m[3] or ""))), line)
        if marker == "upstream":
            port = next(upstream_lines, None)
            return None if port is None else re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", line)
        if marker in ("http_listen", "https_listen"):
            if marker in listened:
                return None  # the IPv6 twin
            listened.add(marker)
            port, tls = (http_port, "") if marker == "http_listen" else (https_port, " ssl http2")
            return f"{indent}listen 127.0.0.1:{port}{tls};"
        if marker == "server_name":
            return f"{indent}server_name 127.0.0.1;"
        if marker == "redirect":
            return line.replace("https://$host$request_uri", f"https://$host:{https_port}$request_uri")
        if marker == "certificate":
            return f"{indent}ssl_certificate {cert};"
        if marker == "certificate_key":
            return f"{indent}ssl_certificate_key {key};"
        if marker == "error_pages":
            return f"{indent}root {prefix};"  # a copy of deploy/_proxy: workers (nobody) may not read the checkout
        if marker == "staff_limit":
            return line if staff_limit else None
        raise AssertionError(f"deploy/nginx.conf: unknown marker @{marker}")

    out = []
    for line in text.splitlines():
        found = re.search(r"#\s*@(\w+)\s*$", line)
        if not found:
            out.append(line)
            continue
        new = rewrite(line[:found.start()].rstrip(), found[1])
        if new is not None:
            out.append(new)
    if next(upstream_lines, None) is not None:
        raise AssertionError("more upstream ports than deploy/nginx.conf has upstream lines")
    return "\n".join(out) + "\n"


class Nginx:
    """nginx with the shipped config on two free loopback ports (HTTPS, and HTTP that redirects)."""

    def __init__(self, upstreams: list[int], staff_limit: bool = True):
        self.upstreams = upstreams
        self.staff_limit = staff_limit
        self.port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        missing = nginx_missing()
        if missing:
            raise RuntimeError(missing)
        self.prefix = Path(tempfile.mkdtemp(prefix="questionnaire-nginx-"))
        self.prefix.chmod(0o755)  # nginx's workers (nobody, when started as root) create their temp files here
        self.cert, self.key = make_certificate(self.prefix)
        shutil.copytree(ROOT / "deploy" / "_proxy", self.prefix / "_proxy")
        for path in (self.prefix / "_proxy", *(self.prefix / "_proxy").iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(loopback_config(CONF.read_text(), self.prefix, self.upstreams, self.port, self.http_port,
                                             self.cert, self.key, self.staff_limit))
        self.process = subprocess.Popen(
            [NGINX, "-p", f"{self.prefix}/", "-c", str(self.conf), "-e", str(self.prefix / "error.log"),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx did not start:\n" + self.error_log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not listen within 15 s:\n" + self.error_log())

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly this instance's certificate (verified, not switched off)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def error_log(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.prefix.glob("*error.log")))

    def access_log(self) -> list[str]:
        return [line for path in self.prefix.glob("*access.log") for line in path.read_text(errors="replace").splitlines()]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast shutdown of this master (and its workers)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def app_env(nginx_port: int, secret: str, **extra: str) -> dict[str, str]:
    """Production settings for a gunicorn behind the test nginx: one trusted proxy, HTTPS cookies, its public URL."""
    return {"SECRET_KEY": secret, "TRUSTED_PROXIES": "1", "SESSION_COOKIE_SECURE": "1",
            "PUBLIC_URL": f"https://127.0.0.1:{nginx_port}", "TRUSTED_HOSTS": "127.0.0.1", **extra}


@contextmanager
def stack(instances: int = 2, workers: int = 1, staff_limit: bool = True,
          env: dict[str, str] | None = None) -> Iterator[tuple[Nginx, list[Gunicorn]]]:
    """`instances` gunicorns sharing one SECRET_KEY behind the shipped nginx; everything stopped afterwards."""
    port = free_port()
    secret = secrets.token_hex(32)
    servers = [Gunicorn(env={**app_env(port, secret, WEB_CONCURRENCY=str(workers)), **(env or {})})
               for _ in range(instances)]
    nginx = Nginx([server.port for server in servers], staff_limit=staff_limit)
    nginx.port, nginx.url = port, f"https://127.0.0.1:{port}"
    started: list[Callable[[], object]] = []
    try:
        for server in servers:
            server.start()
            started.append(server.stop)
            if server.process is None or server.process.poll() is not None:
                raise RuntimeError("gunicorn did not start:\n" + server.stop())
        nginx.start()
        started.append(nginx.stop)
        yield nginx, servers
    finally:
        for stop in reversed(started):
            stop()
