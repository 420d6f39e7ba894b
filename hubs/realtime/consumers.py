"""The thread websocket (`/ws/threads/<id>/`): the protocol of DESIGN.md.

Thin by design: authenticate on connect, read the permission afresh on every frame, call
the services, and translate the events the services broadcast (after commit) into frames.
Every refusal is an `error` frame; the connection stays usable.
"""

import asyncio
import contextlib
import json
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import ActionError
from core.exceptions import frame as error_frame
from members.realtime import SessionBound

from .. import selectors, services
from . import events, groups, presence, relay

MAX_FRAME_BYTES = 64 * 1024
RESUME_LIMIT = 500
RESUME_CHANGES_LIMIT = 100  # edited, hidden or deleted messages a resume brings up to date
HELD_LIMIT = 1500  # relayed events held for one busy socket (the channel layer's capacity)
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
# The server lost its link to the other processes and the socket may have missed messages:
# reconnect and resume (every close code but 4401 and 4403 makes the client do that).
CLOSE_RECONNECT = 4503


def typing_interval() -> float:
    """Seconds between two typing events one socket may cause."""
    return float(getattr(settings, "THREADS_TYPING_INTERVAL", 3))


def _int_field(frame, name):
    value = frame.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ActionError(_("“%(name)s” must be a whole number.") % {"name": name})
    return value


def _str_field(frame, name, *, required=True):
    value = frame.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ActionError(_("“%(name)s” must be text.") % {"name": name})
    return value


