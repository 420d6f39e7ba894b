"""The hubs list, a hub's page, its members list, joining and leaving."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ActionError

from .. import selectors, services
from ..forms import JoinForm
from ..models import Membership
from .common import back, forbidden, login_then, refuse, refuse_form
from .threads import thread_section_context

MEMBERS_PER_PAGE = 50


@require_GET
def hub_list(request):
    hubs = list(selectors.hubs_list())
    mine = selectors.memberships_by_hub(user=request.user)
    for hub in hubs:
        hub.visitor_membership = mine.get(hub.pk)
    return render(request, "hubs/hub_list.html", {"hubs": hubs})


@require_GET
def hub_detail(request, slug):
    hub = selectors.hub_get(slug=slug)
    access = selectors.hub_access(user=request.user, hub=hub)
    return render(
        request,
        "hubs/hub_detail.html",
        {
            "hub": hub,
            "access": access,
            "membership": access.membership,
            "State": Membership.State,
            "coordinators": list(selectors.hub_coordinators(hub=hub)),
            "member_count": selectors.hub_member_count(hub=hub),
            "join_form": JoinForm(),
            **thread_section_context(request, hub),
        },
    )


@require_GET
def hub_members(request, slug):
    hub = selectors.hub_get(slug=slug)
    if not request.user.is_authenticated:
        return login_then(request.get_full_path())
    access = selectors.hub_access(user=request.user, hub=hub)
    if not access.can_view_members:
        return forbidden(request, _("Only the members of this hub see its members."), hub=hub)
    page = Paginator(selectors.hub_members(hub=hub), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "hubs/hub_members.html", {"hub": hub, "access": access, "page": page})


@require_POST
def hub_join(request, slug):
    hub = selectors.hub_get(slug=slug)
    hub_url = reverse("hubs:detail", args=[hub.slug])
    if not request.user.is_authenticated:
        return login_then(hub_url)
    form = JoinForm(request.POST)
    if not form.is_valid():
        return refuse_form(request, form, hub=hub)
    try:
        membership = services.membership_request(
            hub=hub, user=request.user, message=form.cleaned_data["message"]
        )
    except ActionError as error:
        return refuse(request, error, hub=hub)
    if membership.is_active:
        messages.success(request, _("Welcome to %(hub)s!") % {"hub": hub.name})
    else:
        messages.success(
            request,
            _("Your request to join %(hub)s is waiting for a coordinator's approval.")
            % {"hub": hub.name},
        )
    return back(request, default=hub_url)


@require_POST
def hub_leave(request, slug):
    hub = selectors.hub_get(slug=slug)
    hub_url = reverse("hubs:detail", args=[hub.slug])
    if not request.user.is_authenticated:
        return login_then(hub_url)
    try:
        services.membership_leave(hub=hub, user=request.user)
    except ActionError as error:
        return refuse(request, error, hub=hub)
    messages.success(request, _("You have left %(hub)s.") % {"hub": hub.name})
    return back(request, default=hub_url)
