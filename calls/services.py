"""Topic-call writes: drafting, submitting and withdrawing a proposal, reviewing it, deciding
it, and assigning reviewers. Every rule of the call is checked here, whatever the form or the
browser showed: after the deadline (in the call's time zone) nothing of a proposal changes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import ActionError

from . import mail, selectors
from .countries import is_oda_eligible
from .models import LETTER_MAX_BYTES, LIMITS, MAX_PARTNERS, Partner, Proposal, Review, Score
from .signals import proposal_accepted

# The proposal's own fields that the form edits (partners and the letter come separately).
CONTENT_FIELDS = [
    "organisation",
    "organisation_kind",
    "country",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "topic_title",
    "thematic_fields",
    "background",
    "learning",
    "knowledge_transfer",
    "further_goals",
    "backing_confirmed",
    "follow_up_willing",
]
REQUIRED_TO_SUBMIT = [
    "organisation",
    "organisation_kind",
    "country",
    "contact_name",
    "contact_role",
    "contact_email",
    "topic_title",
    "thematic_fields",
    "background",
    "learning",
    "knowledge_transfer",
]


# Rules of the call ------------------------------------------------------------


def partner_problems(*, partners, applicant_country) -> list[str]:
    """What keeps the partner list from meeting the call: municipalities from at least two
    countries other than the applicant's, at least one of them on the ODA list."""
    applicant_country = str(applicant_country or "").upper()
    countries = {str(country).upper() for _name, country in partners if country}
    others = countries - {applicant_country}
    problems = []
    if len(partners) > MAX_PARTNERS:
        problems.append(
            ngettext(
                "Propose at most %(count)d partner municipality.",
                "Propose at most %(count)d partner municipalities.",
                MAX_PARTNERS,
            )
            % {"count": MAX_PARTNERS}
        )
    if countries and not others:
        problems.append(
            _("Your own country cannot be the only partner country: propose partners abroad.")
        )
    elif len(others) < 2:
        problems.append(
            _("Propose partner municipalities from at least two countries other than your own.")
        )
    if not any(is_oda_eligible(country) for country in others):
        problems.append(
            _(
                "At least one partner country must be from the Global South (on the OECD DAC "
                "List of ODA Recipients)."
            )
        )
    return problems


def submission_problems(*, data: dict, partners) -> dict[str, list[str]]:
    """{field: [messages]} of what a proposal lacks before it can be submitted ("partners"
    for the partner list); empty when it is complete."""
    problems: dict[str, list[str]] = {}
    for name in REQUIRED_TO_SUBMIT:
        if not data.get(name):
            problems[name] = [_("This field is required to submit the proposal.")]
    if not data.get("backing_confirmed"):
        problems["backing_confirmed"] = [
            _("The call asks for the backing of your municipality's decision makers.")
        ]
    partner_list = partner_problems(partners=partners, applicant_country=data.get("country"))
    if partner_list:
        problems["partners"] = partner_list
    return problems


