"""SIGTERM to a real Daphne process (`python -m network.server`, as deploy/systemd runs it)
with a client connected and a post in flight: the process stops accepting, closes the socket
with 1001 (going away: the client reconnects elsewhere and resumes), lets the post finish
(its after-commit broadcast included) and exits, never hanging.

The post is held in flight deterministically: the test holds the thread's row lock (which
`message_post` takes) in a connection of its own, sends the post, waits until PostgreSQL
shows the post waiting for that lock, sends SIGTERM, waits until the port is closed, and only
then releases the lock. Stock Daphne hung here for good: the worker thread's after-commit
`async_to_sync(group_send)` waited for the event loop that had stopped, and the interpreter
joined that thread at exit.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from hubs.models import Message
from tests.hubs.threads_support import session_cookie

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]

BASE_DIR = Path(settings.BASE_DIR)
# A hang check, not a timing test: systemd's TimeoutStopSec for Daphne (then SIGKILL).
EXIT_BOUND = 20
WAIT = 30  # seconds any awaited state may take on a loaded machine


def _database_url():
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accepts(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


@pytest.fixture
def server(tmp_path):
    """One Daphne process through the project's entry point; killed if still running."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network.settings.test",
        "DATABASE_URL": _database_url(),
    }
    log_path = tmp_path / "daphne.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "network.server", "-b", "127.0.0.1", "-p", str(port),
             "network.asgi:application"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _accepts(port):
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "Daphne did not start"
            time.sleep(0.2)
        yield process, port, log_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _lock_waiters(database) -> int:
    with psycopg.connect(_database_url(), autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        ).fetchone()[0]


def test_sigterm_closes_sockets_with_1001_lets_the_post_finish_and_exits(server, thread, member):
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    process, port, log_path = server
    cookie = session_cookie(member)
    client_id = str(uuid.uuid4())
    database = connection.settings_dict["NAME"]
    holder = psycopg.connect(_database_url())  # a transaction of its own: holds the row lock

    async def scenario():
        async with connect(
            f"ws://127.0.0.1:{port}/ws/threads/{thread.pk}/",
            origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": cookie},
        ) as ws:
            first = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
            assert first["type"] == "presence"
            holder.execute("SELECT id FROM hubs_thread WHERE id = %s FOR UPDATE", [thread.pk])
            await ws.send(json.dumps({"type": "post", "client_id": client_id, "body": "late"}))
            await asyncio.to_thread(_until, lambda: _lock_waiters(database) > 0, "post waits")
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(_until, lambda: not _accepts(port), "the port closed")
            holder.rollback()  # the post goes on now, with the server shutting down
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), WAIT)
            except ConnectionClosed:
                pass
            return ws.close_code

    try:
        close_code = asyncio.run(scenario())
    finally:
        holder.close()
    try:
        returncode = process.wait(timeout=EXIT_BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Daphne still running {EXIT_BOUND} s after SIGTERM:\n{log_path.read_text()}")
    assert close_code == 1001, log_path.read_text()
    assert returncode == 0, log_path.read_text()
    # The post in flight was finished, not lost: stored once.
    assert Message.objects.filter(client_id=client_id).count() == 1
