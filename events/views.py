"""The event pages: the calendar, one event, registering and cancelling, the organisers'
participant list and decisions, creating, proposing, changing and documenting events, the
calendar files, and the learning processes. Views are thin: selectors decide who sees what,
services do the writes; a refused action shows its message and changes nothing."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ActionError, http_status
from goodpractices.models import GoodPracticePage
from hubs import selectors as hub_selectors
from hubs.models import Thread

from . import ics, selectors, services
from .forms import (
    DocumentationForm,
    EventForm,
    ProposeForm,
    ReasonForm,
    RegistrationForm,
)
from .models import Event, Registration

PER_PAGE = 20


def _refuse(request, error: ActionError, *, back=""):
    return render(
        request,
        "core/action_error.html",
        {"message": error.message, "back": back or reverse("events:calendar")},
        status=http_status(error),
    )


def _login(request, path=None):
    return redirect_to_login(path or request.get_full_path())


def _viewer_context(request) -> dict:
    return {"viewer_tz": selectors.viewer_time_zone(request.user)}


# The calendar and one event ------------------------------------------------------------


@require_GET
def calendar(request):
    past = request.GET.get("tab") == "past"
    events, active = selectors.calendar(user=request.user, params=request.GET, past=past)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(active)
    return render(
        request,
        "events/calendar.html",
        {
            "page": page,
            "past": past,
            "active": active,
            "query": query,
            "hubs": hub_selectors.hubs_list(),
            "kinds": Event.Kind.choices,
            "themes": Event._meta.get_field("theme").choices,
            "languages": selectors.calendar_languages(),
            **_viewer_context(request),
        },
    )


@require_GET
def detail(request, pk):
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    access = selectors.event_access(user=request.user, event=event)
    now = timezone.now()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "access": access,
            "hubs": list(event.hubs.all()),
            "files": list(event.files.all()),
            "practices": list(event.practices.live()),
            "threads": selectors.threads_visible(user=request.user, threads=event.threads),
            "registration_form": RegistrationForm(),
            "reason_form": ReasonForm(),
            "places_left": selectors.places_left(event),
            "registration_open": selectors.registration_open(event, now=now),
            "is_past": event.ends_at < now,
            "has_started": event.starts_at <= now,
            **_viewer_context(request),
        },
    )


@require_POST
def register(request, pk):
    url = reverse("events:detail", args=[pk])
    if not request.user.is_authenticated:
        return _login(request, url)
    event = selectors.event_for_registration(pk=pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ActionError(_("Your answer is too long.")), back=url)
    try:
        registration = services.registration_create(
            event=event, user=request.user, motivation=form.cleaned_data["motivation"]
        )
    except ActionError as error:
        return _refuse(request, error, back=url)
    messages.success(
        request,
        {
            Registration.State.ACCEPTED: _("You are registered. See you there!"),
            Registration.State.PENDING: _(
                "Your registration is waiting for the organisers' decision."
            ),
            Registration.State.WAITLISTED: _(
                "All places are taken: you are on the waiting list and will hear from us "
                "if a place becomes free."
            ),
        }[registration.state],
    )
    return redirect(url)


@require_POST
def cancel(request, pk):
    url = reverse("events:detail", args=[pk])
    if not request.user.is_authenticated:
        return _login(request, url)
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    try:
        services.registration_cancel(event=event, user=request.user)
    except ActionError as error:
        return _refuse(request, error, back=url)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(url)


# Participants --------------------------------------------------------------------------


def _participant_access(request, pk):
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    access = selectors.event_access(user=request.user, event=event)
    return event, access


@require_GET
def participants(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    event, access = _participant_access(request, pk)
    if not access.can_see_participants:
        return _refuse(
            request,
            ActionError(
                _("Only the organisers and the accepted participants see who takes part."),
                code="forbidden",
            ),
            back=reverse("events:detail", args=[pk]),
        )
    registrations = selectors.participants(event=event, organiser=access.is_organiser)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "access": access,
            "registrations": registrations,
            "reason_form": ReasonForm(),
            "has_started": event.starts_at <= timezone.now(),
            "State": Registration.State,
            **_viewer_context(request),
        },
    )


@require_GET
def participants_csv(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    event, access = _participant_access(request, pk)
    if not access.can_export:
        return _refuse(
            request,
            ActionError(
                _("Only the organisers may download the participant list."), code="forbidden"
            ),
            back=reverse("events:detail", args=[pk]),
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-participants.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Organisation"),
            _("City"),
            _("Country"),
            _("State"),
            _("Registered"),
            _("Motivation"),
            _("Attended"),
        ]
    )
    for registration in selectors.participants(event=event, organiser=True):
        profile = getattr(registration.user, "profile", None)
        writer.writerow(
            [
                _safe_cell(registration.user.name),
                registration.user.email,
                _safe_cell(getattr(profile, "organisation", "")),
                _safe_cell(getattr(profile, "city", "")),
                str(profile.country.name) if profile and profile.country else "",
                registration.get_state_display(),
                registration.queued_at.isoformat(timespec="minutes"),
                _safe_cell(registration.motivation),
                {True: _("yes"), False: _("no"), None: ""}[registration.attended],
            ]
        )
    return response


def _safe_cell(value) -> str:
    """No spreadsheet formulas from what people typed (CSV injection)."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_POST