def length_problems(data: dict) -> dict[str, list[str]]:
    problems = {}
    for name, limit in LIMITS.items():
        if len(data.get(name) or "") > limit:
            problems[name] = [
                _("At most %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(data[name])}
            ]
    return problems


def letter_problem(upload) -> str | None:
    """Why UPLOAD is not an acceptable backing letter, or None: a PDF (by its first bytes,
    not its name) of at most LETTER_MAX_BYTES."""
    if upload.size > LETTER_MAX_BYTES:
        return _("The letter may be at most %(size)d MB.") % {"size": LETTER_MAX_BYTES // 2**20}
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
        return _("The letter must be a PDF file.")
    return None


def _locked_proposal(proposal) -> Proposal:
    """The proposal row, locked; the call is read along but not locked, so decisions on two
    proposals of one call never wait for each other."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("call")
    return locked.get(pk=proposal.pk)


def _refuse_unless_open(call, now):
    if now < call.opens_at:
        raise ActionError(_("This call is not open yet."), code="locked")
    if now > call.deadline:
        raise ActionError(
            _("The deadline of this call has passed: proposals can no longer be changed."),
            code="locked",
        )


def _refuse_unless_applicant(proposal, user):
    if proposal.applicant_id != user.pk:
        raise ActionError(_("This is not your proposal."), code="forbidden")


# The applicant ------------------------------------------------------------------


@transaction.atomic
def proposal_save(
    *,
    call,
    applicant,
    data: dict,
    partners: list[tuple[str, str]],
    letter=None,
    remove_letter: bool = False,
    now=None,
) -> Proposal:
    """Save APPLICANT's proposal for CALL as typed (created on first save). A draft may be
    incomplete; a submitted proposal stays submitted only if it is still complete (else the
    save is refused); a withdrawn one becomes a draft again."""
    now = now or timezone.now()
    if not selectors.user_may_apply(applicant):
        raise ActionError(_("Only members of the network can propose topics."), code="forbidden")
    _refuse_unless_open(call, now)
    problems = length_problems(data)
    if letter is not None and (problem := letter_problem(letter)):
        problems["backing_letter"] = [problem]
    if problems:
        raise ActionError(next(iter(problems.values()))[0], code="invalid")
    proposal = Proposal.objects.select_for_update().filter(
        call=call, applicant=applicant
    ).first() or Proposal(call=call, applicant=applicant)
    if proposal.status == Proposal.Status.SUBMITTED:
        if submission_problems(data=data, partners=partners):
            raise ActionError(
                _("A submitted proposal must stay complete; withdraw it to keep a draft."),
                code="invalid",
            )
    elif proposal.status == Proposal.Status.WITHDRAWN:
        proposal.status = Proposal.Status.DRAFT
    for name in CONTENT_FIELDS:
        value = data.get(name)
        if name in {"backing_confirmed", "follow_up_willing"}:
            value = bool(value)
        elif name == "thematic_fields":
            value = list(value or [])
        else:
            value = (value or "").strip() if isinstance(value, str) or value is None else value
        setattr(proposal, name, value)
    if remove_letter and proposal.backing_letter:
        proposal.backing_letter.delete(save=False)
        proposal.backing_letter = ""
    if letter is not None:
        if proposal.backing_letter:
            proposal.backing_letter.delete(save=False)
        if proposal.pk is None:
            proposal.save()  # the letter's path names the proposal's call and applicant
        proposal.backing_letter.save("letter.pdf", letter, save=False)
    proposal.save()
    proposal.partners.all().delete()
    Partner.objects.bulk_create(
        Partner(proposal=proposal, name=name.strip(), country=country, position=index)
        for index, (name, country) in enumerate(partners)
        if name.strip() and country
    )
    if proposal.status == Proposal.Status.SUBMITTED:
        proposal.submitted_at = now
        proposal.save(update_fields=["submitted_at", "updated"])
        mail.proposal_mail_on_commit(proposal=proposal, kind="submitted")
    return proposal


@transaction.atomic
def proposal_submit(*, proposal, acting_user, now=None) -> Proposal:
    """Submit a complete draft (explicitly, before the deadline); the applicant gets a mail
    repeating what was submitted."""
    now = now or timezone.now()
    proposal = _locked_proposal(proposal)
    _refuse_unless_applicant(proposal, acting_user)
    _refuse_unless_open(proposal.call, now)
    if proposal.status == Proposal.Status.SUBMITTED:
        raise ActionError(_("This proposal is already submitted."), code="invalid")
    data = {name: getattr(proposal, name) for name in CONTENT_FIELDS}
    partners = [(p.name, str(p.country)) for p in proposal.partners.all()]
    if submission_problems(data=data, partners=partners):
        raise ActionError(_("The proposal is not complete yet."), code="invalid")
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = now
    proposal.save(update_fields=["status", "submitted_at", "updated"])
    mail.proposal_mail_on_commit(proposal=proposal, kind="submitted")
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal, acting_user, now=None) -> Proposal:
    """Withdraw a proposal before the deadline (it can be taken up again as a draft)."""
    now = now or timezone.now()
    proposal = _locked_proposal(proposal)
    _refuse_unless_applicant(proposal, acting_user)
    _refuse_unless_open(proposal.call, now)
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise ActionError(_("This proposal is already withdrawn."), code="invalid")
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated"])
    return proposal


# Reviewers ----------------------------------------------------------------------


def _refuse_unless_reviewable(proposal, now):
    if not proposal.call.is_past(at=now):
        raise ActionError(
            _("Proposals are reviewed after the deadline, when they can no longer change."),
            code="locked",
        )
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ActionError(_("Only submitted proposals are reviewed."), code="invalid")
    if proposal.decision:
        raise ActionError(
            _("This proposal has been decided: its reviews can no longer change."),
            code="locked",
        )


@transaction.atomic
def review_submit(
    *,
    proposal,
    reviewer,
    scores: dict[int, tuple[int, str]],
    comment: str = "",
    conflict_of_interest: bool = False,
    now=None,
) -> Review:
    """Record REVIEWER's review of PROPOSAL: a score of 1 to 5 with a comment for every
    requirement of the call, or a declared conflict of interest (and then no scores). The
    reviewer may change it until the proposal is decided."""
    now = now or timezone.now()
    proposal = _locked_proposal(proposal)
    call = proposal.call
    if not selectors.user_is_reviewer(user=reviewer, call=call):
        raise ActionError(_("You are not a reviewer of this call."), code="forbidden")
    _refuse_unless_reviewable(proposal, now)
    requirements = selectors.requirements_of(call)
    if not conflict_of_interest:
        missing = [req for req in requirements if req.pk not in scores]
        if missing:
            raise ActionError(_("Score every requirement."), code="invalid")
        if any(not 1 <= int(scores[req.pk][0]) <= 5 for req in requirements):
            raise ActionError(_("Scores go from 1 to 5."), code="invalid")
    review, _created = Review.objects.get_or_create(proposal=proposal, reviewer=reviewer)
    review.conflict_of_interest = conflict_of_interest
    review.comment = comment.strip()
    review.submitted_at = now
    review.save(update_fields=["conflict_of_interest", "comment", "submitted_at", "updated"])
    review.scores.all().delete()
    if not conflict_of_interest:
        Score.objects.bulk_create(
            Score(
                review=review,
                requirement=req,
                value=int(scores[req.pk][0]),
                comment=(scores[req.pk][1] or "").strip()[:1000],
            )
            for req in requirements
        )
    return review


@transaction.atomic
def call_reviewer_assign(*, call, user) -> bool:
    """Make USER a reviewer of CALL; False if they already were."""
    if call.reviewers.filter(pk=user.pk).exists():
        return False
    call.reviewers.add(user)
    return True


@transaction.atomic
def call_reviewer_remove(*, call, user) -> bool:
    """USER no longer reviews CALL (their submitted reviews stay); False if they did not."""
    if not call.reviewers.filter(pk=user.pk).exists():
        return False
    call.reviewers.remove(user)
    return True


# Decisions ---------------------------------------------------------------------


@transaction.atomic
def proposal_decide(*, proposal, decision: str, message: str = "", acting_user, now=None):
    """An editor decides a submitted proposal after the deadline: accepted, declined (with a
    message to the applicant) or kept on the reserve list. A proposal on the reserve list can
    still be accepted or declined; an accepted or declined one is final. The applicant is
    told by mail; an accepted proposal becomes a draft learning process."""
    now = now or timezone.now()
    if not selectors.user_manages_calls(acting_user):
        raise ActionError(_("Only editors decide on proposals."), code="forbidden")
    proposal = _locked_proposal(proposal)
    if not proposal.call.is_past(at=now):
        raise ActionError(_("Proposals are decided after the deadline."), code="locked")
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ActionError(_("Only submitted proposals are decided."), code="invalid")
    choices = {Proposal.Decision.ACCEPTED, Proposal.Decision.DECLINED, Proposal.Decision.RESERVE}
    if decision not in choices:
        raise ActionError(_("Choose accepted, declined or reserve list."), code="invalid")
    if proposal.decision in {Proposal.Decision.ACCEPTED, Proposal.Decision.DECLINED}:
        raise ActionError(_("This proposal has already been decided."), code="locked")
    if proposal.decision == decision:
        raise ActionError(_("This proposal is already on the reserve list."), code="invalid")
    message = message.strip()
    if decision == Proposal.Decision.DECLINED and not message:
        raise ActionError(_("Tell the applicant why, in a message."), code="invalid")
    proposal.decision = decision
    proposal.decision_message = message
    proposal.decided_at = now
    proposal.decided_by = acting_user
    proposal.save(
        update_fields=["decision", "decision_message", "decided_at", "decided_by", "updated"]
    )
    mail.proposal_mail_on_commit(proposal=proposal, kind=f"decision_{decision}")
    if decision == Proposal.Decision.ACCEPTED:
        proposal_accept(proposal=proposal)
    return proposal


def proposal_accept(*, proposal) -> None:
    """An accepted proposal becomes a draft learning process: the events app listens to
    `proposal_accepted` (its host, topic and partners come from the proposal)."""
    proposal_id = proposal.pk
    transaction.on_commit(
        lambda: proposal_accepted.send(sender=Proposal, proposal_id=proposal_id), robust=False
    )
