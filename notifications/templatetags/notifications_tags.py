"""Template filters for notifications: the sentence an entry says, and where it leads."""

from django import template

from ..describe import describe as _describe
from ..mailing import notification_url

register = template.Library()


@register.filter
def describe(notification) -> str:
    return _describe(notification)


@register.filter
def target_url(notification) -> str:
    return notification_url(notification)


@register.inclusion_tag("notifications/_thread_follow.html", takes_context=True)
def thread_follow_box(context, thread):
    """Follow, unfollow and mute buttons for THREAD (the page checked USER may read it)."""
    from ..selectors import follow_of

    user = context["user"]
    return {
        "user": user,
        "hub": thread.hub,
        "thread": thread,
        "follow": follow_of(user=user, thread=thread),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("notifications/_hub_follow.html", takes_context=True)
def hub_follow_box(context, hub):
    """Follow or unfollow HUB's new threads, for those who may read them."""
    from hubs import selectors as hub_selectors

    from ..selectors import follow_of

    user = context["user"]
    access = context.get("access")  # the hub page's HubAccess, when it has one
    if access is None:
        access = hub_selectors.hub_access(user=user, hub=hub)
    can_follow = user.is_authenticated and (access.can_access or access.can_moderate)
    return {
        "hub": hub,
        "can_follow": can_follow,
        "follow": follow_of(user=user, hub=hub) if can_follow else None,
        "csrf_token": context.get("csrf_token"),
    }
