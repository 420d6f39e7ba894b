"""Websockets bound to what allowed them: the login session and current consent.

Every authenticated socket (the thread and notification consumers mix in `SessionBound`)
joins two groups: its person's `sessions.<user id>` and `sockets`, the group of all of
them. Two events reach it there, sent after commit:

- `session.ended`: logging out ends one session (the event names it by a digest of its key),
  storing a new password ends all of the person's (`session` is None). The socket closes
  with 4401.
- `session.recheck`: a policy version took effect; every socket rechecks its session and
  consent at once and closes with 4403 if the person has not accepted it.

Besides the events, a socket rechecks on a frame when its last check is older than
`WEBSOCKET_SESSION_RECHECK` seconds (5), and by itself every `WEBSOCKET_SESSION_WATCH`
seconds (60): so a session ended some other way (expiry, the admin, `sessions_end`), or a
policy that took effect on its date, stops the socket too."""

import asyncio
import contextlib
import hashlib
import logging
import time
from importlib import import_module
from types import SimpleNamespace

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import auth
from django.db import transaction

from . import selectors

logger = logging.getLogger(__name__)

SESSION_ENDED = "session.ended"
SESSION_RECHECK = "session.recheck"
SOCKETS_GROUP = "sockets"
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def sessions_group(user_id: int) -> str:
    return f"sessions.{user_id}"


def session_digest(session_key: str | None) -> str | None:
    """How events name a session (never by its key)."""
    if not session_key:
        return None
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        # What was done stays done; the sockets' own rechecks catch up.
        logger.exception("%s to %s failed", event["type"], group)


def session_ended_on_commit(*, user_id: int, session_key: str | None = None) -> None:
    """Close the sockets of USER_ID's session SESSION_KEY (None: of all their sessions)."""
    event = {"type": SESSION_ENDED, "session": session_digest(session_key)}
    transaction.on_commit(lambda: _send(sessions_group(user_id), event), robust=True)


def consent_recheck_on_commit() -> None:
    """Every socket rechecks its person's consent (a policy version took effect)."""
    event = {"type": SESSION_RECHECK}
    transaction.on_commit(lambda: _send(SOCKETS_GROUP, event), robust=True)


# The check ----------------------------------------------------------------------------------


def socket_refusal(session_key: str | None, user_id: int) -> int | None:
    """None while SESSION_KEY still logs in USER_ID and they have accepted the policies in
    effect; else the close code. The session is read as a request would read it
    (`django.contrib.auth.get_user`: a session made stale by a password change is ended)."""
    if not session_key:
        return CLOSE_UNAUTHENTICATED
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=store))
    if not user.is_authenticated or user.pk != user_id:
        return CLOSE_UNAUTHENTICATED
    if not selectors.consent_is_current(user):
        return CLOSE_FORBIDDEN
    return None


def recheck_interval() -> float:
    return float(getattr(settings, "WEBSOCKET_SESSION_RECHECK", 5))


def watch_interval() -> float:
    return float(getattr(settings, "WEBSOCKET_SESSION_WATCH", 60))


class SessionBound:
    """Mixin for an async websocket consumer (before it in the bases). Call `session_join`
    once the user is authenticated, `session_leave` on disconnect, and `await
    session_current()` before acting on a frame (False: the socket is closing). A consumer
    that closes in its own way overrides `session_close`."""

    session_watch = None
    session_groups = ()

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            if self.session_watch is not None:
                self.session_watch.cancel()

    async def session_join(self, user_id: int) -> None:
        self.session_user_id = user_id
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.session_checked = time.monotonic()
        self.session_groups = (sessions_group(user_id), SOCKETS_GROUP)
        for group in self.session_groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.session_watch = asyncio.create_task(self._session_watch())

    async def session_leave(self) -> None:
        if self.session_watch is not None:
            self.session_watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.session_watch
            self.session_watch = None
        for group in self.session_groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.session_groups = ()

    async def session_current(self, *, now: bool = False) -> bool:
        """Whether the socket may go on; rechecked when NOW or the last check is old."""
        if not now and time.monotonic() - self.session_checked < recheck_interval():
            return True
        code = await database_sync_to_async(socket_refusal)(self.session_key, self.session_user_id)
        self.session_checked = time.monotonic()
        if code is not None:
            await self.session_close(code)
            return False
        return True

    async def session_close(self, code: int) -> None:
        await self.close(code=code)

    async def _session_watch(self):
        while True:
            await asyncio.sleep(watch_interval())
            try:
                if not await self.session_current(now=True):
                    return
            except Exception:
                logger.exception("session recheck failed")

    # Events ------------------------------------------------------------------------------

    async def session_ended(self, event):
        if event.get("session") in (None, session_digest(self.session_key)):
            await self.session_close(CLOSE_UNAUTHENTICATED)

    async def session_recheck(self, event):
        await self.session_current(now=True)


# Receivers (connected in MembersConfig.ready) ------------------------------------------------


def on_logged_out(sender, request, user, **kwargs):
    if user is not None and getattr(request, "session", None) is not None:
        session_ended_on_commit(user_id=user.pk, session_key=request.session.session_key)


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A stored password that changes (a change, a reset, the admin) ends every session's
    sockets, as it ends the sessions themselves."""
    if raw or instance.pk is None or instance.last_login is None:
        return  # new, or never logged in: no session, no socket
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        session_ended_on_commit(user_id=instance.pk)
