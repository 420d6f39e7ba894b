"""Page serving, side by side in one run at concurrency 16: Daphne alone (`make run`'s
setup), the production layout (gunicorn with thread workers on network.wsgi behind nginx with
deploy/'s configuration, TLS included) and, for the choice of worker class, gunicorn's sync
workers behind the same nginx. Pages: the floor (the site's base template with header and
footer and nothing else, bench/urls.py), home, a good practice, a hub, a thread and a static
file. Load from `wrk` where installed (else a Python client, which caps near 400 req/s here);
the table says which. Also per page: the in-process cost (Django's test client, no server)
next to the floor's, and the database queries with little data and with a lot (10 against
1,000 threads, messages and practices): they must not grow.

    python -m bench.pages            # 20 s a page, 1,000 threads / messages / practices
    python -m bench.pages --quick    # 5 s a page, 300 of each

The data lives in a throwaway SQLite database under var/bench/pages/ (or --database-url).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import time

from .common import (
    HOST,
    Server,
    Table,
    Workspace,
    fmt,
    free_port,
    header,
    ms,
    percentile,
    ratio,
    render_nginx,
    run_django,
)

CONCURRENCY = 16
SMALL = 10
TARGET = 2.5  # the production layout against Daphne alone, each page (issue 17)
FLOOR_URL = "/__bench__/floor"
STATIC_URL = "/static/css/site.css"
SETTINGS = "bench.settings"
# wrk prints what it measured as one JSON line (its own report has no 95th percentile).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "failures": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e6,
    latency:percentile(95) / 1e6, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def server_env():
    """What the servers and the in-process client run with: the bench settings (the floor
    page) and the production layout's host name allowed."""
    return {"DJANGO_SETTINGS_MODULE": SETTINGS, "ALLOWED_HOSTS": f"127.0.0.1,localhost,{HOST}"}


def setup_django(workspace):
    os.environ.update(workspace.env(**server_env()))
    import django

    django.setup()


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: per-process caches (the Wagtail site, translations) fill once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries)


def in_process(client, url, *, rounds=30):
    """The median time of a GET through Django's test client, no server."""
    client.get(url)
    times = []
    for _ in range(rounds):
        begun = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - begun)
    return statistics.median(times)


def pages(data):
    """(name, url, needs a member's session) for each page that exists on this site."""
    found = [("home", "/", False)]
    if data.get("practice_url"):
        found.append(("practice", data["practice_url"], False))
    found.append(("hub", f"/hubs/{data['hub']}/", True))
    if data.get("thread_url"):
        found.append(("thread", data["thread_url"], True))
    return found


async def hammer(url, *, seconds, headers, concurrency=CONCURRENCY):
    """The Python load generator (where wrk is not installed)."""
    import httpx

    latencies, failures = [], 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        headers=headers,
        timeout=60,
        limits=limits,
        trust_env=False,
        verify=False,  # noqa: S501 - own cert
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


