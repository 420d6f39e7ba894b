"""Redis goes away in the middle of a busy thread and comes back: the clients that lost
their connection reconnect and `resume`, the posters resend what was not acknowledged (same
`client_id`), and once Redis is back every client has every message, once."""

import asyncio

import pytest

from bench.fleet import fanout

from .support import targets

CLIENTS = 100
RATE = 10
SECONDS = 15


@pytest.mark.slow
@pytest.mark.redis
def test_clients_resynchronise_after_a_redis_restart(load_site, thread, daphne, redis_server):
    _, cookies = load_site
    servers = [daphne(redis_url=redis_server.url), daphne(redis_url=redis_server.url)]

    async def restart_redis(fleet):
        await asyncio.sleep(SECONDS / 3)
        await asyncio.to_thread(redis_server.restart, down_for=2.0)

    result = asyncio.run(
        fanout(
            targets(servers, thread, cookies[:CLIENTS]),
            clients=CLIENTS,
            rate=RATE,
            seconds=SECONDS,
            posters=RATE * 10,
            settle=1.0,
            drain=90.0,
            reconnect=True,
            during=restart_redis,
        )
    )
    assert result.reconnects > 0, "the restart went unnoticed: " + result.summary()
    assert result.posted == RATE * SECONDS
    assert result.acked == result.posted, result.summary()
    assert result.unacked == 0, result.summary()
    assert result.duplicates == 0, result.summary()
    # Every client that lost its connection reconnected, resumed and missed nothing.
    assert result.lost_reconnected == 0, result.summary()
    # The connections that survived the outage are closed by their relay once it notices
    # that the restarted Redis forgot its groups (hubs.realtime.relay: its ping does not come
    # back), so they resumed too.
    assert result.lost == 0, result.summary()
