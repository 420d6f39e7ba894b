from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class MembersConfig(AppConfig):
    default = True
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import pre_save

        from core import markdown

        from . import handles, personal_data, realtime

        personal_data.register()
        markdown.set_mention_resolver(handles.resolve_mentions)
        # Every way an account is made (signup, createsuperuser, the admin, fixtures) gets
        # a handle: the one point they all pass.
        pre_save.connect(handles.assign_handle, sender="members.User", dispatch_uid="handle")
        # Sockets end with their session: at logout, and when a new password ends them all.
        user_logged_out.connect(realtime.on_logged_out, dispatch_uid="sockets-logout")
        pre_save.connect(
            realtime.on_user_pre_save, sender="members.User", dispatch_uid="sockets-password"
        )


class MembersWagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our user model (email and a display name)."""

    user_viewset = "members.admin_views.UserViewSet"