def registration_decide(request, pk, registration_id, action):
    url = reverse("events:participants", args=[pk])
    if not request.user.is_authenticated:
        return _login(request, url)
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    try:
        registration = selectors.registration_in_event(event=event, pk=registration_id)
        if action == "accept":
            services.registration_accept(registration=registration, acting_user=request.user)
            messages.success(request, _("Registration accepted."))
        elif action == "decline":
            services.registration_decline(
                registration=registration,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Registration declined."))
        else:
            services.registration_mark_attendance(
                registration=registration,
                acting_user=request.user,
                attended=request.POST.get("attended") == "yes",
            )
            messages.success(request, _("Attendance saved."))
    except ActionError as error:
        return _refuse(request, error, back=url)
    return redirect(url)


# Creating, proposing, changing ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def hub_event_new(request, slug):
    hub = hub_selectors.hub_get(slug=slug)
    if not request.user.is_authenticated:
        return _login(request)
    if not (
        hub_selectors.user_can_moderate(user=request.user, hub=hub)
        or selectors.user_is_editor(request.user)
    ):
        return _refuse(
            request,
            ActionError(_("Only this hub's coordinators may create its events."), code="forbidden"),
            back=reverse("hubs:detail", args=[hub.slug]),
        )
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(acting_user=request.user, hub=hub, data=form.event_data())
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is published."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "hub": hub, "heading": _("New event of %(hub)s") % {"hub": hub.name}},
    )


@require_http_methods(["GET", "POST"])
def propose(request):
    if not request.user.is_authenticated:
        return _login(request)
    hubs = selectors.hubs_of_member(request.user)
    if not hubs.exists():
        return _refuse(
            request,
            ActionError(
                _("Join a hub first: members propose events to their hub's coordinators."),
                code="forbidden",
            ),
            back=reverse("hubs:list"),
        )
    form = ProposeForm(request.POST or None, hubs=hubs)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_propose(
                user=request.user, hub=form.cleaned_data["hub"], data=form.event_data()
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Thank you! The hub's coordinators will decide on your proposal.")
            )
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "heading": _("Propose an event"),
            "intro": _(
                "Members may initiate events of their own. The coordinators of the hub "
                "approve or decline the proposal; once approved, you organise it."
            ),
            "mine": selectors.proposals_of(user=request.user),
        },
    )


@require_GET
def proposals(request):
    if not request.user.is_authenticated:
        return _login(request)
    if not (
        selectors.hubs_coordinated_by(request.user).exists()
        or selectors.user_is_editor(request.user)
    ):
        return _refuse(
            request,
            ActionError(_("Only coordinators decide on proposed events."), code="forbidden"),
        )
    return render(
        request,
        "events/proposals.html",
        {
            "proposals": selectors.proposals_for(user=request.user),
            "reason_form": ReasonForm(),
            **_viewer_context(request),
        },
    )


