from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticesConfig(AppConfig):
    name = "goodpractices"
    verbose_name = _("Good practices")

    def ready(self):
        from . import personal_data

        # Who hears of a review, a publication or a practice sent back, and the mail that
        # tells them: the notifications app, from Wagtail's signals.
        personal_data.register()
