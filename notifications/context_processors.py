"""The bell in the header: the unread count on every page (one query, logged-in only)."""

from . import selectors


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": selectors.unread_count(user)}
