"""Production settings for gunicorn: `gunicorn --config gunicorn.conf.py` (see README, "Deploying").

Every value can be changed by an environment variable, so a container or a service file
sets them without editing this file.
"""

import multiprocessing
import os

from gunicorn import glogging

wsgi_app = "app:create_app()"
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# CPU-bound work (rule evaluation, page rendering): 2 per core + 1, capped so a big host does not
# start dozens of ~50 MB workers. WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 2
max_requests = 20_000  # recycle workers now and then; jitter so they do not all restart at once
max_requests_jitter = 2_000

# Load the app (and its content) once in the master: a content error, a missing SECRET_KEY or
# a missing PUBLIC_URL/TRUSTED_HOSTS (the hosts served) stops gunicorn at once with the message,
# instead of workers failing in a loop; workers share
# the loaded content's memory.
preload_app = True

# Request limits before the app sees anything (the app itself caps bodies at 64 KB).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Logs go to stdout/stderr only. The access log has the path WITHOUT the query string (%(U)s,
# not %(r)s), no referrer (it holds the previous URL) and no user agent; bodies are never logged.
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class QuietProbes(glogging.Logger):
    """The access log without successful /healthz and /readyz probes (one every few seconds is noise)."""

    def access(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        if req.path in ("/healthz", "/readyz") and str(resp.status).startswith("200"):
            return
        super().access(resp, req, environ, request_time)


logger_class = QuietProbes

# No control socket file: nothing is written to disk, and several instances on one host do not clash.
control_socket_disable = True
# Worker heartbeat files in memory when /dev/shm exists (containers often have a slow /tmp).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat only, no data

# X-Forwarded-* headers are handled by the app (TRUSTED_PROXIES), not by gunicorn, so they are
# trusted in exactly one place.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
