"""Template tags for event lists elsewhere on the site (the hub page, the home page), so
that those apps include `events/_hub_events.html` without importing the events app."""

from zoneinfo import ZoneInfo

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def next_events(context, hub=None, limit=3, member_of_hub=None):
    """The next events the visitor may see (of HUB when given; MEMBER_OF_HUB: whether the
    page already found that the visitor may access HUB)."""
    request = context.get("request")
    if request is None:
        return []
    return selectors.next_events(
        user=request.user, hub=hub, limit=limit, member_of_hub=member_of_hub
    )


@register.simple_tag(takes_context=True)
def viewer_time_zone(context):
    request = context.get("request")
    return selectors.viewer_time_zone(request.user) if request is not None else "UTC"


@register.inclusion_tag("events/_when.html")
def event_when(event, viewer_tz="UTC"):
    """The event's time in the viewer's zone, with the event's own zone beside it."""
    viewer_tz = viewer_tz or "UTC"
    viewer = ZoneInfo(viewer_tz)
    return {
        "event": event,
        "viewer_tz": viewer_tz,
        "event_tz": event.time_zone,
        "same_zone": viewer_tz == event.time_zone,
        "one_day": event.starts_at.astimezone(viewer).date()
        == event.ends_at.astimezone(viewer).date(),
    }


@register.simple_tag
def time_zone_names():
    return sorted(selectors.valid_time_zones())
