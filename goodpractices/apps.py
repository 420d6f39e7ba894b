from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticesConfig(AppConfig):
    name = "goodpractices"
    verbose_name = _("Good practices")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale, WorkflowState
        from wagtail.signals import page_published, task_submitted, workflow_rejected

        from . import notifications, personal_data, translations

        for signal in (post_save, post_delete):
            signal.connect(
                translations.forget_default_locale,
                sender=Locale,
                dispatch_uid=f"goodpractices_forget_locale_{signal}",
            )
        post_migrate.connect(
            translations.forget_default_locale, dispatch_uid="goodpractices_forget_locale_migrate"
        )

        task_submitted.connect(
            notifications.regional_review_submitted,
            sender=notifications.HubReviewTaskState,
            dispatch_uid="goodpractices_regional_review_submitted",
        )
        page_published.connect(
            notifications.on_page_published, dispatch_uid="goodpractices_proposal_published"
        )
        workflow_rejected.connect(
            notifications.on_workflow_rejected,
            sender=WorkflowState,
            dispatch_uid="goodpractices_proposal_sent_back",
        )
        personal_data.register()
