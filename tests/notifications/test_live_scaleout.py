"""The bell's live count across two Daphne processes on Redis: a reply posted through one
process updates the count of a page connected to the other."""

import asyncio
import json

import pytest

from tests.hubs.test_threads_scaleout import WAIT, Client, daphnes, post  # noqa: F401
from tests.hubs.threads_support import session_cookie

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_cache", "close_worker_connections"),
]


class Bell:
    def __init__(self, port, cookie):
        self.url = f"ws://127.0.0.1:{port}/ws/notifications/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = cookie

    async def __aenter__(self):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}
        )
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def next(self):
        return json.loads(await asyncio.wait_for(self.ws.recv(), WAIT))


def test_the_count_follows_a_reply_posted_through_the_other_process(
    daphnes,  # noqa: F811
    thread,
    member,
    member2,
):
    port_a, port_b = daphnes
    asker, replier = session_cookie(member), session_cookie(member2)

    async def scenario():
        async with Bell(port_b, asker) as bell:
            assert await bell.next() == {"type": "unread", "count": 0}
            async with Client(port_a, replier, thread.pk) as other:
                await other.send(post(f"An answer for @{member.handle}"))
                assert await bell.next() == {"type": "unread", "count": 1}

    asyncio.run(scenario())
