from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def proposal_statuses_for(user):
    """The proposals of USER with their status, for the profile page."""
    if not user.is_authenticated:
        return []
    return selectors.proposal_statuses_of(user)
