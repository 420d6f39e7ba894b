from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .sites import sync_after_migrate

        # After every migrate (and every test database flush): the Site records follow
        # SITE_URL and SITE_NAME.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="core.site_sync")
