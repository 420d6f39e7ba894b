"""The coordinator dashboard `/hubs/<slug>/moderation/`: join requests, members,
suspensions, the reports queue and the moderation log.

Coordinators of the hub see it and act; staff see it read-only (oversight) and act only by
making someone a coordinator in the admin. Everyone else gets 403.
"""

import statistics

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.charts import bar_chart
from core.exceptions import ActionError

from .. import selectors, services
from ..forms import DecisionNoteForm, DecisionReasonForm
from ..models import Membership
from .common import back, forbidden, login_then, refuse, refuse_form

MEMBERS_PER_PAGE = 50
LOG_PER_PAGE = 50
LOG_ON_DASHBOARD = 10
State = Membership.State


def _viewer(request, slug):
    """(hub, access, refusal): refusal is a response when the visitor may not look."""
    hub = selectors.hub_get(slug=slug)
    if not request.user.is_authenticated:
        return hub, None, login_then(request.get_full_path())
    access = selectors.hub_access(user=request.user, hub=hub)
    if not access.can_view_moderation:
        return (
            hub,
            access,
            forbidden(
                request, _("Only this hub's coordinators see its moderation dashboard."), hub=hub
            ),
        )
    return hub, access, None


def _duration(hours: float) -> str:
    if hours < 48:
        whole = max(1, round(hours))
        return ngettext("%(count)d hour", "%(count)d hours", whole) % {"count": whole}
    days = round(hours / 24)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _activity_charts(hub) -> list[dict]:
    """The dashboard's four weekly charts, each with a title and a one-line summary that
    says in words what the bars show (also what a screen reader announces)."""
    activity = selectors.hub_activity(hub=hub)
    labels = [
        _("week of %(day)s") % {"day": date_format(week, "SHORT_DATE_FORMAT")}
        for week in activity.weeks
    ]
    charts = []
    for key, title, values in (
        ("members", _("New members per week"), activity.new_members),
        ("threads", _("Consultations started per week"), activity.threads),
        ("messages", _("Messages per week"), activity.messages),
    ):
        total, recent = sum(values), sum(values[-4:])
        charts.append(
            {
                "key": key,
                "title": title,
                "chart": bar_chart(values, labels=labels),
                "unit": "",
                "summary": _("%(total)d in the last year, %(recent)d in the last four weeks.")
                % {"total": total, "recent": recent},
            }
        )
    hours = [value for value in activity.first_reply_hours if value is not None]
    if hours:
        summary = _("Typically %(duration)s; the slowest week: %(slowest)s.") % {
            "duration": _duration(statistics.median(hours)),
            "slowest": _duration(max(hours)),
        }
    else:
        summary = _("No consultation was answered in the last year.")
    charts.append(
        {
            "key": "first-reply",
            "title": _("Median time to a first reply (hours), by the week a question was asked"),
            "chart": bar_chart(activity.first_reply_hours, labels=labels),
            "unit": " h",
            "summary": summary,
        }
    )
    return charts


@require_GET
def dashboard(request, slug):
    hub, access, refusal = _viewer(request, slug)
    if refusal:
        return refusal
    pending = list(selectors.pending_requests(hub=hub))
    for membership in pending:
        membership.profile_facts = selectors.applicant_profile(membership.user)
    members = Paginator(selectors.hub_members_for_moderation(hub=hub), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for membership in members:
        membership.can_be_suspended = selectors.membership_can_suspend(
            membership=membership, acting_user=request.user
        )
    return render(
        request,
        "hubs/moderation/dashboard.html",
        {
            "hub": hub,
            "access": access,
            "can_act": access.can_moderate,
            "pending": pending,
            "members": members,
            "log": selectors.moderation_log(hub=hub)[:LOG_ON_DASHBOARD],
            "charts": _activity_charts(hub),
            "unanswered": selectors.unanswered_threads(hub=hub),
            "State": State,
            "approve_form": DecisionNoteForm(),
            "reason_form": DecisionReasonForm(),
        },
    )


@require_GET
def log(request, slug):
    hub, _access, refusal = _viewer(request, slug)
    if refusal:
        return refusal
    page = Paginator(selectors.moderation_log(hub=hub), LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "hubs/moderation/log.html", {"hub": hub, "page": page})


def _decide(request, slug, pk, *, states, form_class, service, done):
    """The shape of every decision: log in, be this hub's coordinator, find the membership
    in this hub, validate, call the service, say what happened, go back."""
    hub = selectors.hub_get(slug=slug)
    dashboard_url = reverse("hubs:moderation", args=[hub.slug])
    if not request.user.is_authenticated:
        return login_then(dashboard_url)
    if not selectors.user_can_moderate(user=request.user, hub=hub):
        return forbidden(request, hub=hub)
    membership = selectors.membership_in_hub(hub=hub, pk=pk, states=states)
    form = form_class(request.POST)
    if not form.is_valid():
        return refuse_form(request, form, hub=hub)
    try:
        membership = service(
            membership=membership, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
    except ActionError as error:
        return refuse(request, error, hub=hub)
    messages.success(request, done % {"name": membership.user.name, "hub": hub.name})
    return back(request, default=dashboard_url)


# A request can be decided once: a second decision finds it (same hub) and is refused by the
# service with a clear message, rather than a 404.
REQUEST_STATES = [State.REQUESTED, State.ACTIVE, State.REJECTED]


@require_POST
def approve(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        states=REQUEST_STATES,
        form_class=DecisionNoteForm,
        service=services.membership_approve,
        done=_("%(name)s is now a member of %(hub)s."),
    )


@require_POST
def reject(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        states=REQUEST_STATES,
        form_class=DecisionReasonForm,
        service=services.membership_reject,
        done=_("The request of %(name)s was declined; they have been told why."),
    )


@require_POST
def suspend(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        states=[State.ACTIVE, State.SUSPENDED],
        form_class=DecisionReasonForm,
        service=services.membership_suspend,
        done=_("%(name)s is suspended from %(hub)s."),
    )


@require_POST
def reinstate(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        states=[State.ACTIVE, State.SUSPENDED],
        form_class=DecisionNoteForm,
        service=services.membership_reinstate,
        done=_("%(name)s is a member of %(hub)s again."),
    )
