"""Every event and frame of the thread websocket is built here: the events the thread
services broadcast after commit, the ones the consumer sends its thread's relays (typing,
presence), and the frames sockets get.

Events travel through the channel layer (msgpack with Redis), so they hold only strings,
numbers, booleans, lists, dicts and None (the test settings round-trip every one through
JSON). Event types map to consumer handlers (`thread.message` -> `thread_message`).
"""

import contextlib
import json
from datetime import datetime
from types import SimpleNamespace
from typing import Any, TypedDict
from urllib.parse import parse_qs

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from . import groups

MESSAGE_TEMPLATE = "hubs/threads/_message.html"
MEMBER = "member"
MODERATOR = "moderator"


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


class RenderContext(TypedDict):
    """What the message fragment needs besides the message: the thread's state when the
    event was built, and the author's name as stored (the payload's name has a fallback)."""

    hub: str
    thread_author: int | None
    locked: bool
    accepted_answer: int | None
    author_name: str


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


def render_context(message, thread) -> RenderContext:
    """THREAD is MESSAGE's thread with its hub, as read by the caller (no query here)."""
    return {
        "hub": thread.hub.slug,
        "thread_author": thread.author_id,
        "locked": thread.locked,
        "accepted_answer": thread.accepted_answer_id,
        "author_name": message.author.name if message.author is not None else "",
    }


# The message fragment ---------------------------------------------------------------------
#
# One template, `hubs/threads/_message.html`, renders a message on the thread page and in
# every frame that carries one, so the two cannot drift. A fragment in a frame is rendered
# without a viewer: in the variant of the recipient's role (members never get moderator
# controls, nor the hidden note, which only a moderator payload carries) and in the
# recipient's language, with the controls of one person hidden (edit and delete: the
# author's; marking the answer: the asker's) and no CSRF token. thread.js switches those on
# for its viewer by comparing ids, and adds the page's token. Events stay language-neutral
# (data, no markup); `frame_text` renders each (language, variant) once per event and
# process, on first use (docs/threads.md, "One message renderer").


def language_of(code: str | None) -> str:
    """CODE if the site speaks it (or a variant of it), else the default language."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def socket_language(scope) -> str:
    """The language of a websocket: the page's (thread.js sends `?lang=`), else the
    language cookie, else the browser's Accept-Language, as Django's locale middleware."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    for code in query.get("lang", [])[:1]:
        with contextlib.suppress(LookupError):
            return translation.get_supported_language_variant(code)
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", ())
    }
    for part in headers.get("cookie", "").split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == settings.LANGUAGE_COOKIE_NAME and value:
            return language_of(value)
    for code, _quality in parse_accept_lang_header(headers.get("accept-language", "")):
        if code != "*":
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


def _message_view(payload: MessagePayload, context: RenderContext) -> SimpleNamespace:
    author_id = payload["author"]["id"]
    return SimpleNamespace(
        pk=payload["id"],
        author_id=author_id,
        author=None if author_id is None else SimpleNamespace(name=context["author_name"]),
        html=payload["html"],
        created=datetime.fromisoformat(payload["created"]),
        edited=datetime.fromisoformat(payload["edited"]) if payload["edited"] else None,
        deleted=payload["deleted"],
        # Only a moderator payload says so: a member's fragment cannot show hidden text.
        hidden=payload.get("hidden", False),
        hidden_reason=payload.get("hidden_reason", ""),
    )


def render_message(
    payload: MessagePayload, context: RenderContext, *, moderator: bool, language: str
) -> str:
    """The fragment of PAYLOAD for a recipient of that role, in LANGUAGE."""
    thread = SimpleNamespace(
        pk=payload["thread"],
        author_id=context["thread_author"],
        locked=context["locked"],
        accepted_answer_id=context["accepted_answer"],
    )
    with translation.override(language):
        return render_to_string(
            MESSAGE_TEMPLATE,
            {
                "message": _message_view(payload, context),
                "thread": thread,
                "hub": SimpleNamespace(slug=context["hub"]),
                "viewer_id": None,  # the fragment is for everyone of the role
                "can_participate": True,
                "can_moderate": moderator,
                "can_resolve": moderator,
            },
        ).strip()


def with_fragment(payload, context, *, moderator: bool, language: str) -> dict[str, Any]:
    """PAYLOAD as a frame carries it: with its fragment."""
    fragment = render_message(payload, context, moderator=moderator, language=language)
    return {**payload, "fragment": fragment}


def message_fragments(message, thread, *, moderator: bool, language: str) -> dict[str, Any]:
    """MESSAGE (of THREAD) as a frame carries it to a recipient of that role."""
    payload = message_payload(message, for_moderator=moderator)
    return with_fragment(
        payload, render_context(message, thread), moderator=moderator, language=language
    )


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


def message_frame(message: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "message": message}


