"""A member's profile page and the expert directory (URLs under /members/). They live in the
hubs app because both show a member's hubs and decide visibility by the hubs people share
(see `hubs.selectors.people`)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..forms import ExpertFilterForm
from ..selectors import people

EXPERTS_PER_PAGE = 20


@login_required
@require_GET
def profile_detail(request, user_id):
    # NotFound (a profile the viewer may not see) becomes the 404 page in the middleware.
    profile = people.profile_for_viewer(viewer=request.user, user_id=user_id)
    return render(request, "hubs/people/profile_detail.html", {"profile": profile})


@login_required
@require_GET
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "text": data["q"],
            "theme": data["theme"],
            "hub": data["hub"],
            "country": data["country"],
            "language": data["language"],
        }
    experts = people.experts_visible_to(request.user, **filters)
    page = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hubs/people/expert_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
