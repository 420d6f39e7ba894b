"""A fleet of websocket clients in one asyncio process, speaking the thread protocol
(docs in /work/shared/DESIGN.md, "Thread websocket protocol").

Some clients also post, round-robin, at a fixed rate. Every posted body carries the run's
tag, a sequence number and the time it was first sent (`bench <tag> seq <n> at <unix time>`),
so each client can tell what it received, what it missed and how late it was. Clients that
lose their connection reconnect and send `resume` with the last message id they saw; posters
keep an outbox and send unacknowledged posts again with the same `client_id` (the server
stores a `client_id` once), which is what the site's own JavaScript does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from .common import percentile

BODY = re.compile(r"bench (\w+) seq (\d+) at ([\d.]+)")


@dataclass
class Target:
    """Where one client connects: a websocket URL, the Origin to send, a session cookie."""

    url: str
    origin: str
    cookie: str | None = None

    def headers(self):
        return {"Cookie": self.cookie} if self.cookie else {}


@dataclass
class Result:
    clients: int
    rate: float
    seconds: float
    posted: int = 0
    acked: int = 0
    deliveries: int = 0
    lost: int = 0
    duplicates: int = 0
    redelivered: int = 0
    unacked: int = 0
    closes: int = 0
    reconnects: int = 0
    connect_failures: int = 0
    errors: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    drained: bool = True
    connect_seconds: float = 0.0
    lost_reconnected: int = 0  # lost by clients that reconnected at least once

    def p(self, q):
        return percentile(self.latencies, q)

    @property
    def error_count(self):
        return sum(self.errors.values())

    def summary(self):
        return (
            f"{self.clients} clients, {self.posted} posted, {self.acked} acked, "
            f"{self.deliveries} delivered, lost {self.lost}, duplicates {self.duplicates}, "
            f"redelivered {self.redelivered}, unacked {self.unacked}, errors {dict(self.errors)}, "
            f"closes {self.closes}, reconnects {self.reconnects}, "
            f"connect failures {self.connect_failures}, drained {self.drained}"
        )


class Client:
    def __init__(self, fleet, index, target):
        self.fleet, self.index, self.target = fleet, index, target
        self.ws = None
        self.task = None
        self.last_id = 0
        self.seen_ids = set()
        self.got = set()
        self.has_connected = False
        self.reconnects = 0
        self.outbox = {}  # client_id -> frame, posts not yet acknowledged

    async def open(self, *, retries=0):
        """Connect (and after a reconnect, resume and send the outbox again)."""
        attempt = 0
        while True:
            try:
                self.ws = await connect(
                    self.target.url,
                    origin=self.target.origin,
                    additional_headers=self.target.headers(),
                    compression=None,
                    proxy=None,
                    open_timeout=30,
                    ping_interval=None,
                    max_queue=None,
                    close_timeout=2,
                )
                break
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                self.fleet.result.connect_failures += 1
                if isinstance(exc, InvalidStatus):
                    self.fleet.result.errors[f"http {exc.response.status_code}"] += 1
                attempt += 1
                if attempt > retries or self.fleet.stopping:
                    raise
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt) * (0.5 + random.random()))
        if self.has_connected:
            self.reconnects += 1
            self.fleet.result.reconnects += 1
            await self.ws.send(json.dumps({"type": "resume", "after": self.last_id}))
            for frame in list(self.outbox.values()):
                await self.ws.send(json.dumps(frame))
        self.has_connected = True

    async def run(self):
        while True:
            try:
                if self.ws is None:
                    await self.open(retries=1000 if self.fleet.reconnect else 0)
                async for raw in self.ws:
                    self.fleet.on_frame(self, raw)
            except (ConnectionClosed, OSError, InvalidHandshake, TimeoutError):
                pass
            if self.fleet.stopping:
                return
            self.ws = None
            self.fleet.result.closes += 1
            if not self.fleet.reconnect:
                return
            await asyncio.sleep(0.2 + random.random() * 0.5)

    async def post(self, frame):
        self.outbox[frame["client_id"]] = frame
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(json.dumps(frame))


class Fleet:
    """N clients on TARGETS (round-robin), the first POSTERS of them posting."""

    def __init__(self, targets, *, clients, posters=1, reconnect=False):
        self.tag = uuid.uuid4().hex[:10]
        self.reconnect = reconnect
        self.stopping = False
        self.clients = [Client(self, i, targets[i % len(targets)]) for i in range(clients)]
        self.posters = self.clients[: max(1, posters)]
        self.result = Result(clients=clients, rate=0, seconds=0)
        self.ids_for_seq = {}
        self.acked = {}
        self.failed = set()
        self.seq_by_client_id = {}
        self.last_frame = time.monotonic()

    # Receiving ----------------------------------------------------------

    def on_frame(self, client, raw):
        self.last_frame = time.monotonic()
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "message":
            self.on_message(client, frame["message"])
        elif kind == "ack":
            client_id = frame.get("client_id")
            client.outbox.pop(client_id, None)
            seq = self.seq_by_client_id.get(client_id)
            if seq is not None:
                self.acked[seq] = frame.get("id")
                self.ids_for_seq.setdefault(seq, set()).add(frame.get("id"))
        elif kind == "error":
            self.result.errors[frame.get("code", "?")] += 1
            client_id = frame.get("client_id")
            if client_id in client.outbox:
                client.outbox.pop(client_id)
                seq = self.seq_by_client_id.get(client_id)
                if seq is not None:
                    self.failed.add(seq)

    def on_message(self, client, message):
        message_id = message.get("id") or 0
        client.last_id = max(client.last_id, message_id)
        match = BODY.search(message.get("html") or "")
        if not match or match.group(1) != self.tag:
            return
        seq, sent = int(match.group(2)), float(match.group(3))
        self.ids_for_seq.setdefault(seq, set()).add(message_id)
        if message_id in client.seen_ids:
            self.result.redelivered += 1
            return
        client.seen_ids.add(message_id)
        if seq in client.got:
            return  # a second stored copy of the same post: counted by ids_for_seq
        client.got.add(seq)
        self.result.deliveries += 1
        self.result.latencies.append(time.time() - sent)

    # Running -------------------------------------------------------------

    async def connect_all(self, *, concurrency=20, retries=30):
        """Connect every client, CONCURRENCY at a time. Daphne drops a handshake the
        application has not accepted within 5 s, which happens while the server is busy
        announcing earlier connections: such a client tries again (counted in
        `connect_failures`)."""
        gate = asyncio.Semaphore(concurrency)

        async def one(client):
            async with gate:
                await client.open(retries=retries)
                client.task = asyncio.create_task(client.run())

        await asyncio.gather(*(one(client) for client in self.clients))

    async def settle(self, *, quiet, limit):
        """Wait until no frame has arrived for QUIET seconds (at most LIMIT seconds): the
        presence announcements of the connections just made have all been delivered."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_frame >= quiet:
                return
            await asyncio.sleep(0.1)

    async def post_at(self, *, rate, seconds):
        """Post RATE messages a second for SECONDS, round-robin over the posters."""
        total = round(rate * seconds)
        self.result.rate, self.result.seconds = rate, seconds
        start = time.monotonic()
        for seq in range(total):
            delay = start + seq / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id = str(uuid.uuid4())
            self.seq_by_client_id[client_id] = seq
            body = f"bench {self.tag} seq {seq} at {time.time():.6f}"
            poster = self.posters[seq % len(self.posters)]
            await poster.post({"type": "post", "client_id": client_id, "body": body})
            self.result.posted += 1

    def _complete(self):
        if any(poster.outbox for poster in self.posters):
            return False
        expected = len(self.acked)
        return all(len(client.got) >= expected for client in self.clients)

    async def drain(self, *, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._complete():
                return True
            await asyncio.sleep(0.1)
        return self._complete()

    async def close(self):
        self.stopping = True

        async def one(client):
            if client.ws is not None:
                with contextlib.suppress(Exception):
                    await client.ws.close()
            if client.task:
                client.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await client.task

        await asyncio.gather(*(one(client) for client in self.clients))

    def finish(self, drained):
        result = self.result
        result.drained = drained
        result.acked = len(self.acked)
        result.unacked = sum(len(poster.outbox) for poster in self.posters)
        acked = set(self.acked)
        result.lost = sum(len(acked - client.got) for client in self.clients)
        result.lost_reconnected = sum(
            len(acked - client.got) for client in self.clients if client.reconnects
        )
        result.duplicates = sum(len(ids) - 1 for ids in self.ids_for_seq.values() if ids)
        return result


async def fanout(
    targets,
    *,
    clients,
    rate,
    seconds,
    posters=1,
    settle=1.0,
    settle_limit=600.0,
    drain=15.0,
    reconnect=False,
    during=None,
):
    """Connect CLIENTS, wait until the server has gone quiet for SETTLE seconds, post RATE a
    second for SECONDS, wait for every delivery (up to DRAIN seconds), and count. DURING, if
    given, is a coroutine function run alongside the posting (a fault to inject); it gets the
    fleet."""
    fleet = Fleet(targets, clients=clients, posters=posters, reconnect=reconnect)
    try:
        begun = time.monotonic()
        await fleet.connect_all()
        await fleet.settle(quiet=settle, limit=settle_limit)
        fleet.result.connect_seconds = time.monotonic() - begun
        if during is None:
            await fleet.post_at(rate=rate, seconds=seconds)
        else:
            await asyncio.gather(fleet.post_at(rate=rate, seconds=seconds), during(fleet))
        drained = await fleet.drain(timeout=drain)
    finally:
        await fleet.close()
    return fleet.finish(drained)


async def churn(targets, *, cycles, concurrency=20):
    """Open and close CYCLES connections over TARGETS in turn, CONCURRENCY at a time. Each
    waits briefly for the server's first frame, so the consumer has really joined its groups
    before it leaves. Returns the number of connections that failed."""
    failures = 0
    gate = asyncio.Semaphore(concurrency)

    async def one(target):
        nonlocal failures
        async with gate:
            try:
                async with connect(
                    target.url,
                    origin=target.origin,
                    additional_headers=target.headers(),
                    compression=None,
                    proxy=None,
                    open_timeout=30,
                    ping_interval=None,
                    close_timeout=5,
                ) as ws:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(ws.recv(), timeout=0.05)
            except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError):
                failures += 1

    await asyncio.gather(*(one(targets[i % len(targets)]) for i in range(cycles)))
    return failures
