"""The editor's view of a practice's languages: per language, original, translated, out of
date (and which fields changed) or not yet published, above the practice's fields."""

from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    @property
    def clean_name(self):
        return super().clean_name or "languages"

    class BoundPanel(Panel.BoundPanel):
        template_name = "goodpractices/admin/translation_status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            from . import translations

            context = super().get_context_data(parent_context)
            context["statuses"] = translations.translation_statuses(self.instance)
            return context
