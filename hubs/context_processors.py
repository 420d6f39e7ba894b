from django.utils.functional import SimpleLazyObject

from . import selectors


def coordinator_nav(request):
    """`coordinated_hubs`: for each hub the user coordinates, its slug, name and number of
    pending join requests (header navigation). Lazy: the one query runs only when a page
    renders the navigation, and only for logged-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"coordinated_hubs": ()}
    return {
        "coordinated_hubs": SimpleLazyObject(
            lambda: selectors.coordinated_hubs_with_pending(user=user)
        )
    }
