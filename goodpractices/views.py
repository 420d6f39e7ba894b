from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exceptions import ActionError, http_status

from . import selectors, services
from .forms import ProposalForm


@login_required
def propose(request):
    """A member proposes a good practice: a guided form that becomes a draft in review."""
    if not services.user_may_propose(request.user):
        return render(request, "goodpractices/propose_refused.html", status=403)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_submit(
                    proposer=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    city=data["city"],
                    country=data["country"],
                    region=data["region"],
                    themes=data["themes"],
                    sdgs=data["sdgs"],
                    period=data["period"],
                    partners=data["partners"],
                    challenge=data["challenge"],
                    approach=data["approach"],
                    results=data["results"],
                    lessons=data["lessons"],
                    organisation=data["organisation"],
                    list_me_as_contact=data["list_me_as_contact"],
                    image_file=data["image"],
                    image_alt=data["image_alt"],
                    document_file=data["document"],
                )
            except ActionError as error:
                form.add_error(None, error.message)
                status = http_status(error)
            else:
                messages.success(
                    request,
                    _("Thank you! Your practice is now with the reviewers; we will write to you."),
                )
                return redirect("goodpractices:proposals")
        else:
            status = 400
    else:
        form = ProposalForm()
    return render(request, "goodpractices/propose.html", {"form": form}, status=status)


@login_required
def proposals(request):
    """The proposer's own proposals and where each stands."""
    return render(
        request,
        "goodpractices/proposals.html",
        {"statuses": selectors.proposal_statuses_of(request.user)},
    )
