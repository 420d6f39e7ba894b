"""Notification fan-out and the poster: does a post to a thread with 1,000 followers cost the
poster more than one to a thread nobody follows? One member posts over a real websocket to
both threads in turn, in the same run; we time post frame → ack for each, and, with a task
worker running (`manage.py db_worker`, as `make run` and production do), the time from the
post until every follower's notification exists.

    python -m bench.notifications                     # 1,000 followers, 10 posts to each
    python -m bench.notifications --quick             # 1,000 followers, 4 posts to each
    python -m bench.notifications --followers 200 --rounds 20 --database-url postgres://…

Target: the poster's median and p95 ack latency in the followed thread within 1.2 times the
quiet thread's. The fan-out time has no target; it is what a follower waits at most before
the bell counts the reply. The database is a throwaway SQLite file under
var/bench/notifications/ unless --database-url names another (its own).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import time
import uuid
from dataclasses import dataclass, field

from websockets.asyncio.client import connect

from .common import (
    PYTHON,
    ROOT,
    Server,
    Table,
    Workspace,
    fmt,
    header,
    ms,
    percentile,
    ratio,
)

TARGET_FOLLOWERS, TARGET_RATIO = 1000, 1.2
# The site lets one person post 10 times in 10 seconds: the poster keeps well under it.
POST_GAP = 1.1


@dataclass
class Run:
    followers: int
    quiet: list[float] = field(default_factory=list)  # ack latencies, seconds
    busy: list[float] = field(default_factory=list)
    fanout: list[float] = field(default_factory=list)  # post → all notified, seconds
    incomplete: int = 0  # busy posts whose fan-out did not finish in time

    def summary(self):
        return (
            f"quiet p50 {fmt(ms(percentile(self.quiet, 50)))} ms, "
            f"followed p50 {fmt(ms(percentile(self.busy, 50)))} ms, "
            f"fan-out p50 {fmt(percentile(self.fanout, 50), digits=2)} s"
        )


class Worker:
    """`manage.py db_worker` in the workspace, polling often: the fan-out's tasks run here."""

    def __init__(self, workspace):
        self.workspace = workspace
        self.process = None

    def __enter__(self):
        self.log = open(self.workspace.dir / "worker.log", "w")
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay",
             "--no-reload"],
            cwd=ROOT, env=self.workspace.env(), stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


