"""Notification writes: telling people, grouping, marking read, follows, preferences,
withdrawal when access ends. Plain keyword-only functions; what each hub event means for
whom is in `dispatch.py`, which runs in tasks."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ActionError
from hubs.models import Hub, Thread

from . import realtime, selectors
from .models import (
    CONTENT_KINDS,
    GROUPED_KINDS,
    Channel,
    Follow,
    Kind,
    Notification,
    NotificationPreference,
)


def _enqueue_mail_on_commit(notification_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.mail_notification.enqueue(notification_id))


def _group_filter(*, kind, recipient_id, hub_id, thread_id):
    unread = Notification.objects.filter(recipient_id=recipient_id, kind=kind, read_at=None)
    if kind == Kind.REPLY:
        return unread.filter(thread_id=thread_id)
    return unread.filter(hub_id=hub_id)


@transaction.atomic
def notify(
    *,
    recipient_id: int,
    kind: str,
    channel: str | None = None,
    actor_id: int | None = None,
    hub_id: int | None = None,
    thread_id: int | None = None,
    message_id: int | None = None,
    page_id: int | None = None,
    outcome: str = "",
    detail: str = "",
) -> Notification | None:
    """Tell RECIPIENT_ID of one thing of KIND, as their preference for it says (CHANNEL
    when the caller has read it already). Grouped kinds count up in the unread entry of
    their thread or hub. Returns the notification (None when the kind is off)."""
    if channel is None:
        channel = selectors.channels_for(kind=kind, user_ids=[recipient_id])[recipient_id]
    if channel == Channel.OFF:
        return None
    now = timezone.now()
    mail_state = Notification.MailState.PENDING if channel == Channel.EMAIL else ""
    fields = {
        "recipient_id": recipient_id,
        "kind": kind,
        "actor_id": actor_id,
        "hub_id": hub_id,
        "thread_id": thread_id,
        "message_id": message_id,
        "page_id": page_id,
        "outcome": outcome,
        "detail": (detail or "")[:2000],
        "mail_state": mail_state,
    }
    notification = None
    for _attempt in range(3):
        if kind in GROUPED_KINDS:
            notification = _add_to_group(fields, now=now)
            if notification is not None:
                break
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**fields, created=now, updated=now)
            break
        except IntegrityError:
            continue  # a concurrent fan-out opened the group first: count into it
    if notification is None:
        raise RuntimeError(f"could not record a {kind} notification for {recipient_id}")
    if mail_state:
        _enqueue_mail_on_commit(notification.pk)
    realtime.unread_changed_on_commit(recipient_id)
    return notification


def _add_to_group(fields: dict, *, now) -> Notification | None:
    """Count one more into the unread group FIELDS belongs to; None if there is none."""
    group = _group_filter(
        kind=fields["kind"],
        recipient_id=fields["recipient_id"],
        hub_id=fields["hub_id"],
        thread_id=fields["thread_id"],
    )
    changes = {"count": F("count") + 1, "updated": now, "actor_id": fields["actor_id"]}
    if fields["mail_state"]:
        changes["mail_state"] = fields["mail_state"]
    if not group.update(**changes):
        return None
    return group.first()


@transaction.atomic
def notifications_mark_read(*, user, notification_id=None) -> int:
    """Mark one of USER's notifications read (another's id is a 404), or all of them.
    Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        notification = selectors.notification_for(user=user, notification_id=notification_id)
        unread = unread.filter(pk=notification.pk)
    changed = unread.update(read_at=timezone.now())
    if changed:
        realtime.unread_changed_on_commit(user.pk)
    return changed


@transaction.atomic
def notifications_withdraw(*, user_id: int, hub_id: int) -> int:
    """USER_ID lost access to HUB_ID (left, suspended): their unread notifications about
    its content go, and with them any mail still waiting. Returns how many."""
    deleted, _detail = Notification.objects.filter(
        recipient_id=user_id, hub_id=hub_id, read_at=None, kind__in=list(CONTENT_KINDS)
    ).delete()
    if deleted:
        realtime.unread_changed_on_commit(user_id)
    return deleted


