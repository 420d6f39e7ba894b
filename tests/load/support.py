import os

from bench.fleet import Target

CLIENTS = 200


def load_seconds():
    """How long the fan-out tests post at 20 msg/s to 200 clients (4,000 frames a second):
    the issue's 60 s. LOAD_SECONDS shortens it for a quick local run."""
    return float(os.environ.get("LOAD_SECONDS", "60"))


def skip_without_thread_consumer():
    """The load tests need the thread websocket; skip (saying why) where it is absent."""
    import importlib.util

    import pytest

    if importlib.util.find_spec("hubs.realtime.consumers") is None:
        pytest.skip(
            "the thread websocket consumer (hubs.realtime.consumers) is not on this site yet"
        )


def targets(servers, thread, cookies):
    """One target per cookie, spread over SERVERS in turn."""
    return [
        Target(
            url=f"ws://127.0.0.1:{servers[i % len(servers)].port}/ws/threads/{thread}/",
            origin=f"http://127.0.0.1:{servers[i % len(servers)].port}",
            cookie=cookie,
        )
        for i, cookie in enumerate(cookies)
    ]
