"""What the calls app holds about a person: their proposals (with the contact person they
named), their reviews, and the calls they review. Registered from `CallsConfig.ready`.
Deletion: proposals and reviews go with the account (foreign keys CASCADE); a decision keeps
its text, the deciding editor is unlinked (SET_NULL)."""

from core import personal_data


def _iso(value):
    return value.isoformat() if value else None


def export_calls(user):
    from .models import Proposal, Review, TopicCall

    proposals = Proposal.objects.filter(applicant=user).select_related("call")
    reviews = Review.objects.filter(reviewer=user).select_related("proposal__call")
    return {
        "proposals": [
            {
                "call": proposal.call.slug,
                "status": proposal.status,
                "organisation": proposal.organisation,
                "country": str(proposal.country),
                "contact_name": proposal.contact_name,
                "contact_role": proposal.contact_role,
                "contact_email": proposal.contact_email,
                "contact_phone": proposal.contact_phone,
                "topic_title": proposal.topic_title,
                "background": proposal.background,
                "learning": proposal.learning,
                "knowledge_transfer": proposal.knowledge_transfer,
                "further_goals": proposal.further_goals,
                "partners": [
                    {"name": partner.name, "country": str(partner.country)}
                    for partner in proposal.partners.all()
                ],
                "has_backing_letter": bool(proposal.backing_letter),
                "submitted_at": _iso(proposal.submitted_at),
                "decision": proposal.decision,
                "decision_message": proposal.decision_message,
            }
            for proposal in proposals
        ],
        "reviews": [
            {
                "call": review.proposal.call.slug,
                "proposal": review.proposal_id,
                "conflict_of_interest": review.conflict_of_interest,
                "comment": review.comment,
                "scores": [
                    {"requirement": score.requirement_id, "value": score.value}
                    for score in review.scores.all()
                ],
                "submitted_at": _iso(review.submitted_at),
            }
            for review in reviews
        ],
        "reviewer_of": sorted(
            TopicCall.objects.filter(reviewers=user).values_list("slug", flat=True)
        ),
    }


def erase_calls(user):
    """Letters are files, not rows: remove them before the rows go with the account."""
    from .models import Proposal

    for proposal in Proposal.objects.filter(applicant=user).exclude(backing_letter=""):
        proposal.backing_letter.delete(save=False)


def register():
    personal_data.register(
        "calls",
        export=export_calls,
        erase=erase_calls,
        models=("calls.Proposal", "calls.Review", "calls.TopicCall", "calls.TopicCall_reviewers"),
    )
