"""LHC-Forms (npm `lforms`, pinned in scripts/lhcforms) served from its own loopback origin, with a page that loads it.

No CDN: scripts/lhcforms fetches the registry's tarball once into tools/lhcforms/; a small HTTP
server on another port serves those files and a bare page, so every fetch that page makes to
the app is cross-origin, as it would be from a clinic's portal.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = next(line.split("=", 1)[1] for line in (ROOT / "scripts" / "lhcforms").read_text().splitlines()
               if line.startswith("VERSION="))
DIST = ROOT / "tools" / "lhcforms" / VERSION / "package" / "dist" / "lforms"

# The load order the package's README gives; the scripts need <body> to exist when they run.
PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link href="/lforms/webcomponent/styles.css" rel="stylesheet"></head>
<body><div id="form"></div>
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js"></script>
<script src="/lforms/webcomponent/polyfills.js"></script>
<script src="/lforms/webcomponent/main.js"></script>
<script src="/lforms/fhir/R4/lformsFHIR.min.js"></script>
</body></html>
"""


def fetch() -> Path:
    """Run scripts/lhcforms (a no-op once unpacked); the unpacked dist/lforms folder."""
    done = subprocess.run([str(ROOT / "scripts" / "lhcforms")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/lhcforms failed:\n{done.stdout}\n{done.stderr}")
    return DIST


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        if self.path in ("/", "/index.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@contextmanager
def renderer_origin() -> Iterator[str]:
    """http://127.0.0.1:<port>/ serving the harness page and /lforms/... from the unpacked package."""
    handler = functools.partial(_Handler, directory=str(fetch().parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
