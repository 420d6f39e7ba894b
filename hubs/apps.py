from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Hubs")

    def ready(self):
        from . import personal_data

        personal_data.register()
