"""Reads for topic calls: which calls are open, whose proposal is whose, who reviews, and which
scores a person may see (a reviewer sees the others' scores of a proposal only once their own
review of it is submitted)."""

from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Prefetch
from django.utils import timezone

from core.exceptions import NotFound
from members import selectors as member_selectors

from .models import Proposal, Requirement, Review, Score, TopicCall

MANAGE_PERMISSION = "calls.change_topiccall"


def user_may_apply(user) -> bool:
    """A logged-in, active member whose consent to the current policies is on record."""
    if not user.is_authenticated or not user.is_active:
        return False
    return member_selectors.consent_is_current(user)


def user_manages_calls(user) -> bool:
    """Editors: whoever may change topic calls in the Wagtail admin (the Editors group)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_PERMISSION))


def user_is_reviewer(*, user, call) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return call.reviewers.filter(pk=user.pk).exists()


def user_may_see_reviews(*, user, call) -> bool:
    """The review pages and the export: the call's reviewers and the editors."""
    return user_is_reviewer(user=user, call=call) or user_manages_calls(user)


def calls_listing(*, now=None) -> dict:
    """{"open": [...], "upcoming": [...], "past": [...]} by the calls' own deadlines."""
    now = now or timezone.now()
    listing = {"open": [], "upcoming": [], "past": []}
    for call in TopicCall.objects.all():
        if call.is_open(at=now):
            listing["open"].append(call)
        elif call.is_past(at=now):
            listing["past"].append(call)
        else:
            listing["upcoming"].append(call)
    return listing


def call_by_slug(slug: str) -> TopicCall:
    call = TopicCall.objects.filter(slug=slug).prefetch_related("requirements").first()
    if call is None:
        raise NotFound()
    return call


def proposal_of(*, call, user) -> Proposal | None:
    if not user.is_authenticated:
        return None
    return Proposal.objects.filter(call=call, applicant=user).prefetch_related("partners").first()


def proposal_for_letter(*, call, user, proposal_id: int) -> Proposal:
    """The proposal whose backing letter USER asks for: their own, or a submitted one of a
    call they review or manage. Anyone else is told it does not exist."""
    proposal = Proposal.objects.filter(call=call, pk=proposal_id).first()
    if proposal is None or not user.is_authenticated:
        raise NotFound()
    if proposal.applicant_id == user.pk:
        return proposal
    if proposal.status == Proposal.Status.SUBMITTED and user_may_see_reviews(user=user, call=call):
        return proposal
    raise NotFound()


def proposal_for_review(*, call, proposal_id: int) -> Proposal:
    """A submitted proposal of CALL (drafts and withdrawn ones are the applicant's alone)."""
    proposal = (
        Proposal.objects.filter(call=call, pk=proposal_id, status=Proposal.Status.SUBMITTED)
        .select_related("applicant")
        .prefetch_related("partners")
        .first()
    )
    if proposal is None:
        raise NotFound()
    return proposal


def review_of(*, proposal, reviewer) -> Review | None:
    return Review.objects.filter(proposal=proposal, reviewer=reviewer).first()


def scores_visible_to(*, user, proposal, own_review=None) -> bool:
    """Editors see every score; a reviewer only after submitting their own (scored) review."""
    if user_manages_calls(user):
        return True
    if own_review is None:
        own_review = review_of(proposal=proposal, reviewer=user)
    return bool(own_review and own_review.submitted_at and not own_review.conflict_of_interest)


@dataclass
class ProposalRow:
    """A proposal on the review list, with what the viewer may see of its scores."""

    proposal: Proposal
    own_review: Review | None
    visible: bool
    reviews: list = field(default_factory=list)  # submitted reviews, if visible
    average: float | None = None
    by_requirement: dict = field(default_factory=dict)  # requirement id -> average

    @property
    def own_state(self) -> str:
        if self.own_review is None or self.own_review.submitted_at is None:
            return "todo"
        return "conflict" if self.own_review.conflict_of_interest else "done"


def _averages(reviews):
    values = [score.value for review in reviews for score in review.scores.all()]
    per = {}
    for review in reviews:
        for score in review.scores.all():
            per.setdefault(score.requirement_id, []).append(score.value)
    return (
        round(mean(values), 2) if values else None,
        {key: round(mean(items), 2) for key, items in per.items()},
    )


def review_rows(*, call, user, params=None) -> list[ProposalRow]:
    """The call's submitted proposals for USER's review list, filtered by PARAMS
    (decision=, state=todo|done|conflict, theme=, country=), with the scores USER may see."""
    params = params or {}
    submitted_reviews = (
        Review.objects.filter(submitted_at__isnull=False)
        .select_related("reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("requirement__sort_order"))
        )
    )
    proposals = (
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
        .select_related("applicant")
        .prefetch_related(
            "partners", Prefetch("reviews", queryset=submitted_reviews, to_attr="done_reviews")
        )
        .order_by("organisation", "pk")
    )
    decision = params.get("decision")
    if decision in {choice for choice, _ in Proposal.Decision.choices if choice} | {"none"}:
        proposals = proposals.filter(decision="" if decision == "none" else decision)
    if params.get("country"):
        proposals = proposals.filter(country=params["country"].upper()[:2])
    own = {
        review.proposal_id: review
        for review in Review.objects.filter(proposal__call=call, reviewer=user)
    }
    manages = user_manages_calls(user)
    rows = []
    for proposal in proposals:
        theme = params.get("theme")
        if theme and theme not in proposal.thematic_fields:
            continue
        own_review = own.get(proposal.pk)
        visible = manages or bool(
            own_review and own_review.submitted_at and not own_review.conflict_of_interest
        )
        row = ProposalRow(proposal=proposal, own_review=own_review, visible=visible)
        if params.get("state") in {"todo", "done", "conflict"} and row.own_state != params["state"]:
            continue
        if visible:
            row.reviews = [r for r in proposal.done_reviews if not r.conflict_of_interest]
            row.average, row.by_requirement = _averages(row.reviews)
        rows.append(row)
    return rows


def requirement_averages(rows: list[ProposalRow], requirements) -> dict:
    """Requirement id -> the average over every score the viewer may see."""
    per = {}
    for row in rows:
        for review in row.reviews:
            for score in review.scores.all():
                per.setdefault(score.requirement_id, []).append(score.value)
    return {
        req.pk: (round(mean(per[req.pk]), 2) if per.get(req.pk) else None) for req in requirements
    }


def requirements_of(call):
    return list(Requirement.objects.filter(call=call).order_by("sort_order", "pk"))


def learning_process_seed(proposal_id: int) -> dict | None:
    """What an accepted proposal gives a draft learning process, as plain data (for the
    receiver of `proposal_accepted`): host, topic, thematic fields, partners, texts."""
    proposal = (
        Proposal.objects.filter(pk=proposal_id, decision=Proposal.Decision.ACCEPTED)
        .select_related("call")
        .prefetch_related("partners")
        .first()
    )
    if proposal is None:
        return None
    return {
        "proposal_id": proposal.pk,
        "call": proposal.call.slug,
        "year": proposal.call.year,
        "title": proposal.topic_title,
        "topic": proposal.topic_title,
        "thematic_fields": list(proposal.thematic_fields),
        "host_name": proposal.organisation,
        "host_country": str(proposal.country),
        "description": proposal.background,
        "goals": "\n\n".join(part for part in (proposal.learning, proposal.further_goals) if part),
        "partners": [
            {"name": partner.name, "country": str(partner.country)}
            for partner in proposal.partners.all()
        ],
    }
