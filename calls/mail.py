"""Mail to applicants, sent by a background task (django-tasks).

A thin local stand-in until `core.mail` is merged: the task loads the proposal by id, renders
`calls/email/<kind>_subject.txt`, `.txt` and `.html` in the applicant's preferred language,
and sends one multipart message. It records the mail as sent (by a key naming the proposal,
the kind and the moment of the submission or decision) in the transaction that sends it, so a
second run of the same task sends nothing.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

KINDS = {"submitted", "decision_accepted", "decision_declined", "decision_reserve"}


def _language_of(user) -> str:
    from members.models import Profile

    language = Profile.objects.filter(user=user).values_list("preferred_language", flat=True)
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = language.first()
    return chosen if chosen in codes else settings.LANGUAGE_CODE


def _key(proposal, kind) -> str:
    moment = proposal.submitted_at if kind == "submitted" else proposal.decided_at
    return f"proposal-{proposal.pk}-{kind}-{moment.isoformat() if moment else ''}"


def proposal_mail_on_commit(*, proposal, kind: str) -> None:
    """Enqueue the mail of KIND about PROPOSAL once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    key = _key(proposal, kind)
    proposal_id = proposal.pk
    transaction.on_commit(
        lambda: send_proposal_mail.enqueue(proposal_id=proposal_id, kind=kind, key=key)
    )


def render_and_send(*, to: list[str], template: str, context: dict, language: str) -> None:
    """Render TEMPLATE's subject, text and HTML parts in LANGUAGE and send them to TO."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_proposal_mail(*, proposal_id: int, kind: str, key: str) -> bool:
    """Send the applicant (and the contact person they named) the mail of KIND. Returns
    False when it was already sent or the proposal is gone."""
    from .models import MailSent, Proposal

    with transaction.atomic():
        proposal = (
            Proposal.objects.select_related("call", "applicant")
            .prefetch_related("partners")
            .filter(pk=proposal_id)
            .first()
        )
        if proposal is None or MailSent.objects.filter(key=key).exists():
            return False
        try:
            with transaction.atomic():
                MailSent.objects.create(proposal=proposal, key=key)
        except IntegrityError:  # another run got here first
            return False
        to = [proposal.applicant.email]
        if proposal.contact_email and proposal.contact_email.lower() != to[0].lower():
            to.append(proposal.contact_email)
        site_url = settings.SITE_URL.rstrip("/")
        context = {
            "proposal": proposal,
            "call": proposal.call,
            "partners": list(proposal.partners.all()),
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Connective Cities"),
            "site_url": site_url,
            "proposal_url": f"{site_url}/calls/{proposal.call.slug}/my-proposal/",
        }
        render_and_send(
            to=to,
            template=f"calls/email/{kind}",
            context=context,
            language=_language_of(proposal.applicant),
        )
    return True
