"""Mail to applicants, sent by a background task (django-tasks).

The task loads the proposal by id, renders `calls/email/<kind>_subject.txt`, `.txt` and
`.html` in the applicant's preferred language with `core.mail`, and sends one multipart
message. It records the mail as sent (by a key naming the proposal,
the kind and the moment of the submission or decision) in the transaction that sends it, so a
second run of the same task sends nothing.
"""

from django.db import IntegrityError, transaction
from django_tasks import task

from core.mail import absolute_url, mail_deliver, mail_render, recipient_language

KINDS = {"submitted", "decision_accepted", "decision_declined", "decision_reserve"}


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
        context = {
            "proposal": proposal,
            "call": proposal.call,
            "partners": list(proposal.partners.all()),
            "proposal_url": absolute_url(f"/calls/{proposal.call.slug}/my-proposal/"),
        }
        message = mail_render(
            to=to,
            template=f"calls/email/{kind}",
            context=context,
            language=recipient_language(proposal.applicant),
        )
        mail_deliver(message)
    return True