async def wait_until(predicate, *, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(predicate):
            return True
        await asyncio.sleep(step)
    return False


class Poster:
    """One logged-in member's websocket to one thread."""

    def __init__(self, server, thread, cookie):
        self.url = f"ws://127.0.0.1:{server.port}/ws/threads/{thread}/"
        self.origin = f"http://127.0.0.1:{server.port}"
        self.cookie = cookie
        self.ws = None

    async def __aenter__(self):
        self.ws = await connect(
            self.url,
            origin=self.origin,
            additional_headers={"Cookie": self.cookie},
            compression=None,
            proxy=None,
            open_timeout=30,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def post(self, body, *, timeout=30.0) -> float:
        """Send a post frame; seconds until its ack (the frames in between are skipped)."""
        client_id = str(uuid.uuid4())
        started = time.perf_counter()
        await self.ws.send(json.dumps({"type": "post", "client_id": client_id, "body": body}))
        async with asyncio.timeout(timeout):
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame.get("type") == "ack" and frame.get("client_id") == client_id:
                    return time.perf_counter() - started
                if frame.get("type") == "error":
                    raise RuntimeError(f"the server refused the post: {frame}")
        raise RuntimeError("the websocket closed before the ack")


async def measure(server, data, *, rounds, fanout_timeout):
    run = Run(followers=data["followers"])

    def state(thread):
        return server.get_json(f"/__bench__/notified?thread={thread}")

    # What the fixtures left for the worker (the threads' own tasks) is done first.
    await wait_until(lambda: state(data["busy"])["ready"] == 0, timeout=fanout_timeout)
    async with (
        Poster(server, data["quiet"], data["cookie"]) as quiet,
        Poster(server, data["busy"], data["cookie"]) as busy,
    ):
        for n in range(1, rounds + 1):
            run.quiet.append(await quiet.post(f"Quiet reply {n}: nobody follows this."))
            await asyncio.sleep(POST_GAP)
            started = time.perf_counter()
            run.busy.append(await busy.post(f"Reply {n} to {run.followers} followers."))
            done = await wait_until(
                lambda n=n: state(data["busy"])["told"] >= n * run.followers,
                timeout=fanout_timeout,
            )
            if done:
                run.fanout.append(time.perf_counter() - started)
            else:
                run.incomplete += 1
            await asyncio.sleep(POST_GAP)
    return run


def table_for(run, rounds):
    table = Table(
        f"Notification fan-out: the poster's ack, {rounds} posts to each thread",
        ["thread", "followers", "ack p50 ms", "ack p95 ms", "ack max ms", "× quiet (p50 / p95)",
         "all notified p50 s", "all notified max s", "verdict"],
    )  # fmt: skip
    q50, q95 = percentile(run.quiet, 50), percentile(run.quiet, 95)
    table.add(
        "quiet", "0", fmt(ms(q50)), fmt(ms(q95)), fmt(ms(max(run.quiet))), "1.00 (reference)",
        "-", "-", "-",
    )  # fmt: skip
    b50, b95 = percentile(run.busy, 50), percentile(run.busy, 95)
    r50, r95 = ratio(b50, q50), ratio(b95, q95)
    judged = run.followers == TARGET_FOLLOWERS
    met = r50 is not None and r50 <= TARGET_RATIO and r95 <= TARGET_RATIO and not run.incomplete
    table.add(
        "followed",
        str(run.followers),
        fmt(ms(b50)),
        fmt(ms(b95)),
        fmt(ms(max(run.busy))),
        f"{fmt(r50, digits=2)} / {fmt(r95, digits=2)}",
        fmt(percentile(run.fanout, 50), digits=2),
        fmt(max(run.fanout) if run.fanout else None, digits=2)
        + (f" ({run.incomplete} unfinished)" if run.incomplete else ""),
        ("MET" if met else "MISSED") if judged else "-",
    )
    table.notes.append(
        f"Target: with {TARGET_FOLLOWERS} followers, ack p50 and p95 within "
        f"{TARGET_RATIO}× the quiet thread's. One db_worker; fan-out includes the mail of "
        "each follower's first reply notification (file backend)."
    )
    return table


def run_benchmark(
    *, followers, rounds, database_url=None, fanout_timeout=300.0, name="notifications"
):
    workspace = Workspace(name, database_url=database_url)
    print(f"preparing {workspace.dir} ({followers} followers)…", flush=True)
    workspace.migrate()
    data = workspace.fixture("notifications", "--followers", followers)
    with Server.daphne(workspace) as server, Worker(workspace):
        run = asyncio.run(measure(server, data, rounds=rounds, fanout_timeout=fanout_timeout))
    return run


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Notification fan-out benchmark",
        epilog=__doc__,
        allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="4 posts to each thread")
    parser.add_argument("--followers", type=int, default=TARGET_FOLLOWERS)
    parser.add_argument("--rounds", type=int, help="posts to each thread (10; quick: 4)")
    parser.add_argument("--database-url", help="a database of its own (default: SQLite)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (4 if args.quick else 10)
    print(header("bench.notifications"), flush=True)
    started = time.monotonic()
    run = run_benchmark(followers=args.followers, rounds=rounds, database_url=args.database_url)
    print(f"  {run.summary()}", flush=True)
    print()
    print(table_for(run, rounds).render())
    print(f"\n(took {time.monotonic() - started:.0f} s)")
    return run


if __name__ == "__main__":
    main()
