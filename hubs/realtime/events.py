"""The events the thread services broadcast and the payloads the consumer turns into frames.

Events travel through the channel layer (msgpack with Redis), so they hold only strings,
numbers, booleans and None. Event types map to consumer handlers (`thread.message` ->
`thread_message`).
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


def encode(frame: dict[str, Any]) -> str:
    """A frame as the text sent on the websocket (the one encoding, done once per event)."""
    return json.dumps(frame, ensure_ascii=False)


def _send(thread_id: int, event: dict[str, Any], frame: dict[str, Any] | None = None) -> None:
    """Broadcast EVENT after commit. FRAME, when every recipient gets the same one, is
    encoded here once (event["text"]) so that consumers send it as it is."""
    if frame is not None:
        event["text"] = encode(frame)
    groups.send_on_commit(groups.thread_group(thread_id), event)


def message_posted(message) -> None:
    payload = message_payload(message)
    _send(
        message.thread_id,
        {"type": "thread.message", "message": payload},
        {"type": "message", "message": payload},
    )


def catch_up_frame(message, *, for_moderator: bool) -> dict:
    """The frame that brings a returning client's copy of an edited, hidden or deleted
    MESSAGE up to date (as the live event would have): members never get hidden text."""
    if message.hidden and for_moderator:
        return {
            "type": "hidden",
            "id": message.pk,
            "message": message_payload(message, for_moderator=True),
        }
    if message.hidden:
        return {"type": "hidden", "id": message.pk}
    if message.deleted:
        return {"type": "deleted", "id": message.pk}
    return {"type": "edited", "message": message_payload(message, for_moderator=for_moderator)}


def message_edited(message) -> None:
    payload = message_payload(message)
    _send(
        message.thread_id,
        {"type": "thread.edited", "message": payload},
        {"type": "edited", "message": payload},
    )


def message_deleted(message) -> None:
    _send(
        message.thread_id,
        {"type": "thread.deleted", "id": message.pk},
        {"type": "deleted", "id": message.pk},
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
    _send(thread.pk, {"type": "thread.state", **state}, {"type": "thread", **state})
