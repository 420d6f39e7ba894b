from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .converters import IdConverter

        # `<id:…>` in every app's URLs; registered before any URLconf is imported.
        register_converter(IdConverter, "id")
