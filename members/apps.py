from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class MembersConfig(AppConfig):
    default = True
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import personal_data

        personal_data.register()


class MembersWagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our user model (email and a display name)."""

    user_viewset = "members.admin_views.UserViewSet"
