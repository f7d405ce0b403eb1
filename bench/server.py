"""Start a WSGI app under real gunicorn on 127.0.0.1 for the benchmarks, and stop it afterwards."""

from __future__ import annotations

import collections
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """One gunicorn master with its workers, bound to a free loopback port; a context manager."""

    def __init__(self, app: str, workers: int | None = None, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(GUNICORN)]
        if CONFIG.exists():  # the production settings, so the figures are the production ones
            command += ["--config", str(CONFIG)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT)]
        if workers is not None or not CONFIG.exists():
            command += ["--workers", str(workers or (os.cpu_count() or 1) * 2 + 1)]
        self.command = command + [app]
        self.env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
                    "TRUSTED_HOSTS": "127.0.0.1", **(env or {})}  # production mode serves only named hosts
        self.env.pop("FLASK_DEBUG", None)
        self.log: collections.deque[str] = collections.deque(maxlen=40)
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, start_new_session=True)
        threading.Thread(target=self._drain, daemon=True).start()  # kept in memory only, never in a file
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start-up:\n" + "\n".join(self.log))
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 30 s:\n" + "\n".join(self.log))

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _drain(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line.rstrip())

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS from /proc), in MB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes
