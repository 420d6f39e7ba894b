"""The floor: a bare `websockets` broadcast server speaking the part of the thread protocol
the benchmark uses (post -> ack + message to everyone, resume), with no Django, no
database, no channel layer and no permission checks. Whatever our stack costs on top of
moving frames is measured against this.

    python -m bench.bare --port 8190
"""

import argparse
import asyncio
import json
from datetime import UTC, datetime

from websockets.asyncio.server import broadcast, serve

from .common import raise_fd_limit


class Room:
    def __init__(self):
        self.clients = set()
        self.messages = []  # (id, frame text)
        self.by_client_id = {}

    def post(self, frame):
        client_id = frame.get("client_id")
        if client_id in self.by_client_id:
            return self.by_client_id[client_id], None
        message_id = len(self.messages) + 1
        message = {
            "id": message_id,
            "thread": 1,
            "author": {"id": 0, "name": "bench"},
            "html": f"<p>{frame.get('body', '')}</p>",
            "created": datetime.now(UTC).isoformat(),
            "edited": None,
            "client_id": client_id,
        }
        text = json.dumps({"type": "message", "message": message})
        self.messages.append((message_id, text))
        if client_id:
            self.by_client_id[client_id] = message_id
        return message_id, text


async def main(port):
    raise_fd_limit()
    room = Room()

    async def handler(websocket):
        room.clients.add(websocket)
        try:
            async for raw in websocket:
                try:
                    frame = json.loads(raw)
                except ValueError:
                    await websocket.send(json.dumps({"type": "error", "code": "invalid"}))
                    continue
                if frame.get("type") == "post":
                    message_id, text = room.post(frame)
                    ack = {"type": "ack", "client_id": frame.get("client_id"), "id": message_id}
                    await websocket.send(json.dumps(ack))
                    if text:
                        broadcast(room.clients, text)
                elif frame.get("type") == "resume":
                    after = int(frame.get("after") or 0)
                    for _id, text in room.messages[after:]:
                        await websocket.send(text)
                    last = room.messages[-1][0] if room.messages else 0
                    await websocket.send(json.dumps({"type": "resumed", "last_id": last}))
        finally:
            room.clients.discard(websocket)

    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
