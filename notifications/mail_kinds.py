"""The kinds that have a mail of their own (`templates/notifications/email/kinds/<kind>`):
decisions about a person and a coordinator's join requests say more than one line. Each
function gives what its templates show beyond the common context (recipient, items, the
unsubscribe and settings links); a kind without one is mailed in the common template."""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

from hubs import selectors as hub_selectors

from . import mail, selectors
from .models import Kind, Notification

TEMPLATES = "notifications/email/kinds"


def template_for(notification: Notification) -> str | None:
    """The kind's own template base name, or None to use the common one."""
    if notification.kind not in CONTEXTS:
        return None
    name = f"{TEMPLATES}/{notification.kind}"
    try:
        get_template(f"{name}.txt")
    except TemplateDoesNotExist:
        return None
    return name


def _join_request(n: Notification) -> dict:
    hub, applicant = n.hub, n.actor
    return {
        "hub": hub,
        "applicant": applicant,
        "message": n.detail,
        "profile": hub_selectors.applicant_profile(applicant) if applicant else [],
        "dashboard_url": mail.absolute(reverse("hubs:moderation", args=[hub.slug])),
        "pending": hub_selectors.pending_requests(hub=hub).count(),
        # Nobody coordinates the hub: staff are told, and asked to assign someone.
        "no_coordinator": not selectors.coordinator_ids(hub=hub),
    }


def _membership_decided(n: Notification) -> dict:
    return {
        "hub": n.hub,
        "reason": n.detail,
        "rejected": n.outcome == "rejected",
        "hub_url": mail.absolute(reverse("hubs:detail", args=[n.hub.slug])),
    }


def _proposal_decided(n: Notification) -> dict:
    page = n.page
    return {
        "user": n.recipient,
        "proposal": {"title": page.title if page else ""},
        "sent_back": n.outcome == "sent_back",
        "comment": n.detail,
        "url": mail.absolute(page.url) if page is not None and page.url else "",
    }


CONTEXTS = {
    Kind.JOIN_REQUEST: _join_request,
    Kind.MEMBERSHIP_DECIDED: _membership_decided,
    Kind.PROPOSAL_DECIDED: _proposal_decided,
}


def context_for(notification: Notification) -> dict:
    return CONTEXTS[notification.kind](notification)
