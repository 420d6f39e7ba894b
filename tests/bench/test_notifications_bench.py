"""The notification benchmark's code, at a tiny size (no timing asserted): it posts to both
threads over a real websocket, gets every ack, and sees every follower notified by the worker."""

import pytest

from bench import notifications as bench


# Slow: it migrates a database of its own and starts Daphne and a worker (CI runs it once).
@pytest.mark.slow
def test_the_notification_benchmark_runs_end_to_end_at_a_tiny_size():
    # A workspace of its own: a benchmark run at the same time keeps var/bench/notifications.
    run = bench.run_benchmark(followers=3, rounds=1, fanout_timeout=120, name="notifications-smoke")
    assert len(run.quiet) == len(run.busy) == 1
    assert all(latency > 0 for latency in run.quiet + run.busy)
    assert run.incomplete == 0 and len(run.fanout) == 1
    table = bench.table_for(run, 1).render()
    assert "| followed | 3 |" in table
