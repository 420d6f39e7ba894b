"""Reads for notifications: a member's list and unread count, preferences, follows, and who
may hear of a thread (the hub's readers, as hubs.selectors decides it)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from hubs import selectors as hub_selectors
from hubs.models import Hub, Membership, Thread

from .models import DEFAULT_CHANNELS, Follow, Kind, Notification, NotificationPreference


def notifications_for(user) -> QuerySet[Notification]:
    """USER's notifications, newest first, with what the list shows."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "hub", "thread", "page")
        .order_by("-updated", "-pk")
    )


def notification_for(*, user, notification_id) -> Notification:
    """USER's notification NOTIFICATION_ID; another member's (or none) is a 404."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(user_or_id) -> int:
    user_id = getattr(user_or_id, "pk", user_or_id)
    if user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def preferences_of(user) -> dict[str, str]:
    """{kind: channel} for every kind, the defaults filled in."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind.value: chosen.get(kind.value, DEFAULT_CHANNELS[kind]) for kind in Kind}


def channels_for(*, kind: str, user_ids) -> dict[int, str]:
    """{user id: channel} for KIND, one query for many recipients."""
    default = DEFAULT_CHANNELS[Kind(kind)]
    chosen = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in=list(user_ids)).values_list(
            "user_id", "channel"
        )
    )
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def follow_of(*, user, thread: Thread | None = None, hub: Hub | None = None) -> Follow | None:
    if not user.is_authenticated:
        return None
    if thread is not None:
        return Follow.objects.filter(user=user, thread=thread).first()
    return Follow.objects.filter(user=user, hub=hub).first()


def thread_follower_ids(*, thread_id: int) -> set[int]:
    return set(
        Follow.objects.filter(thread_id=thread_id, muted=False).values_list("user_id", flat=True)
    )


def thread_muter_ids(*, thread_id: int) -> set[int]:
    return set(
        Follow.objects.filter(thread_id=thread_id, muted=True).values_list("user_id", flat=True)
    )


def hub_follower_ids(*, hub_id: int) -> set[int]:
    return set(Follow.objects.filter(hub_id=hub_id, muted=False).values_list("user_id", flat=True))


def hub_reader_ids(*, hub: Hub) -> set[int]:
    """Who may read HUB's threads now, in one query: the same guardian permissions
    hubs.selectors.user_can_read_thread checks one person at a time."""
    from guardian.shortcuts import get_users_with_perms

    users = get_users_with_perms(
        hub, only_with_perms_in=["access_hub", "moderate_hub"], with_group_users=False
    )
    return set(users.filter(is_active=True).values_list("pk", flat=True))


def can_read_thread(*, user, thread: Thread) -> bool:
    return user.is_active and hub_selectors.user_can_read_thread(user=user, thread=thread)


def coordinator_ids(*, hub: Hub) -> list[int]:
    return list(hub_selectors.hub_coordinators(hub=hub).values_list("pk", flat=True))


def staff_ids() -> list[int]:
    return list(hub_selectors.staff_users().values_list("pk", flat=True))


def users_by_handle(handles) -> list:
    """Active members holding HANDLES, in the order given."""
    found = {
        user.handle: user
        for user in get_user_model().objects.filter(handle__in=list(handles), is_active=True)
    }
    return [found[handle] for handle in handles if handle in found]


def member_ids_with_expertise(themes) -> list[int]:
    """Active members who offer expertise in any of THEMES (thematic field codes)."""
    if not themes:
        return []
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__expertise__theme__in=list(themes))
        .values_list("pk", flat=True)
        .distinct()
    )


MENTION_SUGGESTIONS = 8


def mention_candidates(*, hub: Hub, prefix: str, exclude_user=None) -> list[dict]:
    """Active members of HUB (coordinators included) whose handle or name starts with PREFIX,
    for the composer's @mention suggestions: at most MENTION_SUGGESTIONS, by handle. Only
    people of this hub: a suggestion never shows who is elsewhere."""
    prefix = prefix.strip().lstrip("@")[:40]
    if not prefix:
        return []
    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__hub=hub,
            memberships__state=Membership.State.ACTIVE,
        )
        .filter(Q(handle__istartswith=prefix) | Q(name__istartswith=prefix))
        .exclude(handle="")
        .distinct()
        .order_by("handle")
    )
    if exclude_user is not None and exclude_user.pk is not None:
        people = people.exclude(pk=exclude_user.pk)
    return [
        {"handle": handle, "name": name}
        for handle, name in people.values_list("handle", "name")[:MENTION_SUGGESTIONS]
    ]
