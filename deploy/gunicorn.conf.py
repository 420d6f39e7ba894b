"""gunicorn settings for the HTTP side of the production layout (docs/deploy.md).

Every value can be overridden from the environment (GUNICORN_*), the unit's EnvironmentFile.
The worker class and counts were chosen with wrk on 2 cores (docs/benchmarks.md)."""

import multiprocessing
import os


def _env(name, default):
    return os.environ.get(f"GUNICORN_{name}", default)


wsgi_app = "network.wsgi:application"
bind = _env("BIND", "127.0.0.1:8000")
# gthread: a thread waiting on PostgreSQL or Redis does not hold a whole process, and the
# keep-alive connections from nginx are kept. One process a core, two threads each: with
# more (3×4) the pages came slower on 2 cores, the threads fighting for the GIL
# (docs/benchmarks.md).
worker_class = _env("WORKER_CLASS", "gthread")
workers = int(_env("WORKERS", str(multiprocessing.cpu_count())))
threads = int(_env("THREADS", "2"))
keepalive = int(_env("KEEPALIVE", "30"))
# A request that takes longer than this is killed (and logged) rather than holding a worker.
timeout = int(_env("TIMEOUT", "30"))
# On SIGTERM or a reload, in-flight requests get this long to finish.
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "25"))
# Recycle workers now and then: bounded memory whatever a dependency leaks.
max_requests = int(_env("MAX_REQUESTS", "2000"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "200"))
# Not preloaded: `systemctl reload` (SIGHUP) starts workers on the new code, then retires
# the old ones gracefully; that is the zero-downtime upgrade of the HTTP side.
preload_app = False
# X-Forwarded-Proto is believed from nginx on this machine only.
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# nginx writes the access log (with the tokens taken out); errors go to the journal.
accesslog = None
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info")
proc_name = "hubs-gunicorn"
# No control socket in the home directory (systemd's ProtectHome; nothing uses it).
control_socket_disable = True
