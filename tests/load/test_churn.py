"""2,000 connect/disconnect cycles: the server's memory stays bounded and no connection
that left is still a member of a channel-layer group (which would make every later
broadcast do work for nobody, and grow)."""

import asyncio
import time

import pytest

from bench.fleet import churn

from .support import targets

CYCLES = 2000
WARM_UP = 200
# Python does not hand freed memory back at once; a leak of one consumer (a few tens of
# kilobytes) per connection would show as 50 MB and more over 2,000 cycles.
MEMORY_GROWTH_LIMIT = 24 * 2**20


def live_members(server, *, settle=15.0):
    """The layer's groups that still have members and the server's thread relays that still
    have sockets, once disconnections have been handled."""
    deadline = time.monotonic() + settle
    while True:
        state = server.get_json("/__bench__/layer")
        members = {name: count for name, count in state["groups"].items() if count}
        members.update({f"relay {name}": count for name, count in state["relays"].items()})
        if not members or time.monotonic() > deadline:
            return members
        time.sleep(0.2)


def cycle(server, thread, cookies):
    clients = targets([server], thread, cookies)
    assert asyncio.run(churn(clients, cycles=WARM_UP)) == 0
    assert live_members(server) == {}
    before = server.rss()
    assert asyncio.run(churn(clients, cycles=CYCLES)) == 0
    assert live_members(server) == {}
    growth = server.rss() - before
    assert growth < MEMORY_GROWTH_LIMIT, f"RSS grew by {growth / 2**20:.1f} MB"


@pytest.mark.slow
def test_connect_disconnect_cycles_with_the_in_memory_layer(load_site, thread, daphne):
    _, cookies = load_site
    cycle(daphne(), thread, cookies)


@pytest.mark.slow
@pytest.mark.redis
def test_connect_disconnect_cycles_with_redis(load_site, thread, daphne, redis_server):
    _, cookies = load_site
    cycle(daphne(redis_url=redis_server.url), thread, cookies)
