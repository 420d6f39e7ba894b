"""Reads that decide who may see and do what in a hub. Every check goes through here."""

from django.shortcuts import get_object_or_404

from .models import Hub, Membership


def hub_get(*, slug: str) -> Hub:
    return get_object_or_404(Hub, slug=slug)


def membership_for(*, user, hub) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, hub=hub).first()


def user_can_access_hub(*, user, hub) -> bool:
    """Read the hub's threads and members: active members and coordinators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("hubs.access_hub", hub)


def user_can_participate(*, user, hub) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("hubs.participate_hub", hub)


def user_can_moderate(*, user, hub) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("hubs.moderate_hub", hub)


def hubs_accessible_to(user):
    """The hubs whose threads USER may read (search and lists use this)."""
    if not user.is_authenticated or not user.is_active:
        return Hub.objects.none()
    return Hub.objects.filter(
        memberships__user=user, memberships__state=Membership.State.ACTIVE
    ).distinct()