# Preferences ----------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user, channels: dict[str, str]) -> None:
    """Set USER's channel for each kind in CHANNELS {kind: channel}. An unknown kind or
    channel refuses the whole change."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ActionError(_("Unknown notification kind or channel."), code="invalid")
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )


# Follows ----------------------------------------------------------------------


def _require_reader(*, user, thread: Thread) -> None:
    if not user.is_authenticated or not selectors.can_read_thread(user=user, thread=thread):
        raise ActionError(_("This thread was not found."), code="not_found")


@transaction.atomic
def thread_follow(*, user, thread: Thread) -> Follow:
    """USER follows THREAD (and unmutes it)."""
    _require_reader(user=user, thread=thread)
    follow, _created = Follow.objects.update_or_create(
        user=user, thread=thread, defaults={"muted": False}
    )
    return follow


@transaction.atomic
def thread_unfollow(*, user, thread: Thread) -> None:
    """USER stops hearing of replies in THREAD (posting there follows it again)."""
    _require_reader(user=user, thread=thread)
    Follow.objects.filter(user=user, thread=thread).delete()


@transaction.atomic
def thread_mute(*, user, thread: Thread) -> Follow:
    """USER hears nothing more of THREAD, mentions included, until they follow it again."""
    _require_reader(user=user, thread=thread)
    follow, _created = Follow.objects.update_or_create(
        user=user, thread=thread, defaults={"muted": True}
    )
    Notification.objects.filter(recipient=user, thread=thread, read_at=None).update(
        read_at=timezone.now()
    )
    realtime.unread_changed_on_commit(user.pk)
    return follow


def thread_follow_automatically(*, user_id: int, thread_id: int) -> None:
    """Someone started or posted in a thread: they follow it, unless they muted it."""
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user_id=user_id, thread_id=thread_id)
    except IntegrityError:  # followed at the same moment
        pass


def _require_hub_reader(*, user, hub: Hub) -> None:
    from hubs import selectors as hub_selectors

    if not user.is_authenticated or not (
        hub_selectors.user_can_access_hub(user=user, hub=hub)
        or hub_selectors.user_can_moderate(user=user, hub=hub)
    ):
        raise ActionError(_("This hub's threads are for its members."), code="not_found")


@transaction.atomic
def hub_follow(*, user, hub: Hub) -> Follow:
    """USER hears of HUB's new threads."""
    _require_hub_reader(user=user, hub=hub)
    follow, _created = Follow.objects.update_or_create(
        user=user, hub=hub, defaults={"muted": False}
    )
    return follow


@transaction.atomic
def hub_unfollow(*, user, hub: Hub) -> None:
    _require_hub_reader(user=user, hub=hub)
    Follow.objects.filter(user=user, hub=hub).delete()


@transaction.atomic
def unsubscribe(*, user, what: str) -> None:
    """The one-click unsubscribe: WHAT (a kind) stops coming by mail and is shown in the
    site only; `digests` moves every digest kind to the site only."""
    from .tokens import DIGESTS

    current = selectors.preferences_of(user)
    if what == DIGESTS:
        kinds = [k for k, c in current.items() if c in (Channel.DAILY, Channel.WEEKLY)]
    elif what in Kind.values:
        kinds = [what] if current[what] != Channel.OFF else []
    else:
        raise ActionError(_("Unknown notification kind or channel."), code="invalid")
    preferences_update(user=user, channels=dict.fromkeys(kinds, Channel.APP.value))


@transaction.atomic
def notifications_mark_read_in_thread(*, user_id: int, thread_id: int, last_message_id: int):
    """Mark read USER_ID's unread notifications of THREAD_ID about messages up to
    LAST_MESSAGE_ID. A group of replies counts as read once no newer reply exists."""
    from django.db.models import Q

    from hubs.models import Message

    unread = Notification.objects.filter(
        recipient_id=user_id, thread_id=thread_id, read_at=None, message_id__lte=last_message_id
    )
    newer_reply = Message.objects.filter(thread_id=thread_id, pk__gt=last_message_id).exists()
    if newer_reply:
        unread = unread.filter(~Q(kind=Kind.REPLY))
    if unread.update(read_at=timezone.now()):
        realtime.unread_changed_on_commit(user_id)