def edited_frame(message: dict[str, Any]) -> dict[str, Any]:
    return {"type": "edited", "message": message}


def deleted_frame(message_id: int, fragment: str) -> dict[str, Any]:
    return {"type": "deleted", "id": message_id, "fragment": fragment}


def hidden_frame(message_id: int, moderator_message: dict[str, Any] | None = None):
    """Members only learn that the message went; coordinators keep it, marked."""
    if moderator_message is None:
        return {"type": "hidden", "id": message_id}
    return {"type": "hidden", "id": message_id, "message": moderator_message}


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


def catch_up_frame(message, thread, *, for_moderator: bool, language: str) -> dict:
    """The frame that brings a returning client's copy of an edited, hidden or deleted
    MESSAGE up to date (as the live event would have): members never get hidden text."""
    if message.hidden and not for_moderator:
        return hidden_frame(message.pk)
    fragments = message_fragments(message, thread, moderator=for_moderator, language=language)
    if message.hidden:
        return hidden_frame(message.pk, fragments)
    if message.deleted:
        return deleted_frame(message.pk, fragments["fragment"])
    return edited_frame(fragments)


# Broadcasts (after commit, from the services) --------------------------------------------
#
# Language-neutral: a payload and its render context, no markup. The recipient's frame is
# made by `frame_text`.

MESSAGE = "thread.message"
EDITED = "thread.edited"
DELETED = "thread.deleted"
HIDDEN = "thread.hidden"
UNHIDDEN = "thread.unhidden"
STATE = "thread.state"
_CACHE = "_frames"  # added in the process that delivers the event, never sent on


def _send(thread_id: int, event: dict[str, Any], frame: dict[str, Any] | None = None) -> None:
    """Broadcast EVENT after commit. FRAME, when every recipient gets the same one, is
    encoded here once (event["text"]) so that consumers send it as it is."""
    if frame is not None:
        event["text"] = encode(frame)
    groups.send_on_commit(groups.thread_group(thread_id), event)


def _message_event(kind: str, message) -> dict[str, Any]:
    return {
        "type": kind,
        "message": message_payload(message),
        "context": render_context(message, message.thread),
    }


def message_posted(message, *, after: int | None = None) -> None:
    """AFTER: the thread's previous message (None: the first), so that the relays hand
    messages out in the thread's order whatever order their broadcasts arrive in."""
    event = _message_event(MESSAGE, message)
    event["after"] = after
    _send(message.thread_id, event)


def message_edited(message) -> None:
    _send(message.thread_id, _message_event(EDITED, message))


def message_deleted(message) -> None:
    event = _message_event(DELETED, message)
    event["id"] = message.pk
    _send(message.thread_id, event)


def message_hidden(message) -> None:
    # Members drop the message; coordinators keep it, marked (the consumer decides).
    _send(
        message.thread_id,
        {
            "type": HIDDEN,
            "id": message.pk,
            "moderator_message": message_payload(message, for_moderator=True),
            "context": render_context(message, message.thread),
        },
    )


def message_unhidden(message) -> None:
    _send(
        message.thread_id,
        {
            "type": UNHIDDEN,
            "message": message_payload(message),
            "moderator_message": message_payload(message, for_moderator=True),
            "context": render_context(message, message.thread),
        },
    )


def _frame_for(event: dict[str, Any], *, language: str, moderator: bool) -> dict[str, Any]:
    kind, context = event["type"], event["context"]

    def fragments(payload):
        return with_fragment(payload, context, moderator=moderator, language=language)

    if kind == MESSAGE:
        return message_frame(fragments(event["message"]))
    if kind == EDITED:
        return edited_frame(fragments(event["message"]))
    if kind == DELETED:
        return deleted_frame(event["id"], fragments(event["message"])["fragment"])
    if kind == HIDDEN:
        if not moderator:
            return hidden_frame(event["id"])
        return hidden_frame(event["id"], fragments(event["moderator_message"]))
    if kind == UNHIDDEN:
        return message_frame(fragments(event["moderator_message" if moderator else "message"]))
    raise ValueError(f"no message frame for {kind}")


def frame_text(event: dict[str, Any], *, language: str, moderator: bool) -> str:
    """The encoded frame of a message broadcast for a recipient in LANGUAGE of that role.

    The relay hands one event to every local socket, so each (language, variant) is rendered
    and encoded once per event and process, by the first socket that needs it."""
    cache = event.setdefault(_CACHE, {})
    key = (language, moderator)
    if key not in cache:
        cache[key] = encode(_frame_for(event, language=language, moderator=moderator))
    return cache[key]


def thread_changed(thread) -> None:
    """Locked, pinned or resolved: clients update their banner, form and messages."""
    state = {
        "locked": thread.locked,
        "pinned": thread.pinned,
        "state": thread.state,
        "accepted_answer": thread.accepted_answer_id,
    }
    _send(thread.pk, {"type": STATE, **state}, state_frame(state))
