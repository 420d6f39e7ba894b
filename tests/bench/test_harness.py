"""The benchmark harness itself, against the bare reference server: it counts what it must
(every delivery, nothing invented), and the generated data are reproducible."""

import asyncio

from bench import corpus
from bench.common import Server, percentile, raise_fd_limit
from bench.fleet import Target, fanout


def test_percentile():
    assert percentile([], 95) is None
    assert percentile([5], 50) == 5
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(101)), 95) == 95


def test_fleet_counts_every_delivery_from_the_bare_server():
    raise_fd_limit()
    with Server.bare() as server:
        target = Target(
            url=f"ws://127.0.0.1:{server.port}/ws/threads/1/",
            origin=f"http://127.0.0.1:{server.port}",
        )
        result = asyncio.run(fanout([target], clients=20, rate=20, seconds=1, posters=5, drain=30))
    assert result.posted == result.acked == 20
    assert result.deliveries == 20 * 20
    assert result.lost == result.duplicates == result.redelivered == 0
    assert not result.errors and result.closes == 0
    assert len(result.latencies) == result.deliveries


def test_fleet_counts_what_a_client_never_received():
    """A server that drops frames is caught: the bare server with one client cut off."""
    raise_fd_limit()
    with Server.bare() as server:
        target = Target(
            url=f"ws://127.0.0.1:{server.port}/ws/threads/1/",
            origin=f"http://127.0.0.1:{server.port}",
        )

        async def cut_one_off(fleet):
            await fleet.clients[-1].ws.close()

        result = asyncio.run(
            fanout([target], clients=5, rate=10, seconds=1, posters=1, drain=2, during=cut_one_off)
        )
    assert result.closes == 1
    # The cut-off client misses every message (perhaps bar the first, already on its way);
    # the four others miss none.
    assert result.acked - 1 <= result.lost <= result.acked
    assert result.deliveries == 5 * result.acked - result.lost


def test_corpus_is_reproducible_and_multilingual():
    first = list(corpus.documents(40))
    assert first == list(corpus.documents(40))
    assert {doc.language for doc in first} == {"en", "fr", "ar", "de"}
    queries = corpus.queries(100)
    assert [q.text for q in queries] == [q.text for q in corpus.queries(100)]
    assert {q.kind for q in queries} >= {"frequent", "rare", "two words", "prefix"}
