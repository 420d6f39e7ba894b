"""An authentication backend that lets hub coordinators into the Wagtail admin, with no
other power: the review task decides what they may see and do there. The permission
follows the guardian `hubs.moderate_hub` permissions the membership services keep, so
assigning or removing a coordinator grants or withdraws admin access at once."""

from . import selectors

ADMIN_ACCESS = "wagtailadmin.access_admin"


class CoordinatorAdminAccessBackend:
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if perm != ADMIN_ACCESS or obj is not None:
            return False
        if not user_obj.is_authenticated or not user_obj.is_active:
            return False
        cache = user_obj.__dict__
        if "_coordinator_admin_access" not in cache:
            cache["_coordinator_admin_access"] = selectors.user_is_coordinator(user_obj)
        return cache["_coordinator_admin_access"]
