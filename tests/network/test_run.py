"""`make run` is one command: honcho starts Daphne and the task worker from the Procfile,
both see the same SITE_URL, and Ctrl-C (SIGINT to the foreground process group) stops
both."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(check, *, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_the_procfile_runs_daphne_on_port_and_the_worker():
    from honcho.environ import parse_procfile

    processes = parse_procfile((ROOT / "Procfile").read_text()).processes
    assert set(processes) == {"web", "worker"}
    web = processes["web"]
    assert web.startswith("python -m network.server ") and "-p $PORT" in web
    assert "manage.py db_worker" in processes["worker"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_honcho_starts_both_and_ctrl_c_stops_both(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("runs on a file copy of the SQLite test database")
    database = tmp_path / "run.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)
    target.close()
    port = free_port()
    environment = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "network.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "VAR_DIR": str(tmp_path / "var"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "honcho.log").open("w+")
    honcho = subprocess.Popen(
        [BIN / "honcho", "start", "--no-colour", "-f", "Procfile", "-p", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:

        def healthy():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        def output():
            log.flush()
            return (tmp_path / "honcho.log").read_text()

        assert wait_for(healthy), output()
        # Compressed as behind nginx (GZipMiddleware in network/settings/dev.py, issue 17).
        for path in ("/static/js/thread.js", "/static/css/site.css"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - ours
                encoding = response.headers.get("Content-Encoding")
            assert encoding == "gzip", (path, encoding)
        assert wait_for(lambda: len(re.findall(r"started \(pid=\d+\)", output())) == 2), output()
        pids = [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", output())]
        assert all(alive(pid) for pid in pids)
        os.killpg(honcho.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert honcho.wait(timeout=60) is not None
        assert wait_for(lambda: not any(alive(pid) for pid in pids), seconds=30), output()
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()
        log.close()
