"""Two real Daphne processes on Redis share a thread (scale-out).

Each process is started with the same REDIS_URL (channels_redis carries the groups, the
Redis cache holds rate limits and presence) and the test database, which both reach. A
websocket client (the `websockets` package) talks to each process.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection

from hubs import services
from hubs.models import Message
from tests.hubs.threads_support import session_cookie

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]

BASE_DIR = Path(settings.BASE_DIR)
WAIT = 30  # seconds any single expected frame may take (a bound for a loaded CI machine)


def _database_url():
    """A URL of the test database that another process can open."""
    if connection.vendor == "postgresql":
        parts = urlsplit(os.environ["DATABASE_URL"])
        return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and "memory" not in name and name != ":memory:":
        return f"sqlite:///{name}"
    pytest.skip("needs a database both Daphne processes can reach (PostgreSQL or a SQLite file)")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def daphnes(tmp_path):
    """Two Daphne processes on two ports; stopped (by their pid) after the test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    processes, ports = [], []
    try:
        for index in range(2):
            port = _free_port()
            log = (tmp_path / f"daphne{index}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                     "network.asgi:application"],
                    cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
            ports.append(port)
        deadline = time.monotonic() + 60
        for process, port in zip(processes, ports, strict=True):
            while True:
                assert process.poll() is None, (tmp_path / "daphne0.log").read_text()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "Daphne did not start"
                    time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class Client:
    """A websocket client of one Daphne process, logged in with a session cookie."""

    def __init__(self, port, cookie, thread_id):
        self.url = f"ws://127.0.0.1:{port}/ws/threads/{thread_id}/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = cookie

    async def __aenter__(self):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def send(self, frame):
        await self.ws.send(json.dumps(frame))

    async def next(self, *, skip=("presence", "typing")):
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), WAIT))
            if frame["type"] not in skip:
                return frame

    async def presence(self, online):
        """Wait for a presence frame saying ONLINE people are here."""
        seen = []
        while True:
            try:
                frame = json.loads(await asyncio.wait_for(self.ws.recv(), WAIT))
            except TimeoutError:
                raise AssertionError(f"presence {online} never came; frames: {seen}") from None
            seen.append(frame)
            if frame["type"] == "presence" and frame["online"] == online:
                return


def post(body, client_id=None):
    return {"type": "post", "client_id": client_id or str(uuid.uuid4()), "body": body}


def test_two_daphne_processes_share_a_thread(daphnes, thread, member, member2, coordinator):
    port_a, port_b = daphnes
    cookies = {person.pk: session_cookie(person) for person in (member, member2, coordinator)}

    async def scenario():
        async with (
            Client(port_a, cookies[member.pk], thread.pk) as alice,
            Client(port_b, cookies[member2.pk], thread.pk) as bob,
        ):
            # Presence is counted across the processes (Redis).
            await bob.presence(2)

            # A message posted through process A reaches the client of process B.
            frame = post("Hello from process A")
            await alice.send(frame)
            received = await bob.next()
            assert received["type"] == "message"
            assert received["message"]["html"] == "<p>Hello from process A</p>\n"
            first_id = received["message"]["id"]

            # And the other way round, with the ack to the poster.
            await bob.send(post("Hello from process B"))
            assert {(await bob.next())["type"], (await bob.next())["type"]} == {
                "ack",
                "message",
            }
            reply = await alice.next()
            while reply["type"] != "message" or reply["message"]["id"] == first_id:
                reply = await alice.next()
            assert reply["message"]["html"] == "<p>Hello from process B</p>\n"

        # Bob goes offline; Alice writes three messages meanwhile.
        async with Client(port_a, cookies[member.pk], thread.pk) as alice:
            for body in ("one", "two", "three"):
                await alice.send(post(body))
                while (await alice.next())["type"] != "ack":
                    pass
        # Bob comes back through the OTHER process and resumes: all three, in order, once.
        async with Client(port_a, cookies[member2.pk], thread.pk) as bob:
            await bob.send({"type": "resume", "after": reply["message"]["id"]})
            missed = [await bob.next() for _ in range(3)]
            assert [m["message"]["html"] for m in missed] == [
                "<p>one</p>\n",
                "<p>two</p>\n",
                "<p>three</p>\n",
            ]
            resumed = await bob.next()
            assert resumed == {
                "type": "resumed",
                "last_id": missed[-1]["message"]["id"],
                "more": False,
            }

            # Bob's outbox resends a post whose ack was lost, through another process.
            resend = post("Sent twice, stored once")
            await bob.send(resend)
            acks = []
            while len(acks) < 1:
                frame = await bob.next()
                if frame["type"] == "ack":
                    acks.append(frame)
        async with Client(port_b, cookies[member2.pk], thread.pk) as bob:
            await bob.send(resend)
            frame = await bob.next()
            while frame["type"] != "ack":
                frame = await bob.next()
            assert frame == acks[0]
        assert (
            await database_sync_to_async(
                Message.objects.filter(body="Sent twice, stored once").count
            )()
            == 1
        )

        # A coordinator on process B hides a message: it disappears live on process A.
        async with (
            Client(port_a, cookies[member.pk], thread.pk) as alice,
            Client(port_b, cookies[coordinator.pk], thread.pk) as carol,
        ):
            # Both handshakes are done, so both sockets are in the thread's group.
            await carol.send({"type": "hide", "id": first_id, "reason": "Test"})
            assert await alice.next() == {"type": "hidden", "id": first_id}

            # A post made outside both processes (the no-JavaScript form's service, here)
            # reaches the clients of both, after commit.
            await database_sync_to_async(services.message_post)(
                thread=thread, author=member2, body="From the form"
            )
            for client in (alice, carol):
                frame = await client.next(skip=("presence", "typing", "hidden"))
                assert frame["message"]["html"] == "<p>From the form</p>\n"

            # Suspension in this process closes Alice's socket in process A.
            membership = await database_sync_to_async(member.memberships.get)(hub=thread.hub)
            await database_sync_to_async(services.membership_suspend)(
                membership=membership, acting_user=coordinator, reason="Test"
            )
            from websockets.exceptions import ConnectionClosed

            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await alice.next()
            assert closed.value.rcvd.code == 4403

    asyncio.run(scenario())
