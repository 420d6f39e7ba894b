"""The deployment kit, tested: nginx (Debian's package) with deploy/'s configuration in front
of the production layout (gunicorn for HTTP, two Daphne processes for /ws/, production
settings on PostgreSQL and Redis), and a smoke test through it: pages, a static file and its
cache headers, the health checks, an unknown host refused, a websocket message across the two
processes, and a rolling restart of both Daphne processes with clients connected that loses
no message (the clients reconnect through nginx and `resume`)."""

import asyncio
import contextlib
import gzip
import json
import os
import shutil
import ssl
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import connection
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from .stack import HOST, Stack

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 60  # seconds any expected frame or reconnection may take on a loaded CI machine
MEMBERS = 4


@pytest.fixture
def stack(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production layout runs on PostgreSQL (DATABASE_URL=postgres://...)")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the production layout needs Redis (REDIS_URL=redis://...)")
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        pytest.skip("nginx is not installed (.ci/run installs Debian's package)")
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pyproject dependency)")
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(
        path="/" + connection.settings_dict["NAME"]
    )
    running = Stack(tmp_path, database_url.geturl(), os.environ["REDIS_URL"])
    try:
        running.start()
        yield running
    except BaseException:
        print(running.logs())
        raise
    finally:
        running.stop()


def https(stack, path, *, host=HOST, **headers):
    import httpx

    return httpx.get(
        f"https://127.0.0.1:{stack.tls_port}{path}",
        headers={"Host": host, **headers},
        verify=False,  # noqa: S501 - the run's own self-signed certificate
        timeout=30,
        follow_redirects=False,
    )


def check_pages_static_and_health(stack):
    import httpx

    for path in ("/", "/hubs/"):
        page = https(stack, path, **{"Accept-Encoding": "gzip"})
        assert page.status_code == 200, (
            path,
            page.status_code,
            page.text[page.text.find("<main") :][:600],
        )
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers.get("content-encoding") in {"gzip", "br"}, page.headers
        assert "accept-encoding" in page.headers.get("vary", "").lower()
        # Brotli for a browser that prefers it (Debian's module), gzip for the others.
        brotli = https(stack, path, **{"Accept-Encoding": "br"})
        assert brotli.headers.get("content-encoding") == "br", brotli.headers

    # Plain HTTP answers only with the way to https.
    plain = httpx.get(f"http://127.0.0.1:{stack.plain_port}/hubs/", headers={"Host": HOST})
    assert plain.status_code == 301
    assert plain.headers["location"] == f"https://{HOST}/hubs/"

    # A hashed static file: nginx serves the .gz collectstatic wrote, cached for good.
    manifest = json.loads((stack.var_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    static = https(stack, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert static.status_code == 200
    assert static.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert static.headers["content-encoding"] == "gzip"
    assert static.headers["x-content-type-options"] == "nosniff"
    on_disk = (stack.var_dir / "static" / hashed).read_bytes()
    assert static.content == on_disk  # httpx decoded the gzip body
    assert gzip.decompress((stack.var_dir / "static" / f"{hashed}.gz").read_bytes()) == on_disk
    # JavaScript too: the .gz of collectstatic for gzip, brotli on the fly for br.
    script = manifest["paths"]["js/thread.js"]
    for encoding in ("gzip", "br"):
        served = https(stack, f"/static/{script}", **{"Accept-Encoding": encoding})
        assert served.status_code == 200
        assert served.headers["content-encoding"] == encoding, served.headers
        assert "javascript" in served.headers["content-type"]
    css = https(stack, f"/static/{hashed}", **{"Accept-Encoding": "br"})
    assert css.headers["content-encoding"] == "br", css.headers
    # The unhashed name may change with the next release: a short cache only.
    unhashed = https(stack, "/static/css/site.css")
    assert unhashed.status_code == 200
    assert "immutable" not in unhashed.headers["cache-control"]

    # Health: terse in public (through nginx), detailed for a local probe of gunicorn.
    for path in ("/healthz", "/healthz/live"):
        health = https(stack, path)
        assert health.status_code == 200, (path, health.text)
        assert health.json() == {"status": "ok"}
    local = httpx.get(
        f"http://127.0.0.1:{stack.http_port}/healthz",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
    )
    assert local.status_code == 200, local.text
    assert local.json()["status"] == "ok"
    assert local.json()["database"] == "ok", local.json()

    # A name the site does not serve: the connection is closed without an answer (444).
    for attempt in (
        lambda: https(stack, "/", host="evil.example"),
        lambda: httpx.get(
            f"http://127.0.0.1:{stack.plain_port}/", headers={"Host": "evil.example"}
        ),
    ):
        with pytest.raises(httpx.RemoteProtocolError):
            attempt()


class Member:
    """A browser's thread socket as thread.js keeps it: reconnects when the socket closes,
    sends `resume` after the newest id it has, and resends its unacknowledged posts (the
    outbox; the server stores a client_id once)."""

    def __init__(self, stack, cookie, thread_id):
        self.stack, self.cookie = stack, cookie
        self.url = f"wss://{HOST}:{stack.tls_port}/ws/threads/{thread_id}/"
        self.seen: set[int] = set()
        self.last = 0
        self.outbox: dict[str, str] = {}
        self.acks: dict[str, asyncio.Future] = {}
        self.drops = 0
        self.connected = asyncio.Event()
        self.ws = None
        self.sending: set[asyncio.Task] = set()

    async def connect(self):
        from websockets.asyncio.client import connect

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        deadline = asyncio.get_running_loop().time() + WAIT
        while True:
            try:
                return await connect(
                    self.url,
                    host="127.0.0.1",
                    port=self.stack.tls_port,
                    ssl=context,
                    origin=f"https://{HOST}",
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=10,
                )
            except (OSError, TimeoutError, InvalidHandshake) as exc:  # refused, 502: restarting
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"no reconnection within {WAIT} s: {exc!r}") from exc
                await asyncio.sleep(0.2)

    async def run(self):
        while True:
            self.ws = await self.connect()
            await self.ws.send(json.dumps({"type": "resume", "after": self.last}))
            for client_id, body in list(self.outbox.items()):
                await self.ws.send(json.dumps(post_frame(body, client_id)))
            self.connected.set()
            try:
                async for raw in self.ws:
                    self.receive(json.loads(raw))
            except ConnectionClosed:
                pass
            self.connected.clear()
            self.ws = None
            self.drops += 1

    def receive(self, frame):
        kind = frame["type"]
        if kind == "message":
            self.seen.add(frame["message"]["id"])
            self.last = max(self.last, frame["message"]["id"])
        elif kind == "ack":
            self.outbox.pop(frame["client_id"], None)
            future = self.acks.pop(frame["client_id"], None)
            if future and not future.done():
                future.set_result(frame["id"])
        elif kind == "error" and frame.get("code") == "rate_limited":
            # The outbox waits and tries again, as thread.js does.
            asyncio.get_running_loop().call_later(2, self.resend, frame.get("client_id"))
        elif kind == "error":
            raise AssertionError(f"error frame: {frame}")

    def resend(self, client_id):
        if client_id in self.outbox and self.ws is not None:
            task = asyncio.ensure_future(
                self.ws.send(json.dumps(post_frame(self.outbox[client_id], client_id)))
            )
            self.sending.add(task)
            task.add_done_callback(self.sending.discard)

    async def post(self, body) -> int:
        client_id = str(uuid.uuid4())
        self.outbox[client_id] = body
        future = self.acks[client_id] = asyncio.get_running_loop().create_future()
        if self.ws is not None:
            # Closed meanwhile: the post stays in the outbox and goes on reconnection.
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(json.dumps(post_frame(body, client_id)))
        return await asyncio.wait_for(future, WAIT)


def post_frame(body, client_id):
    return {"type": "post", "client_id": client_id, "body": body}


async def until(condition, what):
    for _ in range(WAIT * 10):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} within {WAIT} s")


async def rolling_restart_scenario(stack, cookies, thread_id):
    members = [Member(stack, cookie, thread_id) for cookie in cookies]
    tasks = [asyncio.ensure_future(member.run()) for member in members]
    posted: list[int] = []
    try:
        await until(lambda: all(m.connected.is_set() for m in members), "every member connected")

        # nginx spreads the sockets over both processes; each message reaches everyone.
        for i, member in enumerate(members):
            posted.append(await member.post(f"before the restart {i}"))
        await until(lambda: all(set(posted) <= m.seen for m in members), "every message seen")

        stop_posting = asyncio.Event()

        async def keep_posting():
            i = 0
            while not stop_posting.is_set():
                posted.append(await members[i % len(members)].post(f"during the restart {i}"))
                i += 1
                await asyncio.sleep(0.5)  # within the per-member posting rate limit

        poster = asyncio.ensure_future(keep_posting())
        dropped_by_first = []
        for daphne in stack.daphnes:
            before = [m.drops for m in members]
            await asyncio.to_thread(daphne.restart)
            await until(
                lambda: all(m.connected.is_set() for m in members), "every member reconnected"
            )
            dropped_by_first = dropped_by_first or [
                m for m, drops in zip(members, before, strict=True) if m.drops > drops
            ]
        stop_posting.set()
        await poster
        posted.append(await members[0].post("after the restart"))
        await until(lambda: all(set(posted) <= m.seen for m in members), "no message lost")
    finally:
        for task in tasks:
            task.cancel()
        for member in members:
            if member.ws is not None:
                await member.ws.close()
    # The first restart cut some sockets and not others: the members were on both processes,
    # so the first messages crossed from one to the other. The second cut every socket (all
    # had moved to the second process), and each member still has every message.
    assert 0 < len(dropped_by_first) < len(members), [m.drops for m in members]
    assert all(m.drops >= 1 for m in members)
    assert len(posted) == len(set(posted)) > len(members) + 1
    return posted


def test_production_layout_through_nginx(stack):
    check_pages_static_and_health(stack)

    # Members with sessions and a thread, made through the services with the stack's settings.
    cookies = stack.fixture("realtime", "--users", MEMBERS)["cookies"]
    thread = stack.fixture("thread")["thread"]
    try:
        asyncio.run(rolling_restart_scenario(stack, cookies, thread))
    except BaseException:
        print(stack.logs())
        raise
