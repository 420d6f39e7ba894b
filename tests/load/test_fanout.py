"""200 clients in one thread, 20 messages a second: every message reaches every client once,
and nothing goes wrong, on one Daphne process (in-memory layer) and on two sharing Redis."""

import asyncio

import pytest

from bench.fleet import fanout

from .support import CLIENTS, load_seconds, targets

RATE = 20
# Waiting for the last deliveries is bounded, never asserted: seconds on a quiet machine,
# minutes on a busy one (the server works through its backlog; nothing is dropped).
DRAIN = 300.0


def run(servers, thread, cookies):
    # Posters take turns, each posting once every 10 s: within the per-person rate limit.
    return asyncio.run(
        fanout(
            targets(servers, thread, cookies),
            clients=CLIENTS,
            rate=RATE,
            seconds=load_seconds(),
            posters=RATE * 10,
            settle=1.0,
            drain=DRAIN,
        )
    )


def assert_all_delivered(result):
    assert result.posted == round(RATE * load_seconds())
    assert result.acked == result.posted, result.summary()
    assert result.unacked == 0, result.summary()
    assert result.lost == 0, result.summary()
    assert result.duplicates == 0, result.summary()
    assert result.redelivered == 0, result.summary()
    assert result.deliveries == CLIENTS * result.posted, result.summary()
    assert not result.errors, result.summary()
    assert result.closes == 0, result.summary()


@pytest.mark.slow
def test_fanout_on_one_process_with_the_in_memory_layer(load_site, thread, daphne):
    _, cookies = load_site
    server = daphne()
    assert_all_delivered(run([server], thread, cookies))


@pytest.mark.slow
@pytest.mark.redis
def test_fanout_across_two_processes_sharing_redis(load_site, thread, daphne, redis_server):
    _, cookies = load_site
    servers = [daphne(redis_url=redis_server.url), daphne(redis_url=redis_server.url)]
    assert_all_delivered(run(servers, thread, cookies))
