"""Redis away (REDIS_URL pointing at a closed port): the settings the project builds for that
URL (`environment.caches`, the channel layer), then pages, login, posting, websockets and
/healthz. Nothing answers 500: Wagtail's per-process data lives in the local cache, the
shared rate limits fail open (docs/deploy.md), sockets close with 4503, /healthz says 503."""

import socket

import pytest
from channels.layers import channel_layers
from django.core.cache import caches
from django.test import override_settings

from network.settings import environment
from tests.factories import UserFactory
from tests.hubs.threads_support import open_socket


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens there once the probe is closed


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    layer = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }
    with override_settings(REDIS_URL=url, CACHES=environment.caches(url), CHANNEL_LAYERS=layer):
        channel_layers.backends.clear()
        try:
            yield url
        finally:
            channel_layers.backends.clear()
    caches["default"].clear()


@pytest.mark.django_db
def test_the_home_page_and_login_answer_without_redis(client, redis_down):
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    person = UserFactory(email="ops@city.example")
    wrong = client.post("/accounts/login/", {"login": person.email, "password": "wrong"})
    assert wrong.status_code == 200  # the form again, with its error: the limit failed open


@pytest.mark.django_db
def test_posting_works_without_redis(thread, member, redis_down):
    from hubs import services

    message, created = services.message_post(thread=thread, author=member, body="Still here")
    assert created and message.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("close_worker_connections")
async def test_a_websocket_closes_with_4503_when_the_channel_layer_is_lost(
    thread, member, redis_down
):
    communicator = await open_socket(member, thread.pk)
    output = await communicator.receive_output(timeout=10)
    assert output == {"type": "websocket.close", "code": 4503}
    await communicator.wait()


@pytest.mark.django_db
def test_healthz_reports_the_shared_cache(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] != "ok" and body["channel_layer"] != "ok"
    assert client.get("/healthz", REMOTE_ADDR="203.0.113.7").json() == {"status": "fail"}
