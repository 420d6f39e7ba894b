from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps

        from .converters import IdConverter
        from .sites import sync_after_migrate

        # `<id:…>` in every app's URLs; registered before any URLconf is imported.
        register_converter(IdConverter, "id")
        # After every migrate (and every test database flush): the Site records follow
        # SITE_URL and SITE_NAME. Sent per app with models; core has none, the sites app does.
        post_migrate.connect(
            sync_after_migrate, sender=apps.get_app_config("sites"), dispatch_uid="core.site_sync"
        )
