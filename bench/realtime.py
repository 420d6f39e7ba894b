"""Real-time fan-out: N websocket clients in one consultation thread, messages posted at R a
second for T seconds; delivery latency, lost and duplicated messages, server memory. Three
setups in the same run: the bare `websockets` broadcast server (the floor), our site on
Daphne with the in-memory channel layer (one process), and our site on two Daphne processes
sharing the Redis channel layer (half the clients on each).

    python -m bench.realtime                 # 100, 500 and 1,000 clients, 10 msg/s, 30 s
    python -m bench.realtime --quick         # 100 and 500 clients, 10 s
    python -m bench.realtime --clients 500 --rate 10 --seconds 60 --redis-url redis://127.0.0.1:6379/8

Target: at 500 clients and 10 messages a second, our p95 within 3 times the bare server's, and
nothing lost. The database is a throwaway SQLite file under var/bench/realtime/ unless
--database-url names another (its own, e.g. a PostgreSQL database kept for the benchmark).
With --redis-url, the channel layer's keys (`asgi:*`) in that Redis database are deleted
before each Redis run: give it a database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time

from .common import Server, Table, Workspace, fmt, header, ms, raise_fd_limit, ratio
from .fleet import Target, fanout

TARGET_CLIENTS, TARGET_RATE, TARGET_RATIO = 500, 10, 3.0


def posters_for(rate, clients):
    """Posters share the rate so none of them posts more than once every 10 seconds: the
    site limits how fast one person may post, and many people talk in a busy thread."""
    return max(1, min(clients, math.ceil(rate * 10)))


def flush_channel_layer(redis_url):
    """Forget groups a previous run may have left behind (a killed server never leaves), and
    the previous run's rate-limit and presence keys: every run makes its users afresh, with
    the same ids."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match="asgi:*", count=1000))
        keys += list(client.scan_iter(match="*:threads:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def run_fanout(targets, *, clients, rate, seconds, drain=120.0):
    return asyncio.run(
        fanout(
            targets,
            clients=clients,
            rate=rate,
            seconds=seconds,
            posters=posters_for(rate, clients),
            settle=1.0,
            drain=drain,
        )
    )


def site_targets(servers, thread, cookies, clients):
    path = f"/ws/threads/{thread}/"
    return [
        Target(
            url=f"ws://127.0.0.1:{servers[i % len(servers)].port}{path}",
            origin=f"http://127.0.0.1:{servers[i % len(servers)].port}",
            cookie=cookies[i],
        )
        for i in range(clients)
    ]


def measure_bare(clients, rate, seconds):
    with Server.bare() as server:
        target = Target(
            url=f"ws://127.0.0.1:{server.port}/ws/threads/1/",
            origin=f"http://127.0.0.1:{server.port}",
        )
        result = run_fanout([target], clients=clients, rate=rate, seconds=seconds)
        return result, server.rss()


def measure_site(workspace, cookies, clients, rate, seconds, *, redis_url=None, processes=1):
    thread = workspace.fixture("thread")["thread"]
    if redis_url:
        flush_channel_layer(redis_url)
    servers = [Server.daphne(workspace, redis_url=redis_url) for _ in range(processes)]
    try:
        for server in servers:
            server.start()
        targets = site_targets(servers, thread, cookies, clients)
        result = run_fanout(targets, clients=clients, rate=rate, seconds=seconds)
        rss = sum(server.rss() or 0 for server in servers)
    finally:
        for server in servers:
            server.stop()
    return result, rss


def row(table, setup, result, rss, floor_p95, *, judged):
    p95 = result.p(95)
    r = ratio(p95, floor_p95)
    ok_ratio = r is not None and r <= TARGET_RATIO
    ok_loss = result.lost == 0 and result.duplicates == 0 and result.unacked == 0
    if not judged or floor_p95 is None:
        verdict = "-" if judged or floor_p95 is None else ("ok" if ok_loss else "LOST")
    else:
        verdict = "MET" if ok_ratio and ok_loss else "MISSED"
    table.add(
        setup,
        str(result.clients),
        fmt(result.rate, digits=0),
        fmt(ms(result.p(50))),
        fmt(ms(p95)),
        fmt(ms(result.p(99))),
        fmt(r, "×", 2) if floor_p95 is not None else "1.00× (floor)",
        str(result.lost),
        str(result.duplicates),
        str(result.error_count + result.closes + result.unacked),
        fmt(rss / 2**20 if rss else None, " MB", 0),
        fmt(result.connect_seconds, digits=0)
        + (f" ({result.connect_failures} retries)" if result.connect_failures else ""),
        verdict,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Real-time fan-out benchmark",
        epilog=__doc__,
        allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="100 and 500 clients, 10 s")
    parser.add_argument("--clients", help="comma-separated client counts (100,500,1000)")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="messages a second")
    parser.add_argument("--seconds", type=float, help="posting time per run (30; quick: 10)")
    parser.add_argument("--database-url", help="a database of its own (default: SQLite)")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL"),
        help="Redis for the two-process runs (default: $REDIS_URL; none: skipped)",
    )
    args = parser.parse_args(argv)
    counts = [
        int(c) for c in (args.clients or ("100,500" if args.quick else "100,500,1000")).split(",")
    ]
    seconds = args.seconds or (10 if args.quick else 30)
    limit = raise_fd_limit()
    if limit < max(counts) * 2 + 100:
        sys.exit(f"open-file limit {limit} is too low for {max(counts)} clients")

    print(header("bench.realtime"), flush=True)
    started = time.monotonic()
    workspace = Workspace("realtime", database_url=args.database_url)
    print(f"preparing {workspace.dir} ({max(counts)} members with sessions)…", flush=True)
    workspace.migrate()
    cookies = workspace.fixture("realtime", "--users", max(counts))["cookies"]

    table = Table(
        f"Real-time fan-out, {fmt(args.rate, digits=0)} msg/s for {fmt(seconds, digits=0)} s",
        [
            "setup",
            "clients",
            "msg/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p95 / bare",
            "lost",
            "dup",
            "errors",
            "server RSS",
            "connect s",
            "verdict",
        ],
    )
    for clients in counts:
        judged = clients == TARGET_CLIENTS and args.rate == TARGET_RATE
        print(f"… {clients} clients: bare server", flush=True)
        bare, bare_rss = measure_bare(clients, args.rate, seconds)
        print(f"  {bare.summary()}", flush=True)
        row(table, "bare websockets", bare, bare_rss, None, judged=judged)
        floor = bare.p(95)
        print(f"… {clients} clients: Daphne, in-memory layer", flush=True)
        result, rss = measure_site(workspace, cookies, clients, args.rate, seconds)
        print(f"  {result.summary()}", flush=True)
        row(table, "Daphne ×1, in-memory", result, rss, floor, judged=judged)
        if args.redis_url:
            print(f"… {clients} clients: 2 × Daphne, Redis layer", flush=True)
            result, rss = measure_site(
                workspace,
                cookies,
                clients,
                args.rate,
                seconds,
                redis_url=args.redis_url,
                processes=2,
            )
            print(f"  {result.summary()}", flush=True)
            row(table, "Daphne ×2, Redis", result, rss, floor, judged=judged)

    table.notes = [
        f"Target: at {TARGET_CLIENTS} clients and {TARGET_RATE} msg/s, p95 at most "
        f"{TARGET_RATIO:g}× the bare server's and nothing lost (verdict on those rows only).",
        "lost = acknowledged messages a client still had not received 120 s after the last "
        "post (summed over clients); dup = messages stored twice. "
        "errors = error frames + unexpected closes + posts never acknowledged; "
        "server RSS = sum over the server processes after the run; connect s = time to "
        "connect every client and for the server to go quiet (presence announcements "
        "delivered) before posting starts.",
        f"Took {time.monotonic() - started:.0f} s.",
    ]
    if not args.redis_url:
        table.notes.append("Redis rows skipped: no --redis-url or REDIS_URL.")
    print()
    print(table.render())


if __name__ == "__main__":
    main()
