"""Daphne with a clean shutdown: `python -m network.server` takes Daphne's own arguments
(deploy/systemd/daphne@.service runs it).

Stock Daphne, on SIGTERM, cancels every application at once and stops the event loop. Open
websockets then lose their TCP connection without a close frame (the browser sees 1006), and
a post in flight could hang the process for good: its worker thread went on to commit, and the
after-commit broadcast waited for the stopped loop while the interpreter joined that thread.

Here SIGTERM, while the loop still runs:
1. stops listening (nginx sends new connections to the other processes);
2. closes every open websocket with 1001 (going away), also one accepted meanwhile, so that
   clients reconnect elsewhere at once and `resume`;
3. waits up to SHUTDOWN_TIMEOUT seconds for the applications to finish on their own (HTTP
   requests in flight, a socket's `disconnect`, posts with their broadcast);
4. cancels what is left, as Daphne does.
Broadcasts from worker threads never wait for a loop that has stopped
(`hubs.realtime.groups.group_send_from_sync`), and a watchdog ends the process if something
still holds it after the bound: systemd would otherwise kill it at TimeoutStopSec.
"""

import daphne.server  # noqa: I001 - first: it installs Twisted's asyncio reactor

import asyncio
import logging
import os
import sys
import threading
import time

from daphne.cli import CommandLineInterface as DaphneCommandLine
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import defer

logger = logging.getLogger("network.server")

GOING_AWAY = 1001
# Beyond SHUTDOWN_TIMEOUT: the cancelled applications' cleanup and a bounded broadcast.
WATCHDOG_MARGIN = 8.0


def shutdown_timeout() -> float:
    from django.conf import settings

    return float(getattr(settings, "SHUTDOWN_TIMEOUT", 10))


def _exit_if_still_running(after: float) -> None:
    time.sleep(after)
    busy = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    logger.warning("shutdown: still running after %.0f s (%s); exiting", after, ", ".join(busy))
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)


class GracefulServer(daphne.server.Server):
    """Daphne's server with the shutdown above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draining = False
        self.ports = []

    def listen_success(self, port):
        self.ports.append(port)
        super().listen_success(port)

    async def handle_reply(self, protocol, message):
        await super().handle_reply(protocol, message)
        if self.draining and message.get("type") == "websocket.accept":
            # Accepted while draining (its handshake began before SIGTERM): going away too.
            self._going_away(protocol)

    def _going_away(self, protocol):
        if isinstance(protocol, WebSocketProtocol) and protocol.state == protocol.STATE_OPEN:
            # autobahn's public sendClose refuses the codes reserved for the server itself.
            protocol.sendCloseFrame(code=GOING_AWAY)

    def kill_all_applications(self):
        # Daphne calls this before the reactor shuts down and waits for the Deferred.
        return defer.Deferred.fromFuture(asyncio.ensure_future(self.shut_down()))

    def _running_applications(self):
        return [
            details["application_instance"]
            for details in list(self.connections.values())
            if "application_instance" in details and not details["application_instance"].done()
        ]

    async def shut_down(self):
        try:
            await self._drain()
        except Exception:
            logger.exception("shutdown: draining failed")
        left = self._running_applications()
        if left:
            logger.warning("shutdown: %d application instances cancelled", len(left))
            for instance in left:
                instance.cancel()
            await asyncio.gather(*left, return_exceptions=True)

    async def _drain(self):
        timeout = shutdown_timeout()
        self.draining = True
        threading.Thread(
            target=_exit_if_still_running,
            args=(timeout + WATCHDOG_MARGIN,),
            name="shutdown-watchdog",
            daemon=True,
        ).start()
        for port in self.ports:
            port.stopListening()
        for protocol in list(self.connections):
            self._going_away(protocol)
        running = self._running_applications()
        logger.info("shutdown: waiting for %d application instances", len(running))
        if running:
            await asyncio.wait(running, timeout=timeout)


class CommandLineInterface(DaphneCommandLine):
    server_class = GracefulServer


if __name__ == "__main__":
    CommandLineInterface.entrypoint()
