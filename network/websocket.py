"""The websocket origin check: a socket is accepted only from a page of this very site.

Channels' `AllowedHostsOriginValidator` compares the Origin's host with ALLOWED_HOSTS and
ignores scheme and port, so a page served by anything else on the same host (another port)
could open sockets with the member's cookie. Here the Origin must equal the origin the socket
was opened on (scheme, host and port, from the Host header and the connection's scheme, or
`X-Forwarded-Proto` behind the TLS proxy), or SITE_URL's, and its host must be allowed.
"""

import logging
import time
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int]:
    return scheme, host.lower(), port or DEFAULT_PORTS.get(scheme, 0)


def _parse(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return _origin(parts.scheme, parts.hostname, port)


def _headers(scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope.get("headers", [])}


def _served_origin(scope, headers) -> tuple[str, str, int] | None:
    """The origin of the page that may open this socket, as the request itself says."""
    host = headers.get(b"host")
    if host is None:
        return None
    forwarded = headers.get(b"x-forwarded-proto", b"").decode("latin1").split(",")[0].strip()
    secure = scope.get("scheme") == "wss" or forwarded == "https"
    return _parse(f"{'https' if secure else 'http'}://{host.decode('latin1')}")


def origin_allowed(scope) -> bool:
    headers = _headers(scope)
    raw = headers.get(b"origin")
    if raw is None:
        return False
    origin = _parse(raw.decode("latin1"))
    if origin is None:
        return False
    domain, _port = split_domain_port(f"{origin[1]}:{origin[2]}")
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    if origin == _parse(settings.SITE_URL):
        return True
    served = _served_origin(scope, headers)
    if served is None:
        # Only test clients connect without a Host header: the host check above stands.
        return True
    return origin == served


class SameOriginValidator:
    """ASGI middleware: deny (403 at the handshake) a websocket from another origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)


def _unreachable_errors():
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ChannelLayerLossCloser:
    """ASGI middleware: a websocket whose consumer fails because the channel layer (Redis) is
    unreachable is closed with 4503 (reconnect and resume, as the relays do when they lose it),
    not with Daphne's 1011 for an unhandled exception, nor a failed handshake. One warning at
    most every `WARN_EVERY` seconds, not a traceback per socket."""

    WARN_EVERY = 10.0
    _warned_at = float("-inf")

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        from hubs.realtime.consumers import CLOSE_RECONNECT

        state = {"accepted": False, "closed": False}

        async def tracked(message):
            kind = message.get("type")
            if kind == "websocket.accept":
                state["accepted"] = True
            elif kind == "websocket.close":
                state["closed"] = True
            await send(message)

        try:
            await self.application(scope, receive, tracked)
        except _unreachable_errors() as error:
            now = time.monotonic()
            if now - ChannelLayerLossCloser._warned_at >= self.WARN_EVERY:
                ChannelLayerLossCloser._warned_at = now
                logger.warning("websockets closed with 4503: channel layer unreachable: %s", error)
            if state["closed"]:
                return
            if not state["accepted"]:
                # Accepted first, so that the browser sees the close code.
                await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_RECONNECT})
