"""Email about hub membership. The services call these after their transaction commits
(`transaction.on_commit`), so nobody is told of a change that was rolled back.

Each message is rendered from a plain-text and an HTML template in the recipient's language
(their preferred language where the profile has one, else the site default) and sent to one
person at a time, so coordinators never see each other's addresses.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import selectors
from .models import Membership

logger = logging.getLogger(__name__)


def _language_for(user) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    for source in (user, getattr(user, "profile", None)):
        code = getattr(source, "preferred_language", "") or ""
        if code in available:
            return code
    return settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, template: str, recipient, context: dict) -> None:
    with translation.override(_language_for(recipient)):
        context = {"recipient": recipient, "site_name": settings.WAGTAIL_SITE_NAME, **context}
        subject = render_to_string(f"hubs/email/{template}_subject.txt", context)
        text = render_to_string(f"hubs/email/{template}.txt", context)
        html = render_to_string(f"hubs/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:  # SMTP down: the change stands; the dashboard and the badge still show it
        logger.exception("Could not send the %s email to user %s", template, recipient.pk)


def join_requested(membership: Membership) -> None:
    """Tell each coordinator of the hub that someone asks to join (staff, if it has none)."""
    hub = membership.hub
    context = {
        "hub": hub,
        "applicant": membership.user,
        "message": membership.message,
        "profile": selectors.applicant_profile(membership.user),
        "dashboard_url": _absolute(reverse("hubs:moderation", args=[hub.slug])),
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
            "hub_url": _absolute(reverse("hubs:detail", args=[hub.slug])),
        },
    )
