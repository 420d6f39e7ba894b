"""The production layout of deploy/, started for real on 127.0.0.1: nginx with the
repository's configuration (rendered into a temporary prefix: ports, paths, a self-signed
certificate), gunicorn on network.wsgi and Daphne processes on network.asgi, all with
production settings. Used by the smoke test; every process is stopped by its own pid."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import HOST, free_port, render_nginx, wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
STOP_TIMEOUT = 20  # as TimeoutStopSec in deploy/systemd/daphne@.service, then SIGKILL


@dataclass
class Process:
    """One server process on a port; its output goes to a log file in the run's directory."""

    name: str
    args: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    popen: subprocess.Popen | None = None

    def launch(self):
        with self.log_path.open("a") as log:
            self.popen = subprocess.Popen(
                self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def start(self, *, timeout=90):
        if self.popen is None or self.popen.poll() is not None:
            self.launch()
        try:
            wait_for_port(self.port, timeout=timeout, process=self.popen)
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            raise AssertionError(f"{self.name}: {exc}\n{self.log_tail()}") from None
        return self

    def stop(self):
        """SIGTERM, then SIGKILL after the unit's stop timeout, as systemd does."""
        if self.popen is None or self.popen.poll() is not None:
            return None
        self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            return self.popen.wait()

    def restart(self):
        self.stop()
        return self.start()

    def log_tail(self, size=3000):
        try:
            return self.log_path.read_text()[-size:]
        except OSError:
            return ""


@dataclass
class Stack:
    """nginx in front of gunicorn and two Daphne processes; ports and paths of this run."""

    prefix: Path
    database_url: str
    redis_url: str
    tls_port: int = field(default_factory=free_port)
    plain_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    ws_ports: list[int] = field(default_factory=lambda: [free_port(), free_port()])
    processes: list[Process] = field(default_factory=list)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def var_dir(self) -> Path:
        return self.prefix / "var"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST_", "ELASTICSEARCH_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="network.settings.production",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS=HOST,
            SITE_URL=f"https://{HOST}",
            CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
            VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            TRUSTED_PROXY_COUNT="1",  # as deploy/env.example: nginx in front
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        return env

    def collectstatic(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=self.env(), check=True, capture_output=True,
        )  # fmt: skip

    def fixture(self, *args) -> dict:
        """`python -m bench.fixtures ARGS` with the stack's settings (its secret key signs
        the sessions); returns its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "bench.fixtures", *map(str, args)],
            cwd=ROOT, env=self.env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(f"bench.fixtures {args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.collectstatic()
        env = self.env()
        gunicorn = Process(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")],
            {**env, "GUNICORN_BIND": f"127.0.0.1:{self.http_port}", "GUNICORN_WORKERS": "2"},
            self.http_port,
            self.prefix / "gunicorn.log",
        )
        self.daphnes = [
            Process(
                f"daphne:{port}",
                [
                    sys.executable,
                    "-m",
                    "network.server",  # as deploy/systemd/daphne@.service
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "--proxy-headers",
                    "--application-close-timeout",
                    "10",
                    "network.asgi:application",
                ],
                env,
                port,
                self.prefix / f"daphne-{port}.log",
            )
            for port in self.ws_ports
        ]
        conf = render_nginx(
            self.prefix,
            tls_port=self.tls_port,
            plain_port=self.plain_port,
            http_port=self.http_port,
            ws_ports=self.ws_ports,
            var_dir=self.var_dir,
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        base = [
            nginx,
            "-p",
            str(self.prefix),
            "-c",
            str(conf),
            "-e",
            str(self.prefix / "error.log"),
        ]
        checked = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise AssertionError(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.nginx = Process(
            "nginx", [*base, "-g", "daemon off;"], env, self.tls_port, self.prefix / "nginx.log"
        )
        # All at once (each takes seconds to load Django), then wait for each port.
        self.processes = [gunicorn, *self.daphnes, self.nginx]
        for process in self.processes:
            process.launch()
        for process in self.processes:
            process.start()
        return self

    def stop(self):
        for process in reversed(self.processes):
            process.stop()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log_tail()}" for p in self.processes)