@require_POST
def proposal_decide(request, pk, action):
    if not request.user.is_authenticated:
        return _login(request, reverse("events:proposals"))
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            services.event_approve(event=event, acting_user=request.user, reason=reason)
            messages.success(request, _("The event is approved and published."))
        else:
            services.event_decline(event=event, acting_user=request.user, reason=reason)
            messages.success(request, _("The proposal is declined."))
    except ActionError as error:
        return _refuse(request, error, back=reverse("events:proposals"))
    return redirect("events:proposals")


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    if not selectors.user_organises(user=request.user, event=event):
        return _refuse(
            request,
            ActionError(_("Only the organisers of this event may do this."), code="forbidden"),
            back=reverse("events:detail", args=[pk]),
        )
    form = EventForm(request.POST) if request.method == "POST" else EventForm.for_event(event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, acting_user=request.user, data=form.event_data())
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "event": event,
            "heading": _("Change %(title)s") % {"title": event.title},
            "intro": _(
                "Everyone registered hears of a new time or place; a new meeting link reaches "
                "the accepted participants only."
            ),
        },
    )


@require_POST
def cancel_event(request, pk):
    url = reverse("events:detail", args=[pk])
    if not request.user.is_authenticated:
        return _login(request, url)
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    try:
        services.event_cancel(
            event=event, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except ActionError as error:
        return _refuse(request, error, back=url)
    messages.success(request, _("The event is cancelled; everyone registered is told."))
    return redirect(url)


@require_http_methods(["GET", "POST"])
def document(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    url = reverse("events:detail", args=[pk])
    if not selectors.user_organises(user=request.user, event=event):
        return _refuse(
            request,
            ActionError(_("Only the organisers of this event may do this."), code="forbidden"),
            back=url,
        )
    form = DocumentationForm(
        request.POST or None,
        request.FILES or None,
        # Originals only: a translation is the same practice.
        practices=GoodPracticePage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("title"),
        threads=Thread.objects.filter(hub__in=event.hubs.all()).order_by("-created"),
        initial={
            "summary": event.summary,
            "practices": list(event.practices.all()),
            "threads": list(event.threads.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_document(
                event=event,
                acting_user=request.user,
                summary=data["summary"],
                practices=data["practices"],
                threads=data["threads"],
                file=data["file"],
                file_title=data["file_title"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The documentation is saved."))
            return redirect(url)
    return render(request, "events/document.html", {"form": form, "event": event})


# Calendar files ------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk):
    event = selectors.event_for_viewer(user=request.user, pk=pk)
    if event.status not in selectors.LISTED:
        return _refuse(request, ActionError(_("This event is not published."), code="not_found"))
    access = selectors.event_access(user=request.user, event=event)
    response = _ics_response(
        ics.event_file(event, with_link=access.can_see_link), f"event-{event.pk}.ics"
    )
    if access.can_see_link:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed_ics(request):
    return _ics_response(
        ics.public_feed(selectors.public_upcoming(), name=_("Connective Cities events")),
        "connective-cities-events.ics",
    )


@require_GET
def personal_feed(request, token):
    user = selectors.user_for_feed_token(token)
    response = _ics_response(
        ics.personal_feed(
            selectors.registrations_of(user=user), name=_("My Connective Cities events")
        ),
        "my-events.ics",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def my_calendar(request):
    if not request.user.is_authenticated:
        return _login(request)
    settings_ = services.calendar_settings(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "reset":
        services.calendar_feed_reset(user=request.user)
        messages.success(request, _("Your feed has a new address; the old one no longer works."))
        return redirect("events:my_calendar")
    feed_url = request.build_absolute_uri(
        reverse("events:personal_feed", args=[settings_.feed_token])
    )
    return render(
        request,
        "events/my_calendar.html",
        {
            "feed_url": feed_url,
            "registrations": selectors.registrations_of(user=request.user),
            **_viewer_context(request),
        },
    )


# Learning processes --------------------------------------------------------------------


@require_GET
def process_list(request):
    return render(
        request, "events/process_list.html", {"processes": selectors.learning_processes()}
    )


@require_GET
def process_detail(request, slug):
    process = selectors.learning_process_get(slug=slug)
    events = selectors.process_events(user=request.user, process=process)
    practices, threads = selectors.process_outputs(user=request.user, process=process)
    return render(
        request,
        "events/process_detail.html",
        {
            "process": process,
            "events": events,
            "practices": practices,
            "threads": threads,
            **_viewer_context(request),
        },
    )
