"""Hub signals (sent after commit, with ids) turned into tasks. Connected from the
AppConfig: hubs does not know this app exists."""

from hubs import signals

from . import tasks

HUB_EVENTS = (
    "thread_created",
    "message_posted",
    "message_edited",
    "message_hidden",
    "answer_accepted",
    "report_created",
    "report_resolved",
    "join_requested",
    "membership_decided",
    "membership_suspended",
    "membership_reinstated",
    "membership_left",
    "thread_read",
)


def _receiver(name):
    def receive(sender, signal=None, **ids):
        tasks.hub_event.enqueue(name, ids)

    receive.__name__ = f"on_{name}"
    return receive


_receivers = {name: _receiver(name) for name in HUB_EVENTS}


def connect() -> None:
    for name, receiver in _receivers.items():
        getattr(signals, name).connect(receiver, dispatch_uid=f"notifications.{name}")
    connect_wagtail()


# Wagtail's workflow and publishing signals: reviews, publications, practices sent back.


def _later(name, **ids):
    from django.db import transaction

    transaction.on_commit(lambda: tasks.hub_event.enqueue(name, ids))


def on_task_submitted(sender, instance, user=None, **kwargs):
    _later("proposal_review", task_state_id=instance.pk)


def on_page_published(sender, instance, revision=None, **kwargs):
    publisher = getattr(revision, "user_id", None)
    _later("proposal_published", page_id=instance.pk, publisher_id=publisher)
    _later("practice_published", page_id=instance.pk)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    page = instance.content_object
    if page is None:
        return
    task_state = instance.current_task_state
    comment = task_state.get_comment() if task_state else ""
    _later(
        "proposal_sent_back",
        page_id=page.pk,
        acting_user_id=getattr(user, "pk", None),
        comment=comment or "",
    )


def _is_practice(workflow_state) -> bool:
    page = workflow_state.content_object
    return page is not None and page.specific_class._meta.label == "goodpractices.GoodPracticePage"


def _except_practices(notifier):
    """Wagtail's own workflow mail, for every page but a good practice: the practice's
    reviewers and proposer are told here (kinds proposal_review, proposal_decided), in their
    language, with an unsubscribe link; not twice."""

    def receive(sender, instance=None, **kwargs):
        if instance is not None and _is_practice(instance):
            return None
        return notifier(instance=instance, sender=sender, **kwargs)

    return receive


def take_over_wagtail_workflow_mail() -> None:
    """Put the filtered notifiers in the place (dispatch_uid) of Wagtail's own: connected
    first (this app is ready before wagtail.admin), Wagtail's connect is then a no-op; were
    Wagtail's there already, it is replaced."""
    from wagtail.admin import signal_handlers as wagtail_mail
    from wagtail.models import WorkflowState
    from wagtail.signals import workflow_approved, workflow_rejected, workflow_submitted

    for signal, uid, notifier in (
        (
            workflow_submitted,
            "workflow_state_submitted_email_notification",
            wagtail_mail.workflow_submission_email_notifier,
        ),
        (
            workflow_rejected,
            "workflow_state_rejected_email_notification",
            wagtail_mail.workflow_rejection_email_notifier,
        ),
        (
            workflow_approved,
            "workflow_state_approved_email_notification",
            wagtail_mail.workflow_approval_email_notifier,
        ),
    ):
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(
            _except_practices(notifier), sender=WorkflowState, dispatch_uid=uid, weak=False
        )


def connect_wagtail() -> None:
    from wagtail.models import WorkflowState
    from wagtail.signals import page_published, task_submitted, workflow_rejected

    take_over_wagtail_workflow_mail()

    task_submitted.connect(on_task_submitted, dispatch_uid="notifications.task_submitted")
    page_published.connect(on_page_published, dispatch_uid="notifications.page_published")
    workflow_rejected.connect(
        on_workflow_rejected, sender=WorkflowState, dispatch_uid="notifications.workflow_rejected"
    )
