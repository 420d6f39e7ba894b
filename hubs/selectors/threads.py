"""Reads for consultation threads: who may see and do what, and the lists the pages show.

Permission itself is decided by `hubs.selectors` (guardian object permissions kept in step
with the membership by the membership services); this module builds on it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.exceptions import NotFound

from ..models import Hub, Message, Report, Thread, ThreadReadState
from . import hubs as selectors


@dataclass(frozen=True)
class ThreadAccess:
    """What one person may do in one thread, read fresh from the database."""

    thread_id: int
    hub_id: int
    can_read: bool
    can_participate: bool
    can_moderate: bool
    locked: bool
    # The rows read to decide, for the services the consumer then calls (no second read).
    thread: Thread | None = field(default=None, compare=False, repr=False)
    user: object | None = field(default=None, compare=False, repr=False)


def thread_access(*, user_id: int | None, thread_id: int) -> ThreadAccess | None:
    """Fresh permissions of USER_ID in THREAD_ID (None: the thread does not exist).

    The consumer calls this on every frame, so a suspension, a removal or a deactivated
    account takes effect at once. The user row is read again: `scope["user"]` is a snapshot.
    Three queries: the thread, the user, their permissions on the hub.
    """
    thread = Thread.objects.filter(pk=thread_id).select_related("hub").first()
    if thread is None:
        return None
    user = None
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return ThreadAccess(thread.pk, thread.hub_id, False, False, False, thread.locked, thread)
    held = selectors.hub_permissions(user=user, hub=thread.hub)  # one query, not three
    can_moderate = "moderate_hub" in held
    can_participate = can_moderate or "participate_hub" in held
    can_read = can_participate or "access_hub" in held
    return ThreadAccess(
        thread.pk,
        thread.hub_id,
        can_read,
        can_participate,
        can_moderate,
        thread.locked,
        thread,
        user,
    )


def thread_moderator_ids(*, thread_id: int) -> frozenset:
    """Who may moderate THREAD_ID now (the ids `thread_access` would say can_moderate for),
    in one query for a broadcast whose frame depends on it."""
    from guardian.shortcuts import get_users_with_perms

    thread = Thread.objects.filter(pk=thread_id).select_related("hub").first()
    if thread is None:
        return frozenset()
    users = get_users_with_perms(
        thread.hub, only_with_perms_in=["moderate_hub"], with_group_users=False
    )
    return frozenset(users.filter(is_active=True).values_list("pk", flat=True))


def user_can_read_thread(*, user, thread: Thread) -> bool:
    return selectors.user_can_access_hub(user=user, hub=thread.hub) or selectors.user_can_moderate(
        user=user, hub=thread.hub
    )


def thread_for_reader(*, user, hub: Hub, thread_id: int) -> Thread:
    """THREAD_ID of HUB if USER may read it; NotFound otherwise (do not reveal it exists)."""
    thread = (
        Thread.objects.filter(pk=thread_id, hub=hub)
        .select_related("hub", "author", "accepted_answer")
        .first()
    )
    if thread is None or not user_can_read_thread(user=user, thread=thread):
        raise NotFound(_("There is no such thread."))
    return thread


def message_in_thread(*, thread: Thread, message_id: int) -> Message:
    """A message of THREAD (NotFound for the id of another thread's message)."""
    message = Message.objects.filter(pk=message_id, thread=thread).select_related("author").first()
    if message is None:
        raise NotFound(_("There is no such message in this thread."))
    return message


def messages_visible_to(*, user, thread: Thread, can_moderate: bool | None = None):
    """The messages of THREAD USER may see, in order: coordinators also see hidden ones."""
    if can_moderate is None:
        can_moderate = selectors.user_can_moderate(user=user, hub=thread.hub)
    messages = Message.objects.filter(thread=thread).select_related("author", "hidden_by")
    if not can_moderate:
        messages = messages.filter(hidden=False)
    return messages.order_by("pk")


def messages_after(*, thread_id: int, after: int, can_moderate: bool, limit: int):
    """The messages after id AFTER a reconnecting client missed, oldest first."""
    messages = Message.objects.filter(thread_id=thread_id, pk__gt=after).select_related("author")
    if not can_moderate:
        messages = messages.filter(hidden=False)
    return list(messages.order_by("pk")[:limit])


def messages_changed_upto(*, thread_id: int, upto: int, limit: int):
    """The latest messages up to id UPTO that were edited, hidden or deleted, oldest first:
    a reconnecting client may still show them as they were."""
    changed = Q(edited__isnull=False) | Q(hidden=True) | Q(deleted=True)
    messages = (
        Message.objects.filter(changed, thread_id=thread_id, pk__lte=upto)
        .select_related("author")
        .order_by("-pk")[:limit]
    )
    return list(reversed(messages))


def threads_for_hub(*, hub: Hub, user):
    """The hub's threads for its members: pinned first, then by last activity, with the
    number of visible replies and, for USER, of unread ones."""
    visible = Q(messages__hidden=False, messages__deleted=False)
    threads = (
        Thread.objects.filter(hub=hub)
        .select_related("author")
        .annotate(reply_count=Count("messages", filter=visible))
    )
    if user.is_authenticated:
        last_read = ThreadReadState.objects.filter(user=user, thread=OuterRef("pk")).values(
            "last_read_message_id"
        )[:1]
        threads = threads.annotate(
            last_read_id=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField())
        ).annotate(
            unread_count=Count(
                "messages",
                filter=visible & Q(messages__pk__gt=Coalesce(Subquery(last_read), Value(0))),
            )
        )
    return threads.order_by("-pinned", "-last_activity", "-pk")


def threads_visible_to(user):
    """Every thread USER may read (search uses this)."""
    return Thread.objects.filter(hub__in=selectors.hubs_accessible_to(user))


def open_reports_for_hub(*, hub: Hub, user):
    """The coordinator queue: open reports of HUB's messages (none for non-coordinators)."""
    if not selectors.user_can_moderate(user=user, hub=hub):
        return Report.objects.none()
    return (
        Report.objects.filter(message__thread__hub=hub, state=Report.State.OPEN)
        .select_related("message", "message__author", "message__thread", "reporter")
        .order_by("created", "pk")
    )


def report_for_moderator(*, user, hub: Hub, report_id: int) -> Report:
    report = (
        Report.objects.filter(pk=report_id, message__thread__hub=hub)
        .select_related("message", "message__thread", "message__thread__hub")
        .first()
    )
    if report is None or not selectors.user_can_moderate(user=user, hub=hub):
        raise NotFound(_("There is no such report."))
    return report
