from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticesConfig(AppConfig):
    name = "goodpractices"
    verbose_name = _("Good practices")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale

        from . import personal_data, translations

        for signal in (post_save, post_delete):
            signal.connect(
                translations.forget_default_locale,
                sender=Locale,
                dispatch_uid=f"goodpractices_forget_locale_{signal}",
            )
        post_migrate.connect(
            translations.forget_default_locale, dispatch_uid="goodpractices_forget_locale_migrate"
        )

        # Who hears of a review, a publication or a practice sent back, and the mail that
        # tells them: the notifications app, from Wagtail's signals.
        personal_data.register()
