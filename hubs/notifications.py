"""Email about hub membership. The services call these after their transaction commits
(`transaction.on_commit`), so nobody is told of a change that was rolled back.

Each message is rendered from a plain-text and an HTML template in the recipient's language
(their preferred language where the profile has one, else the site default) and sent to one
person at a time, so coordinators never see each other's addresses. Sending is a background
task (core.mail), retried while the mail server fails.
"""

from django.urls import reverse

from core.mail import absolute_url, mail_enqueue, recipient_language

from . import selectors
from .models import Membership


def _send(*, template: str, recipient, context: dict) -> None:
    mail_enqueue(
        to=recipient.email,
        template=f"hubs/email/{template}",
        context={"recipient": recipient, **context},
        language=recipient_language(recipient),
    )


def join_requested(membership: Membership) -> None:
    """Tell each coordinator of the hub that someone asks to join (staff, if it has none)."""
    hub = membership.hub
    context = {
        "hub": hub,
        "applicant": membership.user,
        "message": membership.message,
        "profile": selectors.applicant_profile(membership.user),
        "dashboard_url": absolute_url(reverse("hubs:moderation", args=[hub.slug])),
        "pending": selectors.pending_requests(hub=hub).count(),
    }
    recipients = list(selectors.hub_coordinators(hub=hub))
    if not recipients:
        # Nobody coordinates this hub (yet): tell staff, who can assign a coordinator, so
        # the request is not left unseen.
        recipients = list(selectors.staff_users())
        context["no_coordinator"] = True
    for recipient in recipients:
        _send(template="join_requested", recipient=recipient, context=context)


def request_decided(membership: Membership) -> None:
    """Tell the applicant that their request was approved or rejected, and why."""
    hub = membership.hub
    _send(
        template="request_approved"
        if membership.state == Membership.State.ACTIVE
        else "request_rejected",
        recipient=membership.user,
        context={
            "hub": hub,
            "reason": membership.decision_reason,
            "hub_url": absolute_url(reverse("hubs:detail", args=[hub.slug])),
        },
    )
