"""Every event and frame of the thread websocket is built here: the events the thread
services broadcast after commit, the ones the consumer sends its thread's relays (typing,
presence), and the frames sockets get.

Events travel through the channel layer (msgpack with Redis), so they hold only strings,
numbers, booleans, lists, dicts and None (the test settings round-trip every one through
JSON). Event types map to consumer handlers (`thread.message` -> `thread_message`).
"""

import json
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from . import groups


class AuthorPayload(TypedDict):
    id: int | None
    name: str


class MessagePayload(TypedDict, total=False):
    id: int
    thread: int
    author: AuthorPayload
    html: str
    created: str
    edited: str | None
    client_id: str | None
    deleted: bool
    hidden: bool
    hidden_reason: str


def author_payload(user) -> AuthorPayload:
    if user is None:
        return {"id": None, "name": _("Former member")}
    return {"id": user.pk, "name": user.name or _("Member")}


def message_payload(message, *, for_moderator: bool = False) -> MessagePayload:
    """What a client may know of MESSAGE; the hidden reason only for coordinators."""
    payload: MessagePayload = {
        "id": message.pk,
        "thread": message.thread_id,
        "author": author_payload(message.author),
        "html": "" if message.deleted else message.html,
        "created": message.created.isoformat(),
        "edited": message.edited.isoformat() if message.edited else None,
        "client_id": str(message.client_id) if message.client_id else None,
        "deleted": message.deleted,
    }
    if for_moderator:
        payload["hidden"] = message.hidden
        payload["hidden_reason"] = message.hidden_reason
    return payload


# Events between consumers and relays (not after a commit: nothing is stored) --------------

TYPING = "thread.typing"
PRESENCE = "thread.presence"  # someone arrived or left: relays recount, coalesced


def typing_event(author: AuthorPayload, *, sender: str) -> dict[str, Any]:
    """AUTHOR is typing; SENDER (their socket's channel) is not told."""
    return {"type": TYPING, "user": author, "sender": sender}


def presence_event() -> dict[str, Any]:
    return {"type": PRESENCE}


# Revocations (sent after commit by `groups.access_revoked_on_commit`) ------------------------

ACCESS_REVOKED = "access.revoked"  # to a user's group: every socket of theirs
HUB_REVOKED = "hub.revoked"  # to a hub's group: the relays of its threads


def access_revoked_event(hub_id: int | None) -> dict[str, Any]:
    """The user's sockets in HUB_ID (None: all of them) must close."""
    return {"type": ACCESS_REVOKED, "hub_id": hub_id}


def hub_revoked_event(user_id: int) -> dict[str, Any]:
    """USER_ID's sockets in the hub's threads stop receiving, before anything later."""
    return {"type": HUB_REVOKED, "user_id": user_id}


# Frames -------------------------------------------------------------------------------------


def message_frame(payload: MessagePayload) -> dict[str, Any]:
    return {"type": "message", "message": payload}


def edited_frame(payload: MessagePayload) -> dict[str, Any]:
    return {"type": "edited", "message": payload}


def deleted_frame(message_id: int) -> dict[str, Any]:
    return {"type": "deleted", "id": message_id}


def hidden_frame(message_id: int, moderator_payload: MessagePayload | None = None):
    """Members only learn that the message went; coordinators keep it, marked."""
    if moderator_payload is None:
        return {"type": "hidden", "id": message_id}
    return {"type": "hidden", "id": message_id, "message": moderator_payload}


def ack_frame(client_id: str, message_id: int) -> dict[str, Any]:
    return {"type": "ack", "client_id": client_id, "id": message_id}


def resumed_frame(last_id: int, *, more: bool) -> dict[str, Any]:
    return {"type": "resumed", "last_id": last_id, "more": more}


def typing_frame(author: AuthorPayload) -> dict[str, Any]:
    return {"type": "typing", "user": author}


def presence_frame(online: int) -> dict[str, Any]:
    return {"type": "presence", "online": online}


def state_frame(state: dict[str, Any]) -> dict[str, Any]:
    return {"type": "thread", **state}


def encode(frame: dict[str, Any]) -> str:
    """A frame as the text sent on the websocket (the one encoding, done once per event)."""
    return json.dumps(frame, ensure_ascii=False)


def _send(thread_id: int, event: dict[str, Any], frame: dict[str, Any] | None = None) -> None:
    """Broadcast EVENT after commit. FRAME, when every recipient gets the same one, is
    encoded here once (event["text"]) so that consumers send it as it is."""
    if frame is not None:
        event["text"] = encode(frame)
    groups.send_on_commit(groups.thread_group(thread_id), event)


def message_posted(message, *, after: int | None = None) -> None:
    """AFTER: the thread's previous message (None: the first), so that the relays hand
    messages out in the thread's order whatever order their broadcasts arrive in."""
    payload = message_payload(message)
    _send(
        message.thread_id,
        {"type": "thread.message", "message": payload, "after": after},
        message_frame(payload),
    )


def catch_up_frame(message, *, for_moderator: bool) -> dict:
    """The frame that brings a returning client's copy of an edited, hidden or deleted
    MESSAGE up to date (as the live event would have): members never get hidden text."""
    if message.hidden and for_moderator:
        return hidden_frame(message.pk, message_payload(message, for_moderator=True))
    if message.hidden:
        return hidden_frame(message.pk)
    if message.deleted:
        return deleted_frame(message.pk)
    return edited_frame(message_payload(message, for_moderator=for_moderator))


def message_edited(message) -> None:
    payload = message_payload(message)
    _send(
        message.thread_id,
        {"type": "thread.edited", "message": payload},
        edited_frame(payload),
    )


def message_deleted(message) -> None:
    _send(
        message.thread_id,
        {"type": "thread.deleted", "id": message.pk},
        deleted_frame(message.pk),
    )


def message_hidden(message) -> None:
    # Members drop the message; coordinators keep it, marked (the consumer decides).
    _send(
        message.thread_id,
        {
            "type": "thread.hidden",
            "id": message.pk,
            "moderator_message": message_payload(message, for_moderator=True),
        },
    )


def message_unhidden(message) -> None:
    _send(
        message.thread_id,
        {
            "type": "thread.unhidden",
            "message": message_payload(message),
            "moderator_message": message_payload(message, for_moderator=True),
        },
    )


def thread_changed(thread) -> None:
    """Locked, pinned or resolved: clients update their banner and form."""
    state = {
        "locked": thread.locked,
        "pinned": thread.pinned,
        "state": thread.state,
        "accepted_answer": thread.accepted_answer_id,
    }
    _send(thread.pk, {"type": "thread.state", **state}, state_frame(state))
