"""The websocket origin check compares scheme, host and port."""

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator

from network.websocket import SameOriginValidator, origin_allowed


class Accepting(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()


def _scope(origin=None, host=None, scheme="ws", proto=None):
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if host is not None:
        headers.append((b"host", host.encode()))
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "proto", "allowed"),
    [
        ("http://127.0.0.1:8101", "127.0.0.1:8101", "ws", None, True),
        ("http://127.0.0.1:9999", "127.0.0.1:8101", "ws", None, False),  # another port
        ("https://127.0.0.1:8101", "127.0.0.1:8101", "ws", None, False),  # another scheme
        ("http://localhost", "localhost", "ws", None, True),  # default ports
        ("http://localhost:80", "localhost", "ws", None, True),
        ("https://localhost", "localhost", "ws", "https", True),  # behind the TLS proxy
        ("http://localhost", "localhost", "ws", "https", False),
        ("https://localhost", "localhost", "wss", None, True),
        ("http://evil.example", "evil.example", "ws", None, False),  # host not allowed
        ("http://127.0.0.1:notaport", "127.0.0.1:8101", "ws", None, False),
        ("null", "127.0.0.1:8101", "ws", None, False),
        (None, "127.0.0.1:8101", "ws", None, False),
    ],
)
def test_origin_rules(settings, origin, host, scheme, proto, allowed):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert origin_allowed(_scope(origin, host, scheme, proto)) is allowed


def test_site_url_origin_is_allowed_whatever_the_host_header(settings):
    settings.SITE_URL = "https://localhost"
    assert origin_allowed(_scope("https://localhost", "127.0.0.1:8000"))


async def _connects(origin, host):
    headers = [(b"origin", origin.encode()), (b"host", host.encode())]
    communicator = WebsocketCommunicator(SameOriginValidator(Accepting.as_asgi()), "/", headers)
    connected, _code = await communicator.connect()
    await communicator.disconnect()
    return connected


@pytest.mark.django_db
async def test_the_validator_denies_another_port_and_accepts_the_same_origin():
    assert await _connects("http://127.0.0.1:8101", "127.0.0.1:8101")
    assert not await _connects("http://127.0.0.1:9999", "127.0.0.1:8101")


@pytest.mark.django_db
async def test_the_site_routes_websockets_through_the_check():
    from network.routing import application

    headers = [(b"origin", b"http://127.0.0.1:9999"), (b"host", b"127.0.0.1:8101")]
    communicator = WebsocketCommunicator(application, "/ws/threads/1/", headers)
    connected, _code = await communicator.connect()
    assert not connected
