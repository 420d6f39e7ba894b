"""Page serving: requests a second and latency of the home, good-practice, hub and thread
pages at concurrency 16 against Daphne, next to the floor (a bare ASGI response from the same
Daphne process, no Django) measured in the same run; and the number of database queries each
page makes, counted in-process with Django's CaptureQueriesContext, with little data and with
a lot (10 against 1,000 threads, messages and practices): it must not grow.

    python -m bench.pages            # 20 s a page, 1,000 threads / messages / practices
    python -m bench.pages --quick    # 5 s a page, 300 of each

The data lives in a throwaway SQLite database under var/bench/pages/ (or --database-url).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from .common import Server, Table, Workspace, fmt, header, ms, percentile, ratio

CONCURRENCY = 16
SMALL = 10


def setup_django(workspace):
    os.environ.update(workspace.env())
    import django

    django.setup()


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: per-process caches (the Wagtail site, translations) fill once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries)


def pages(data):
    """(name, url, needs a member's session) for each page that exists on this site."""
    found = [("home", "/", False)]
    if data.get("practice_url"):
        found.append(("practice", data["practice_url"], False))
    found.append(("hub", f"/hubs/{data['hub']}/", True))
    if data.get("thread_url"):
        found.append(("thread", data["thread_url"], True))
    return found


async def hammer(url, *, seconds, cookie=None, concurrency=CONCURRENCY):
    import httpx

    headers = {"Cookie": cookie} if cookie else {}
    latencies, failures = [], 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        headers=headers, timeout=60, limits=limits, trust_env=False
    ) as client:
        await client.get(url)  # warm up: the first request compiles templates
        stop = time.monotonic() + seconds
        started = time.monotonic()

        async def worker():
            nonlocal failures
            while time.monotonic() < stop:
                begun = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code != 200:
                        failures += 1
                except httpx.HTTPError:
                    failures += 1
                latencies.append(time.perf_counter() - begun)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "failures": failures,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Page-serving benchmark",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="5 s a page, 300 of each")
    parser.add_argument("--seconds", type=float, help="load time per page (20; quick: 5)")
    parser.add_argument("--large", type=int, help="the large data set (1000; quick: 300)")
    parser.add_argument("--database-url", help="a database of its own (default: SQLite)")
    args = parser.parse_args(argv)
    seconds = args.seconds or (5 if args.quick else 20)
    large = args.large or (300 if args.quick else 1000)

    print(header("bench.pages"), flush=True)
    started = time.monotonic()
    workspace = Workspace("pages", database_url=args.database_url)
    print(f"preparing {workspace.dir}…", flush=True)
    workspace.migrate()
    setup_django(workspace)

    from django.test import Client

    from . import fixtures

    counts = {}
    member = None
    for size in (SMALL, large):
        print(f"… {size} threads, messages and practices", flush=True)
        data = fixtures.pages_data(size)
        member = data["member"]
        client = Client(HTTP_HOST="127.0.0.1")
        for name, url, needs_member in pages(data):
            if needs_member:
                client.force_login(member)
            else:
                client.logout()
            status, queries = count_queries(client, url)
            counts.setdefault(name, {})[size] = (status, queries)
    cookie = fixtures.session_cookies([member])[0]

    table = Table(
        f"Page serving, concurrency {CONCURRENCY}, {fmt(seconds, digits=0)} s a page",
        [
            "page", "req/s", "p50 ms", "p95 ms", "p95 / floor", "failed",
            f"queries ({SMALL})", f"queries ({large})", "verdict",
        ],
    )  # fmt: skip
    with Server.daphne(workspace) as server:
        base = f"http://127.0.0.1:{server.port}"
        print("… floor: bare ASGI response", flush=True)
        floor = asyncio.run(hammer(base + "/__bench__/hello", seconds=seconds))
        table.add(
            "floor (ASGI, no Django)",
            fmt(floor["rps"], digits=0),
            fmt(ms(floor["p50"])),
            fmt(ms(floor["p95"])),
            "1.00×",
            str(floor["failures"]),
            "-",
            "-",
            "-",
        )
        for name, url, needs_member in pages(data):
            print(f"… {name} {url}", flush=True)
            got = asyncio.run(
                hammer(base + url, seconds=seconds, cookie=cookie if needs_member else None)
            )
            (small_status, small_q), (large_status, large_q) = (
                counts[name][SMALL],
                counts[name][large],
            )
            ok = small_status == large_status == 200 and large_q <= small_q
            table.add(
                f"{name} `{url}`",
                fmt(got["rps"], digits=0),
                fmt(ms(got["p50"])),
                fmt(ms(got["p95"])),
                fmt(ratio(got["p95"], floor["p95"]), "×", 1),
                str(got["failures"]),
                f"{small_q}" + ("" if small_status == 200 else f" (HTTP {small_status})"),
                f"{large_q}" + ("" if large_status == 200 else f" (HTTP {large_status})"),
                "MET" if ok and not got["failures"] else "MISSED",
            )
    table.notes = [
        "Target: the queries a page makes do not grow with the data "
        f"({SMALL} against {large} threads, messages in the thread, and practices); "
        "no failed request. Hub and thread pages are requested as a member.",
        f"Took {time.monotonic() - started:.0f} s.",
    ]
    print()
    print(table.render())


if __name__ == "__main__":
    main()