def _require_encodable(text_data, frame):
    """Refuse text that no database or socket can carry: a lone UTF-16 surrogate, raw or
    as a JSON escape (`\\ud800`), anywhere in the frame, keys included."""
    try:
        text_data.encode("utf-8")
        if "\\u" in text_data:  # only escapes can make a surrogate that the text lacks
            json.dumps(frame, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ActionError(_("A frame must be valid Unicode text."), code="invalid") from None


# Database work, run in a worker thread: selectors and services only. ACCESS is the fresh
# `selectors.ThreadAccess` of the frame, with the thread and user rows it read.


@database_sync_to_async
def _access(user_id, thread_id):
    return selectors.thread_access(user_id=user_id, thread_id=thread_id)


@database_sync_to_async
def _post(access, body, client_id, language):
    # message_post also marks the thread read for its author.
    message, created = services.message_post(
        thread=access.thread, author=access.user, body=body, client_id=client_id
    )
    visible = access.can_moderate or not message.hidden
    if created or not visible:
        return message.pk, created, None  # the broadcast brings it, or nothing may
    # A resend: the stored message, with its fragment.
    shown = events.message_fragments(
        message, access.thread, moderator=access.can_moderate, language=language
    )
    return message.pk, created, shown


@database_sync_to_async
def _missed(access, after, language):
    messages = selectors.messages_after(
        thread_id=access.thread_id,
        after=after,
        can_moderate=access.can_moderate,
        limit=RESUME_LIMIT + 1,
    )
    more = len(messages) > RESUME_LIMIT
    shown = [
        events.message_fragments(m, access.thread, moderator=access.can_moderate, language=language)
        for m in messages[:RESUME_LIMIT]
    ]
    return shown, more


@database_sync_to_async
def _changes(access, upto, language):
    """Frames that bring a returning client's copies of earlier messages up to date."""
    messages = selectors.messages_changed_upto(
        thread_id=access.thread_id, upto=upto, limit=RESUME_CHANGES_LIMIT
    )
    return [
        events.catch_up_frame(
            m, access.thread, for_moderator=access.can_moderate, language=language
        )
        for m in messages
    ]


def _message(access, message_id):
    return selectors.message_in_thread(thread=access.thread, message_id=message_id)


@database_sync_to_async
def _edit(access, message_id, body):
    services.message_edit(message=_message(access, message_id), user=access.user, body=body)


@database_sync_to_async
def _delete(access, message_id):
    services.message_delete(message=_message(access, message_id), user=access.user)


@database_sync_to_async
def _hide(access, message_id, reason):
    services.message_hide(
        message=_message(access, message_id), acting_user=access.user, reason=reason
    )


@database_sync_to_async
def _unhide(access, message_id):
    services.message_unhide(message=_message(access, message_id), acting_user=access.user)


@database_sync_to_async
def _mark_read(user_id, thread_id, last_id):
    access = selectors.thread_access(user_id=user_id, thread_id=thread_id)
    if access is not None and access.can_read:
        services.thread_mark_read(thread=access.thread, user=access.user, last_message_id=last_id)


class ThreadConsumer(SessionBound, AsyncWebsocketConsumer):
    """One member's live connection to one thread; a `relay.Subscriber` of its thread's
    relay. Closes when its session ends or consent lapses (`members.realtime`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.busy = False  # one of this consumer's own handlers is running
        self.held = []  # relayed events waiting for it to finish
        self.in_relay = False
        self.closing = False
        self.heartbeat = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when the consumer ends by an exception, without `disconnect`: the relay
            # must not keep a dead socket, nor the heartbeat keep its owner online.
            if self.in_relay:
                self.in_relay = False
                relay.leave(self.thread_id, self)
            if self.heartbeat is not None:
                self.heartbeat.cancel()

    async def dispatch(self, message):
        # Channels' own dispatch (it closes stale database connections first). Thread
        # broadcasts do not come this way but from the relay (`relay_event`).
        self.busy = True
        try:
            await super().dispatch(message)
            # What the relay held meanwhile follows, in order, before our next message.
            while self.held and not self.closing:
                event = self.held.pop(0)
                await self._handler(event)(event)
        finally:
            self.busy = False
            if self.closing:
                self.held.clear()

    def _handler(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        return handler

    async def relay_event(self, event):
        """A thread broadcast from the relay: handled now, or held while a handler of ours
        runs (a resume must not send an older copy after a newer event)."""
        if self.closing:
            return
        if self.busy or self.held:
            if len(self.held) >= HELD_LIMIT:
                # Far behind: let the client resume rather than hold more.
                await self._close(CLOSE_RECONNECT)
                return
            self.held.append(event)
            return
        await self._handler(event)(event)

    async def revoke(self):
        """The relay saw this person's access end, before any later broadcast."""
        self.held.clear()
        await self._close(CLOSE_FORBIDDEN)

    async def connect(self):
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.group = groups.thread_group(self.thread_id)
        self.joined = False
        self.last_typing = 0.0
        self.last_seen_id = 0
        self.online = None  # the presence count this socket was last sent
        self.changes_sent = False
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.author = events.author_payload(user)
        self.language = events.socket_language(self.scope)  # of the fragments it gets
        access = await _access(self.user_id, self.thread_id)
        if access is None or not access.can_read:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.hub_id = access.hub_id
        self.can_moderate = access.can_moderate
        await self.channel_layer.group_add(groups.user_group(self.user_id), self.channel_name)
        await self.session_join(self.user_id)
        self.joined = True
        await self.accept()
        # The relay may send as soon as it is joined; the client sends `resume` on opening,
        # so nothing posted before that is missed.
        try:
            await relay.join(self.channel_layer, self.thread_id, self.hub_id, self)
        except relay.RelayUnavailable:
            await self._close(CLOSE_RECONNECT)
            return
        self.in_relay = True
        online = await presence.touch(self.thread_id, self.user_id, self.channel_name)
        # The newcomer learns the count at once, unless the relay has already sent a fresher
        # one; the others get the relays' coalesced frame.
        if self.online is None:
            await self.send_presence(online)
        await self.channel_layer.group_send(self.group, events.presence_event())
        self.heartbeat = asyncio.create_task(self._keep_present())

    async def _refuse(self, code):
        # Accept first, so the browser sees our close code instead of a failed handshake.
        await self.accept()
        await self.close(code=code)

    async def _keep_present(self):
        while True:
            await asyncio.sleep(presence.REFRESH)
            await presence.touch(self.thread_id, self.user_id, self.channel_name)

    async def disconnect(self, code):
        if not self.joined:
            return
        self.joined = False
        if self.heartbeat is not None:
            # Wait for a refresh in flight, so it cannot re-add the entry after we leave.
            self.heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.heartbeat
        # Out of the relay first: it is local and must happen whatever Redis is doing.
        if self.in_relay:
            self.in_relay = False
            stopping = relay.leave(self.thread_id, self)
            if stopping is not None:
                await stopping
        await presence.leave(self.thread_id, self.user_id, self.channel_name)
        await self.channel_layer.group_discard(groups.user_group(self.user_id), self.channel_name)
        await self.session_leave()
        await self.channel_layer.group_send(self.group, events.presence_event())
        if self.last_seen_id:
            await _mark_read(self.user_id, self.thread_id, self.last_seen_id)

    async def _close(self, code):
        if not self.closing:
            self.closing = True
            await self.close(code=code)

    async def session_close(self, code):
        self.held.clear()
        await self._close(code)

    async def send_frame(self, frame):
        await self.send_text(events.encode(frame))

    async def send_text(self, text):
        """Send an already encoded frame (broadcasts are encoded once, not per socket)."""
        if self.closing:
            return
        try:
            await self.send(text_data=text)
        except RuntimeError:
            # The socket closed under us (Daphne raises on send after close); stop sending
            # and let websocket_disconnect leave the groups.
            self.closing = True

    async def send_error(self, error: ActionError, client_id=None):
        extra = {"client_id": client_id} if client_id is not None else {}
        await self.send_frame(error_frame(error, **extra))

    async def _send_message(self, payload):
        self.last_seen_id = max(self.last_seen_id, payload["id"])
        await self.send_frame(events.message_frame(payload))

    # Frames from the client -----------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if not self.joined or self.closing:
            return
        client_id = None
        try:
            if text_data is None:
                raise ActionError(_("Frames must be JSON text."))
            if len(text_data) * 4 > MAX_FRAME_BYTES and (
                len(text_data.encode("utf-8")) > MAX_FRAME_BYTES
            ):
                raise ActionError(_("A frame may be at most 64 KiB."), code="too_large")
            try:
                frame = json.loads(text_data)
            except (ValueError, RecursionError):
                raise ActionError(_("Frames must be JSON.")) from None
            if not isinstance(frame, dict):
                raise ActionError(_("A frame must be a JSON object."))
            _require_encodable(text_data, frame)
            if isinstance(frame.get("client_id"), str):
                client_id = frame["client_id"]
            kind = frame.get("type")
            handler = self.FRAME_HANDLERS.get(kind) if isinstance(kind, str) else None
            if handler is None:
                raise ActionError(_("Unknown frame type."))
            if kind == "typing" and not self._typing_due():
                return  # throttled: dropped quietly, before any query
            if not await self.session_current():
                return  # the session ended or consent lapsed: closing
            # Permission again, from the database, on every frame.
            access = await _access(self.user_id, self.thread_id)
            if access is None or not access.can_read:
                await self._close(CLOSE_FORBIDDEN)
                return
            self.can_moderate = access.can_moderate
            if "thread" in frame and frame["thread"] != self.thread_id:
                raise ActionError(_("This connection belongs to another thread."), code="forbidden")
            await handler(self, frame, access)
        except ActionError as error:
            await self.send_error(error, client_id)

    def _typing_due(self) -> bool:
        """Whether this socket may cause a typing event now (and, if so, the interval
        starts again)."""
        now = time.monotonic()
        if now - self.last_typing < typing_interval():
            return False
        self.last_typing = now
        return True

    @staticmethod
    def _require_participant(access):
        if not access.can_participate:
            raise ActionError(_("Only members of this hub can take part."), code="forbidden")

    async def on_post(self, frame, access):
        client_id = _str_field(frame, "client_id")
        body = _str_field(frame, "body")
        self._require_participant(access)
        message_id, created, payload = await _post(access, body, client_id, self.language)
        if not created and payload is not None:
            # A resend: no broadcast happened now, so give the poster the stored message.
            await self._send_message(payload)
        await self.send_frame(events.ack_frame(client_id, message_id))

    async def on_resume(self, frame, access):
        after = _int_field(frame, "after")
        if after > 0 and not self.changes_sent:
            # Once a connection: edits, hides and deletions of messages the client already
            # had, made while it was away (the missed messages below come as they are now).
            self.changes_sent = True
            for change in await _changes(access, after, self.language):
                await self.send_frame(change)
        payloads, more = await _missed(access, after, self.language)
        for payload in payloads:
            await self._send_message(payload)
        last_id = payloads[-1]["id"] if payloads else after
        await self.send_frame(events.resumed_frame(last_id, more=more))

    async def on_typing(self, frame, access):
        # The throttle was applied in `receive`, before the permission was read.
        self._require_participant(access)
        await self.channel_layer.group_send(
            self.group, events.typing_event(self.author, sender=self.channel_name)
        )

    async def on_edit(self, frame, access):
        message_id = _int_field(frame, "id")
        body = _str_field(frame, "body")
        self._require_participant(access)
        await _edit(access, message_id, body)

    async def on_delete(self, frame, access):
        message_id = _int_field(frame, "id")
        self._require_participant(access)
        await _delete(access, message_id)

    async def on_hide(self, frame, access):
        message_id = _int_field(frame, "id")
        reason = _str_field(frame, "reason", required=False)
        if not access.can_moderate:
            raise ActionError(
                _("Only this hub's coordinators may hide messages."), code="forbidden"
            )
        await _hide(access, message_id, reason)

    async def on_unhide(self, frame, access):
        message_id = _int_field(frame, "id")
        if not access.can_moderate:
            raise ActionError(_("Only this hub's coordinators may do this."), code="forbidden")
        await _unhide(access, message_id)

    FRAME_HANDLERS = {
        "post": on_post,
        "resume": on_resume,
        "typing": on_typing,
        "edit": on_edit,
        "delete": on_delete,
        "hide": on_hide,
        "unhide": on_unhide,
    }

    # Events from the services (after commit) and other consumers -----------------------

    # Message events carry data; `events.frame_text` renders the fragment of this socket's
    # language and role (once per event and process). `moderators`: who moderates the hub
    # now, read once by the relay for the events where hidden text is at stake.

    def _frame_text(self, event, moderator=None):
        if moderator is None:
            moderator = self.can_moderate
        return events.frame_text(event, language=self.language, moderator=moderator)

    async def thread_message(self, event):
        self.last_seen_id = max(self.last_seen_id, event["message"]["id"])
        await self.send_text(self._frame_text(event))

    async def thread_edited(self, event):
        await self.send_text(self._frame_text(event))

    async def thread_deleted(self, event):
        await self.send_text(self._frame_text(event))

    async def thread_hidden(self, event):
        await self.send_text(self._frame_text(event, self.user_id in event["moderators"]))

    async def thread_unhidden(self, event):
        moderator = self.user_id in event["moderators"]
        self.last_seen_id = max(self.last_seen_id, event["message"]["id"])
        await self.send_text(self._frame_text(event, moderator))

    async def thread_state(self, event):
        if "text" in event:
            await self.send_text(event["text"])
            return
        state = {key: value for key, value in event.items() if key != "type"}
        await self.send_frame(events.state_frame(state))

    async def thread_typing(self, event):
        if event.get("sender") != self.channel_name:
            await self.send_frame(events.typing_frame(event["user"]))

    async def send_presence(self, online):
        if online != self.online:  # a count this socket already has is not news
            self.online = online
            await self.send_frame(events.presence_frame(online))

    async def relay_lost(self):
        await self._close(CLOSE_RECONNECT)

    async def access_revoked(self, event):
        if event.get("hub_id") is None or event.get("hub_id") == self.hub_id:
            await self._close(CLOSE_FORBIDDEN)
