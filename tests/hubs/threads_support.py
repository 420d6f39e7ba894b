"""Fixtures and helpers shared by the thread tests (imported by tests/hubs/test_threads_*)."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from core.cache import shared_cache as cache
from hubs import services
from network.routing import application
from tests.factories import HubFactory, UserFactory


def make_member(hub, **user_fields):
    person = UserFactory(**user_fields)
    services.membership_request(hub=hub, user=person)
    return person


def _clear_thread_keys():
    if getattr(settings, "REDIS_URL", None):
        # Only this worker's thread keys: other xdist workers share the Redis database.
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            for key in client.scan_iter(match=cache.make_key("threads:*")):
                client.delete(key)
        finally:
            client.close()
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and presence live in the cache (Redis when configured). Every test
    gets them empty: user ids repeat from test to test, and a count left by one test would
    rate-limit a namesake id in the next."""
    _clear_thread_keys()
    yield
    _clear_thread_keys()


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def other_hub(db):
    return HubFactory()


@pytest.fixture
def coordinator(hub):
    person = UserFactory(name="Clara Coordinator")
    services.coordinator_assign(hub=hub, user=person)
    return person


@pytest.fixture
def member(hub):
    return make_member(hub, name="Mariam Member")


@pytest.fixture
def member2(hub):
    return make_member(hub, name="Nikola Neighbour")


@pytest.fixture
def outsider(other_hub):
    """An active member of another hub."""
    return make_member(other_hub, name="Otto Outsider")


@pytest.fixture
def suspended(hub, coordinator):
    person = make_member(hub, name="Sami Suspended")
    membership = person.memberships.get(hub=hub)
    services.membership_suspend(membership=membership, acting_user=coordinator, reason="Spam")
    return person


@pytest.fixture
def thread(hub, member):
    return services.thread_create(
        hub=hub,
        author=member,
        title="Informal waste collectors",
        question="How did you *register* informal collectors?",
        theme="municipal_services",
    )


@pytest.fixture
def other_thread(other_hub, outsider):
    return services.thread_create(
        hub=other_hub, author=outsider, title="Another hub's thread", question="Elsewhere"
    )


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def open_socket(user, thread_id, *, origin=b"http://testserver"):
    """A WebsocketCommunicator through the whole ASGI application, logged in as USER."""
    headers = [(b"origin", origin)]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, f"/ws/threads/{thread_id}/", headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def expect_close(communicator, code):
    output = await communicator.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": code}


async def joined(user, thread_id):
    """An accepted socket, its first presence frame consumed."""
    communicator = await open_socket(user, thread_id)
    frame = await communicator.receive_json_from(timeout=3)
    assert frame["type"] == "presence", frame
    return communicator


async def next_frame(communicator, *, skip=("presence",)):
    while True:
        frame = await communicator.receive_json_from(timeout=3)
        if frame.get("type") not in skip:
            return frame


async def ack_and_message(communicator):
    """The poster's ack and the broadcast of its message, in whichever order they came (the
    protocol does not order them)."""
    frames = {}
    while len(frames) < 2:
        frame = await next_frame(communicator)
        assert frame["type"] in ("ack", "message") and frame["type"] not in frames, frame
        frames[frame["type"]] = frame
    return frames["ack"], frames["message"]


async def send(communicator, frame):
    await communicator.send_to(text_data=json.dumps(frame))


async def assert_quiet(communicator):
    """Nothing but presence updates arrives."""
    while not await communicator.receive_nothing(timeout=0.2):
        frame = await communicator.receive_json_from(timeout=1)
        assert frame["type"] == "presence", f"unexpected frame {frame}"


@pytest.fixture
def close_worker_connections(transactional_db):
    """After a websocket test, close the database connections that the consumers opened in
    asgiref's single sync thread: Channels checks them on every later dispatch, even in
    tests without database access."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


class queries:
    """`async with queries() as captured:` the SQL of the queries the consumers make
    meanwhile (a list, filled on leaving).

    Consumers query in asgiref's single sync thread (database_sync_to_async), where
    Django's connection is not the test's: the capture is started and read there."""

    async def __aenter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.captured = []
        self.context = CaptureQueriesContext(connection)
        await database_sync_to_async(self.context.__enter__)()
        return self.captured

    async def __aexit__(self, *exc):
        def leave():
            self.context.__exit__(None, None, None)
            self.captured.extend(query["sql"] for query in self.context.captured_queries)

        await database_sync_to_async(leave)()
