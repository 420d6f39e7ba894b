"""What the good practices hold about a person, for the data export and account deletion
(registered from `GoodPracticesConfig.ready`)."""

from . import selectors
from .models import GoodPracticePage, Proposal


def export_proposals(user):
    return [
        {
            "title": status.proposal.title,
            "proposed": status.proposal.created.isoformat(),
            "status": status.code,
            "reviewer_comment": status.comment,
            "url": status.url,
        }
        for status in selectors.proposal_statuses_of(user)
    ]


def erase_proposals(user):
    # The practice stays (it is the network's content); the link to its proposer goes.
    Proposal.objects.filter(proposer=user).delete()


def export_contacts(user):
    return [
        {"title": page.title, "url": page.url or ""}
        for page in GoodPracticePage.objects.filter(contact_person=user).order_by("pk")
    ]


def erase_contacts(user):
    GoodPracticePage.objects.filter(contact_person=user).update(contact_person=None)


def register() -> None:
    from core import personal_data

    personal_data.register(
        "practice_proposals",
        export=export_proposals,
        erase=erase_proposals,
        models=("goodpractices.Proposal",),
    )
    personal_data.register(
        "practice_contacts",
        export=export_contacts,
        erase=erase_contacts,
        models=("goodpractices.GoodPracticePage",),
    )