def wrk(url, *, seconds, headers, script):
    """wrk at CONCURRENCY connections on 2 threads; the same figures as hammer()."""
    import httpx

    # Warm up (templates compile on the first request), and fail loudly on a broken page.
    first = httpx.get(url, headers=headers, verify=False, timeout=60)  # noqa: S501
    if first.status_code != 200:
        return {"rps": None, "p50": None, "p95": None, "failures": f"HTTP {first.status_code}"}
    args = [
        "wrk",
        "-t2",
        f"-c{CONCURRENCY}",
        f"-d{seconds:.0f}s",
        "-s",
        str(script),
        "--timeout",
        "30s",
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    got = json.loads(line[5:])
    return {
        "rps": got["requests"] / got["seconds"],
        "p50": got["p50"],
        "p95": got["p95"],
        "failures": got["failures"],
    }


class Layout:
    """One way of serving the site: a base URL, the Host to send, the processes."""

    def __init__(self, name, base, host, servers):
        self.name, self.base, self.host, self.servers = name, base, host, servers

    def __enter__(self):
        for server in self.servers:
            server.start()
        return self

    def __exit__(self, *exc):
        for server in reversed(self.servers):
            server.stop()


def daphne_alone(workspace):
    server = Server.daphne(workspace, **server_env())
    return Layout("Daphne alone", f"http://127.0.0.1:{server.port}", "127.0.0.1", [server])


def behind_nginx(workspace, *, worker_class, workers, threads):
    """gunicorn behind nginx rendered from deploy/ (no Daphne: only HTTP is measured)."""
    app = Server.gunicorn(
        workspace, worker_class=worker_class, workers=workers, threads=threads,
        **server_env(),
    )  # fmt: skip
    prefix = workspace.dir / f"nginx-{worker_class}"
    prefix.mkdir(exist_ok=True)
    tls = free_port()
    conf = render_nginx(
        prefix,
        tls_port=tls,
        plain_port=free_port(),
        http_port=app.port,
        ws_ports=[free_port(), free_port()],
        var_dir=workspace.dir,
    )
    name = f"gunicorn {worker_class} ({workers}×{threads}) + nginx"
    return Layout(
        name, f"https://127.0.0.1:{tls}", HOST, [app, Server.nginx(prefix, conf, port=tls)]
    )


def measure(layout, url, *, seconds, cookie, script):
    headers = {"Host": layout.host, "Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    if script:
        return wrk(layout.base + url, seconds=seconds, headers=headers, script=script)
    return asyncio.run(hammer(layout.base + url, seconds=seconds, headers=headers))


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
    parser.add_argument("--no-wrk", action="store_true", help="the Python load generator")
    parser.add_argument("--no-sync", action="store_true", help="skip gunicorn's sync workers")
    args = parser.parse_args(argv)
    seconds = args.seconds or (5 if args.quick else 20)
    large = args.large or (300 if args.quick else 1000)
    use_wrk = shutil.which("wrk") is not None and not args.no_wrk
    use_nginx = shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")

    print(header("bench.pages"), flush=True)
    started = time.monotonic()
    workspace = Workspace("pages", database_url=args.database_url)
    print(f"preparing {workspace.dir}…", flush=True)
    workspace.migrate()
    # nginx serves /static/ from disk: the files as collectstatic lays them out.
    run_django(workspace.env(), ["manage.py", "collectstatic", "--noinput", "-v0"])
    setup_django(workspace)

    from django.test import Client

    from . import fixtures

    counts, costs = {}, {}
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
            if size == large:
                costs[name] = in_process(client, url)
    client.logout()
    costs["floor"] = in_process(client, FLOOR_URL)
    cookie = fixtures.session_cookies([member])[0]

    script = None
    if use_wrk:
        script = workspace.dir / "report.lua"
        script.write_text(WRK_SCRIPT)
    layouts = [daphne_alone(workspace)]
    if use_nginx:
        cpus = os.cpu_count() or 2
        # deploy/gunicorn.conf.py's defaults: one process a core, two threads each; the sync
        # workers as issue 17 measured them (one process a core).
        layouts.append(behind_nginx(workspace, worker_class="gthread", workers=cpus, threads=2))
        if not args.no_sync:
            layouts.append(behind_nginx(workspace, worker_class="sync", workers=cpus, threads=1))
    rows = [("floor", FLOOR_URL, False), *pages(data), ("static", STATIC_URL, False)]
    results = {}
    for layout in layouts:
        with layout:
            for name, url, needs_member in rows:
                print(f"… {layout.name}: {name} {url}", flush=True)
                results[layout.name, name] = measure(
                    layout, url, seconds=seconds, cookie=cookie if needs_member else None,
                    script=script,
                )  # fmt: skip

    alone, production = layouts[0].name, layouts[1].name if len(layouts) > 1 else None
    sync = layouts[2].name if len(layouts) > 2 else None
    columns = ["page", "Daphne req/s", "Daphne p95 ms"]
    if production:
        columns += ["production req/s", "production p95 ms", "× Daphne"]
    if sync:
        columns += ["sync req/s"]
    columns += ["in-process ms", "× floor", f"queries ({SMALL})", f"queries ({large})", "verdict"]
    table = Table(
        f"Page serving, concurrency {CONCURRENCY}, {fmt(seconds, digits=0)} s a page, "
        f"load from {'wrk' if use_wrk else 'the Python client (httpx)'}",
        columns,
    )
    for name, url, _ in rows:
        here = results[alone, name]
        cells = [f"{name} `{url}`", fmt(here["rps"], digits=0), fmt(ms(here["p95"]))]
        failures = [here["failures"]]
        times = None
        if production:
            there = results[production, name]
            failures.append(there["failures"])
            times = ratio(there["rps"], here["rps"])
            cells += [fmt(there["rps"], digits=0), fmt(ms(there["p95"])), fmt(times, "×", 1)]
        if sync:
            cells += [fmt(results[sync, name]["rps"], digits=0)]
            failures.append(results[sync, name]["failures"])
        cost = costs.get(name)
        cells += [fmt(ms(cost), digits=2), fmt(ratio(cost, costs["floor"]), "×", 2)]
        if name in counts:
            (small_status, small_q), (large_status, large_q) = (
                counts[name][SMALL],
                counts[name][large],
            )
            queries_ok = small_status == large_status == 200 and large_q <= small_q
            cells += [
                f"{small_q}" + ("" if small_status == 200 else f" (HTTP {small_status})"),
                f"{large_q}" + ("" if large_status == 200 else f" (HTTP {large_status})"),
            ]
        else:
            queries_ok = True
            cells += ["-", "-"]
        if name in ("floor", "static"):
            verdict = "-"
        else:
            met = queries_ok and not any(failures) and times is not None and times >= TARGET
            verdict = "MET" if met else "MISSED"
        table.add(*cells, verdict)
    table.notes = [
        f"Production layout: {production or 'not measured (nginx is not installed)'}; "
        f"{sync or ''}. nginx with deploy/'s configuration terminates TLS (keep-alive "
        "connections), Daphne alone is plain HTTP: the comparison favours Daphne.",
        f"Target: the production layout serves each page at least {TARGET}× Daphne alone's "
        "rate; its queries do not grow with the data "
        f"({SMALL} against {large} threads, messages in the thread, and practices); no failed "
        "request. Hub and thread pages are requested as a member. In-process: median of 30 "
        "GETs through Django's test client with the large data set; the floor is the base "
        "template alone (issue 17 asks each page to cost at most 2× the floor).",
        f"Took {time.monotonic() - started:.0f} s.",
    ]
    print()
    print(table.render())


if __name__ == "__main__":
    main()
