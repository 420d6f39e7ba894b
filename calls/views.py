"""Pages of the topic calls: the calls, the proposal form, one's own proposal, the reviewers'
list and review page, the export, and the backing letter. Thin: the rules are in services and
selectors; refusals raise ActionError (core.middleware turns them into 4xx pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ActionError, NotFound

from . import exports, selectors, services
from .forms import DecisionForm, PartnerFormSet, ProposalForm, ReviewForm, partner_rows
from .models import Proposal


@require_GET
def call_list(request):
    """Open calls first, then upcoming and past ones."""
    return render(request, "calls/call_list.html", selectors.calls_listing())


@require_GET
def call_detail(request, slug):
    call = selectors.call_by_slug(slug)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "requirements": selectors.requirements_of(call),
            "is_open": call.is_open(),
            "is_past": call.is_past(),
            "proposal": selectors.proposal_of(call=call, user=request.user),
            "may_review": selectors.user_may_see_reviews(user=request.user, call=call),
        },
    )


def _require_applicant(request):
    if not selectors.user_may_apply(request.user):
        raise ActionError(_("Only members of the network can propose topics."), code="forbidden")


def _initial_partners(proposal):
    if proposal is None:
        return []
    return [{"name": p.name, "country": p.country.code} for p in proposal.partners.all()]


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    """Draft, save and submit one's proposal while the call is open; closed after the
    deadline, whatever the browser posts."""
    call = selectors.call_by_slug(slug)
    _require_applicant(request)
    proposal = selectors.proposal_of(call=call, user=request.user)
    if not call.is_open():
        if request.method == "POST":
            raise ActionError(
                _("The deadline of this call has passed: proposals can no longer be changed.")
                if call.is_past()
                else _("This call is not open yet."),
                code="locked",
            )
        if proposal is not None:
            return redirect("calls:my_proposal", slug=call.slug)
        return redirect("calls:detail", slug=call.slug)
    submitted = proposal is not None and proposal.status == Proposal.Status.SUBMITTED
    if request.method == "POST":
        action = request.POST.get("action", "save")
        formset = PartnerFormSet(request.POST, prefix="partners")
        partners = partner_rows(formset) if formset.is_valid() else []
        form = ProposalForm(
            request.POST,
            request.FILES,
            instance=proposal,
            submitting=action == "submit" or submitted,
            partners=partners,
        )
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            upload = data.get("backing_letter")
            try:
                saved = services.proposal_save(
                    call=call,
                    applicant=request.user,
                    data=data,
                    partners=partners,
                    letter=upload if hasattr(upload, "content_type") else None,
                    remove_letter=data.get("remove_letter", False),
                )
                if action == "submit" and saved.status != Proposal.Status.SUBMITTED:
                    services.proposal_submit(proposal=saved, acting_user=request.user)
                    messages.success(
                        request, _("Your proposal is submitted. We have sent you a confirmation.")
                    )
                    return redirect("calls:my_proposal", slug=call.slug)
            except ActionError as error:
                if error.code == "locked":
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your changes are saved and the proposal stays submitted.")
                    if submitted
                    else _("Your draft is saved. You can come back to it until the deadline."),
                )
                return redirect("calls:apply", slug=call.slug)
    else:
        form = ProposalForm(instance=proposal)
        if proposal is None:
            form.initial.update(_initial_from_profile(request.user))
        formset = PartnerFormSet(prefix="partners", initial=_initial_partners(proposal))
    return render(
        request,
        "calls/apply.html",
        {
            "call": call,
            "form": form,
            "formset": formset,
            "proposal": proposal,
            "submitted": submitted,
        },
        status=400 if form.errors or formset.errors or formset.non_form_errors() else 200,
    )


def _initial_from_profile(user):
    profile = getattr(user, "profile", None)
    initial = {"contact_name": user.name, "contact_email": user.email}
    if profile is not None:
        initial.update(
            organisation=profile.organisation,
            country=profile.country.code if profile.country else "",
            contact_role=profile.position,
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def my_proposal(request, slug):
    """One's proposal, read-only, with its state and the decision; POST action=withdraw."""
    call = selectors.call_by_slug(slug)
    proposal = selectors.proposal_of(call=call, user=request.user)
    if request.method == "POST":
        if proposal is None or request.POST.get("action") != "withdraw":
            raise ActionError(_("There is nothing to withdraw."), code="invalid")
        services.proposal_withdraw(proposal=proposal, acting_user=request.user)
        messages.success(request, _("Your proposal is withdrawn."))
        return redirect("calls:my_proposal", slug=call.slug)
    return render(
        request,
        "calls/my_proposal.html",
        {
            "call": call,
            "proposal": proposal,
            "is_open": call.is_open(),
            "letter_url": _letter_url(call, proposal),
        },
    )


def _letter_url(call, proposal):
    if proposal is None or not proposal.backing_letter:
        return ""
    return reverse("calls:letter", kwargs={"slug": call.slug, "proposal_id": proposal.pk})


