from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def open_reports(context, hub):
    """The open reports of HUB for the coordinator viewing the page (none for others), so
    `hubs/_reports_queue.html` works wherever it is included."""
    request = context.get("request")
    if request is None:
        return []
    return list(selectors.open_reports_for_hub(hub=hub, user=request.user))
