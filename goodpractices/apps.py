from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticesConfig(AppConfig):
    name = "goodpractices"
    verbose_name = _("Good practices")

    def ready(self):
        from wagtail.models import WorkflowState
        from wagtail.signals import page_published, task_submitted, workflow_rejected

        from . import notifications, personal_data

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
