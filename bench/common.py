"""What every benchmark shares: throwaway workspaces under var/bench/, server processes,
percentiles, memory readings and the printed table. No Django import here: the harness
processes stay light, Django runs in the servers and in `bench.fixtures`."""

from __future__ import annotations

import contextlib
import getpass
import json
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable


# Numbers -------------------------------------------------------------------


def percentile(values, p):
    """The P-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(value, reference):
    if value is None or not reference:
        return None
    return value / reference


def fmt(value, unit="", digits=1):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def ms(seconds):
    return None if seconds is None else seconds * 1000


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells):
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append([fmt(cell) if not isinstance(cell, str) else cell for cell in cells])

    def render(self):
        """A Markdown table, so the output can go straight into docs/benchmarks.md."""
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in self.rows)
        if self.notes:
            lines.append("")
            lines.extend(self.notes)
        return "\n".join(lines)


def header(name):
    """One line naming what was measured where: date, commit, machine."""
    return (
        f"{name} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_commit()}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )


def git_commit():
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out + ("+changes" if dirty else "")


# The production layout (deploy/) -------------------------------------------

HOST = "hubs.example.org"  # the server_name of deploy/nginx/hubs.conf


def _replace(text: str, old: str, new: str) -> str:
    """Replace OLD, which must be there: a renamed line in deploy/ fails the test loudly
    instead of leaving a production path in the rendered configuration."""
    if old not in text:
        raise RuntimeError(f"deploy/nginx no longer contains {old!r}: update bench/common.py")
    return text.replace(old, new)


def render_nginx(prefix: Path, *, tls_port, plain_port, http_port, ws_ports, var_dir) -> Path:
    """deploy/nginx/{nginx,hubs}.conf for a run on 127.0.0.1: these ports, a self-signed
    certificate, pid, logs and temporary files under PREFIX, static files from VAR_DIR.
    Returns the main configuration file (`nginx -p PREFIX -c FILE`)."""
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx" / "hubs.conf").read_text()
    for old, new in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{http_port};"),
        ("server 127.0.0.1:8001 max_fails=0;", f"server 127.0.0.1:{ws_ports[0]} max_fails=0;"),
        ("server 127.0.0.1:8002 max_fails=0;", f"server 127.0.0.1:{ws_ports[1]} max_fails=0;"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{plain_port} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{tls_port} ssl default_server;"),
        ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("/etc/letsencrypt/live/hubs.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/hubs.example.org/privkey.pem", str(key)),
        ("root /srv/hubs/var;", f"root {var_dir};"),
        ("/var/www/letsencrypt", str(prefix)),
    ]:
        site = _replace(site, old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (prefix / "hubs.conf").write_text(site)

    # Debian's modules-enabled/*.conf load "modules/NAME.so", relative to the prefix.
    modules = Path("/usr/lib/nginx/modules")
    if modules.is_dir() and not (prefix / "modules").exists():
        (prefix / "modules").symlink_to(modules)
    main = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    user = getpass.getuser()
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                            "uwsgi", "scgi")
    )  # fmt: skip
    for old, new in [
        # Root runs the workers as itself here, so they can read the temporary directory.
        ("user www-data;", f"user {user};" if user == "root" else ""),
        ("pid /run/nginx.pid;", f"pid {prefix / 'nginx.pid'};"),
        ("/var/log/nginx/error.log", str(prefix / "error.log")),
        ("/var/log/nginx/access.log", str(prefix / "access.log")),
        ("include /etc/nginx/sites-enabled/hubs.conf;", f"include {prefix / 'hubs.conf'};"),
        ("http {\n", f"http {{\n{temp}\n"),
    ]:
        main = _replace(main, old, new)
    (prefix / "nginx.conf").write_text(main)
    return prefix / "nginx.conf"


# Processes -----------------------------------------------------------------


def raise_fd_limit():
    """Open files up to the hard limit: a thousand websockets need a thousand descriptors.
    Child processes inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 65536
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_bytes(pid):
    """Resident memory of a process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, *, timeout=60.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


@dataclass
class Workspace:
    """A throwaway database and VAR_DIR under var/bench/<name>/ (or a given DATABASE_URL,
    e.g. a PostgreSQL database of its own), and the environment the servers run with."""

    name: str
    database_url: str | None = None
    root: Path = BENCH_DIR

    def __post_init__(self):
        self.dir = self.root / self.name
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        (self.dir / "static").mkdir()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.dir / 'db.sqlite3'}"

    def env(self, *, redis_url=None, **extra):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="network.settings.dev",
            VAR_DIR=str(self.dir),
            DATABASE_URL=self.database_url,
            LOG_LEVEL="WARNING",
            DEBUG="false",
            PYTHONPATH=str(ROOT),
        )
        if redis_url:
            env["REDIS_URL"] = redis_url
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def migrate(self):
        run_django(self.env(), ["manage.py", "migrate", "--noinput", "-v0"])

    def fixture(self, *args, **env_extra):
        """Run `python -m bench.fixtures ARGS` in this workspace; returns its JSON answer."""
        out = run_django(self.env(**env_extra), ["-m", "bench.fixtures", *map(str, args)])
        return json.loads(out.strip().splitlines()[-1])


def run_django(env, args):
    result = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    return result.stdout


class Server:
    """A server subprocess on a port of its own: Daphne with our application, or the bare
    reference server. Stopped (and waited for) on exit."""

    def __init__(self, args, *, env, port, name):
        self.args, self.env, self.port, self.name = args, env, port, name
        self.process = None
        self.log = None

    @classmethod
    def daphne(
        cls, workspace, *, port=None, redis_url=None, app="bench.asgi:application", **env_extra
    ):
        port = port or free_port()
        # -v 0: no access log (a line a connection would cost the server time).
        args = [PYTHON, "-m", "daphne", "-v", "0", "-b", "127.0.0.1", "-p", str(port), app]
        env = workspace.env(redis_url=redis_url, **env_extra)
        return cls(args, env=env, port=port, name="daphne")

    @classmethod
    def gunicorn(cls, workspace, *, worker_class, workers, threads=1, port=None, **env_extra):
        """gunicorn on network.wsgi with deploy/gunicorn.conf.py, as in production."""
        port = port or free_port()
        args = [PYTHON, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
        env = workspace.env(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKER_CLASS=worker_class,
            GUNICORN_WORKERS=workers,
            GUNICORN_THREADS=threads,
            GUNICORN_LOG_LEVEL="warning",
            **env_extra,
        )
        return cls(args, env=env, port=port, name=f"gunicorn-{worker_class}")

    @classmethod
    def nginx(cls, prefix, conf, *, port):
        """nginx (Debian's) on a configuration from render_nginx; PORT is its TLS port."""
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        args = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"),
                "-g", "daemon off;"]  # fmt: skip
        return cls(args, env=dict(os.environ), port=port, name="nginx")

    @classmethod
    def bare(cls, *, port=None):
        port = port or free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        args = [PYTHON, "-m", "bench.bare", "--port", str(port)]
        return cls(args, env=env, port=port, name="bare")

    def start(self, *, timeout=90):
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        self.log = open(BENCH_DIR / f"{self.name}-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(self.port, timeout=timeout, process=self.process)
        except Exception:
            self.stop()
            raise
        return self

    @property
    def pid(self):
        return self.process.pid

    def rss(self):
        return rss_bytes(self.pid)

    def get_json(self, path, timeout=10):
        """GET a JSON document from the server (the bench probes of bench.asgi)."""
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()


class RedisServer:
    """A redis-server of our own on a free port, for fault tests that restart it (never the
    shared one)."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tempfile.gettempdir(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=20, process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self, *, down_for=2.0):
        self.stop()
        time.sleep(down_for)
        self.start()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
