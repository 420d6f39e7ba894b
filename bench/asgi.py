"""The application the benchmarks serve: ours, unchanged, plus one read-only probe,
`GET /__bench__/layer`, that reports the channel layer's groups from inside the server
process (the in-memory layer cannot be seen from outside), and `GET /__bench__/notified`,
the notifications a thread's followers hold (bench.notifications). The harness binds it to
127.0.0.1 only; it is never part of the site."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.dev")

from network.asgi import application as site

PROBE = "/__bench__/layer"
NOTIFIED = "/__bench__/notified"
HELLO = "/__bench__/hello"


async def layer_state():
    """Group name -> number of members, the number of channels with queued messages, and the
    process's thread relays (group -> sockets, hubs.realtime.relay)."""
    from channels.layers import get_channel_layer

    from hubs.realtime import relay as fanout

    layer = get_channel_layer()
    if hasattr(layer, "groups") and isinstance(layer.groups, dict):
        return {
            "backend": "memory",
            "groups": {name: len(members) for name, members in layer.groups.items()},
            "channels": len(layer.channels),
            "relays": fanout.relays(),
        }
    # channels_redis: one sorted set per group, "<prefix>:group:<name>".
    from redis.asyncio import Redis

    client = Redis.from_url(os.environ["REDIS_URL"])
    try:
        pattern = f"{layer.prefix}:group:*"
        groups = {}
        async for key in client.scan_iter(match=pattern, count=500):
            name = key.decode().split(":group:", 1)[1]
            groups[name] = await client.zcard(key)
    finally:
        await client.aclose()
    return {"backend": "redis", "groups": groups, "channels": None, "relays": fanout.relays()}


async def notified(query: bytes):
    """For `?thread=ID`: how many reply notifications its followers hold (rows) and how many
    replies they were told of in all (the rows' counts), and the tasks still waiting."""
    from urllib.parse import parse_qs

    from asgiref.sync import sync_to_async

    def count():
        from django.db.models import Sum
        from django_tasks_db.models import DBTaskResult

        from notifications.models import Notification

        thread = int(parse_qs(query.decode()).get("thread", ["0"])[0])
        replies = Notification.objects.filter(thread_id=thread, kind="reply")
        return {
            "rows": replies.count(),
            "told": replies.aggregate(total=Sum("count"))["total"] or 0,
            "ready": DBTaskResult.objects.ready().count(),
        }

    return await sync_to_async(count)()


async def respond(send, body, content_type=b"application/json"):
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == PROBE:
        await respond(send, json.dumps(await layer_state()).encode())
    elif scope["type"] == "http" and scope["path"] == NOTIFIED:
        await respond(send, json.dumps(await notified(scope["query_string"])).encode())
    elif scope["type"] == "http" and scope["path"] == HELLO:
        # The floor of page serving: Daphne and ASGI, no Django.
        await respond(send, b"<!doctype html><title>hello</title><p>hello", b"text/html")
    else:
        await site(scope, receive, send)
