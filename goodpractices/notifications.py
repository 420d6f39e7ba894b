"""Who hears of a practice's review: the coordinators of its hub (or, for a region
without a hub, the editors), never every moderator; and its proposer, in plain words."""

from wagtail.admin.mail import EmailNotificationMixin, Notifier

from core.mail import mail_enqueue, recipient_language

from . import selectors, services
from .models import GoodPracticePage, HubReviewTaskState


class RegionalReviewSubmittedNotifier(EmailNotificationMixin, Notifier):
    """Mail the people who may decide a regional review task when it starts. Uses
    Wagtail's "task state submitted" templates and honours each recipient's
    notification preference in the admin."""

    notification = "submitted"

    def __init__(self):
        super().__init__((HubReviewTaskState,))

    def get_template_base_prefix(self, instance, **kwargs):
        return "task_state_"

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context["task"] = task_state.task.specific
        context["object"] = task_state.workflow_state.content_object
        context["model_name"] = context["object"]._meta.verbose_name
        context["page"] = context["object"].specific
        return context

    def get_recipient_users(self, task_state, **kwargs):
        recipients = selectors.review_recipients(task_state)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return set(recipients)

    def send_notifications(self, template_set, context, recipients, **kwargs):
        """One mail per recipient, in their language, sent by a task after the commit
        (Wagtail's own sender would talk to the mail server inside the reviewer's request)."""
        for recipient in recipients:
            mail_enqueue(
                to=recipient.email,
                template="",
                template_names=(
                    template_set["subject"],
                    template_set["text"],
                    template_set["html"],
                ),
                context={**context, "user": recipient},
                language=recipient_language(recipient),
                headers={"Auto-Submitted": "auto-generated"},
            )
        return True


regional_review_submitted = RegionalReviewSubmittedNotifier()


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, GoodPracticePage):
        services.proposal_mark_published(page=instance)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    page = instance.content_object
    if page is None or not isinstance(page.specific, GoodPracticePage):
        return
    task_state = instance.current_task_state
    comment = task_state.get_comment() if task_state else ""
    services.proposal_notify_sent_back(page=page, comment=comment)
