from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Topic calls")

    def ready(self):
        from . import personal_data

        personal_data.register()