@login_required
@require_GET
def letter(request, slug, proposal_id):
    """The backing letter, for the applicant and the call's reviewers and editors only; for
    anyone else the proposal does not exist."""
    call = selectors.call_by_slug(slug)
    proposal = selectors.proposal_for_letter(call=call, user=request.user, proposal_id=proposal_id)
    if not proposal.backing_letter:
        raise NotFound()
    response = FileResponse(
        proposal.backing_letter.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"letter-{proposal.pk}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _require_review_access(request, call):
    if not selectors.user_may_see_reviews(user=request.user, call=call):
        raise PermissionDenied


_FILTERS = ("decision", "state", "theme", "country")


@login_required
@require_GET
def review_list(request, slug):
    call = selectors.call_by_slug(slug)
    _require_review_access(request, call)
    params = {key: request.GET.get(key, "") for key in _FILTERS}
    rows = selectors.review_rows(call=call, user=request.user, params=params)
    requirements = selectors.requirements_of(call)
    averages = selectors.requirement_averages(rows, requirements)
    return render(
        request,
        "calls/review_list.html",
        {
            "call": call,
            "rows": rows,
            "requirements": [(req, averages.get(req.pk)) for req in requirements],
            "params": params,
            "decisions": [c for c in Proposal.Decision.choices if c[0]],
            "is_reviewer": selectors.user_is_reviewer(user=request.user, call=call),
            "manages": selectors.user_manages_calls(request.user),
            "deadline_passed": call.is_past(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, slug, proposal_id):
    """A proposal for its reviewers: the reviewer's own scores (the others' once submitted),
    and the editors' decision."""
    call = selectors.call_by_slug(slug)
    _require_review_access(request, call)
    proposal = selectors.proposal_for_review(call=call, proposal_id=proposal_id)
    requirements = selectors.requirements_of(call)
    is_reviewer = selectors.user_is_reviewer(user=request.user, call=call)
    manages = selectors.user_manages_calls(request.user)
    own = selectors.review_of(proposal=proposal, reviewer=request.user)
    review_form = decision_form = None
    status = 200
    if is_reviewer:
        review_form = ReviewForm(requirements=requirements, initial=_review_initial(own))
    if manages:
        decision_form = DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "review":
            if not is_reviewer:
                raise PermissionDenied
            review_form = ReviewForm(request.POST, requirements=requirements)
            if review_form.is_valid():
                try:
                    services.review_submit(
                        proposal=proposal,
                        reviewer=request.user,
                        scores=review_form.scores(),
                        comment=review_form.cleaned_data["comment"],
                        conflict_of_interest=review_form.cleaned_data["conflict_of_interest"],
                    )
                except ActionError as error:
                    if error.code in {"locked", "forbidden"}:
                        raise
                    review_form.add_error(None, error.message)
                else:
                    messages.success(request, _("Your review is saved."))
                    return redirect(request.path)
        elif action == "decide":
            if not manages:
                raise PermissionDenied
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                try:
                    services.proposal_decide(
                        proposal=proposal,
                        decision=decision_form.cleaned_data["decision"],
                        message=decision_form.cleaned_data["message"],
                        acting_user=request.user,
                    )
                except ActionError as error:
                    if error.code in {"locked", "forbidden"}:
                        raise
                    decision_form.add_error(None, error.message)
                else:
                    messages.success(request, _("The decision is recorded; the applicant is told."))
                    return redirect(request.path)
        else:
            raise ActionError(_("Unknown action."), code="invalid")
        status = 400
    visible = selectors.scores_visible_to(user=request.user, proposal=proposal, own_review=own)
    others = []
    if visible:
        others = [
            review
            for review in proposal.reviews.filter(submitted_at__isnull=False)
            .select_related("reviewer")
            .prefetch_related("scores")
            if review.reviewer_id != request.user.pk
        ]
    return render(
        request,
        "calls/review_detail.html",
        {
            "call": call,
            "proposal": proposal,
            "requirements": requirements,
            "own": own,
            "review_form": review_form,
            "decision_form": decision_form,
            "visible": visible,
            "others": [(review, _scores_by_requirement(review, requirements)) for review in others],
            "reviewable": call.is_past() and not proposal.decision,
            "decidable": call.is_past()
            and proposal.decision not in {Proposal.Decision.ACCEPTED, Proposal.Decision.DECLINED},
            "letter_url": _letter_url(call, proposal),
        },
        status=status,
    )


def _scores_by_requirement(review, requirements):
    scores = {score.requirement_id: score for score in review.scores.all()}
    return [(req, scores.get(req.pk)) for req in requirements]


def _review_initial(review):
    if review is None:
        return {}
    initial = {"conflict_of_interest": review.conflict_of_interest, "comment": review.comment}
    for score in review.scores.all():
        initial[f"score_{score.requirement_id}"] = str(score.value)
        initial[f"comment_{score.requirement_id}"] = score.comment
    return initial


@login_required
@require_GET
def export_csv(request, slug):
    call = selectors.call_by_slug(slug)
    _require_review_access(request, call)
    response = HttpResponse(
        exports.as_csv(call=call, user=request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_xlsx(request, slug):
    call = selectors.call_by_slug(slug)
    _require_review_access(request, call)
    response = HttpResponse(
        exports.as_xlsx(call=call, user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
