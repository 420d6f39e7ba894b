"""Notification pages: the list, marking read, preferences, one-click unsubscribe, and the
follow buttons. Thin: the services decide, the selectors read."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ActionError
from hubs import selectors as hub_selectors

from . import selectors, services, tokens
from .forms import PreferencesForm
from .models import Channel, Kind

PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    """`id=` marks one (another member's is a 404); without it, all."""
    notification_id = request.POST.get("id")
    if notification_id is not None:
        if not notification_id.isdigit():
            raise Http404
        notification_id = int(notification_id)
    services.notifications_mark_read(user=request.user, notification_id=notification_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
def preferences(request):
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_channels=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.preferences_update(user=request.user, channels=form.cleaned_data)
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:settings")
        status = 400
    return render(request, "notifications/settings.html", {"form": form}, status=status)


@csrf_exempt  # RFC 8058: mail providers POST the one-click unsubscribe without a session
def unsubscribe(request, token):
    """GET shows what the link stops; POST stops it. No login: the token is signed."""
    data = tokens.read_token(token)
    person = None
    if data is not None:
        person = get_user_model().objects.filter(pk=data.user_id, is_active=True).first()
    if person is None or (data.what != tokens.DIGESTS and data.what not in Kind.values):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    label = _("digests") if data.what == tokens.DIGESTS else Kind(data.what).label
    done = False
    if request.method == "POST":
        services.unsubscribe(user=person, what=data.what)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "done": done, "token": token, "app_channel": Channel.APP.label},
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _thread(request, slug, thread_id):
    hub = hub_selectors.hub_get(slug=slug)
    return hub_selectors.thread_for_reader(user=request.user, hub=hub, thread_id=thread_id)


def _thread_action(action, done_message):
    @login_required
    @require_POST
    def view(request, slug, thread_id):
        thread = _thread(request, slug, thread_id)
        try:
            action(user=request.user, thread=thread)
        except ActionError as error:
            if error.code == "not_found":
                raise Http404 from None
            raise
        messages.success(request, done_message())
        return _back(request, reverse("hubs:thread_detail", args=[slug, thread.pk]))

    return view


thread_follow = _thread_action(services.thread_follow, lambda: _("You follow this thread."))
thread_unfollow = _thread_action(
    services.thread_unfollow, lambda: _("You no longer follow this thread.")
)
thread_mute = _thread_action(services.thread_mute, lambda: _("You muted this thread."))


def _hub_action(action, done_message):
    @login_required
    @require_POST
    def view(request, slug):
        hub = hub_selectors.hub_get(slug=slug)
        try:
            action(user=request.user, hub=hub)
        except ActionError as error:
            if error.code == "not_found":
                raise Http404 from None
            raise
        messages.success(request, done_message())
        return _back(request, reverse("hubs:detail", args=[slug]))

    return view


hub_follow = _hub_action(services.hub_follow, lambda: _("You will hear of this hub's new threads."))
hub_unfollow = _hub_action(
    services.hub_unfollow, lambda: _("You no longer hear of this hub's new threads.")
)


@login_required
@require_GET
def mention_suggestions(request, slug, thread_id):
    """`?q=am`: members of the thread's hub whose handle or name starts with it, for the
    composer (static/js/mentions.js). Only for someone who may read the thread (404
    otherwise, as for the thread itself); never anyone outside the hub."""
    thread = _thread(request, slug, thread_id)
    people = selectors.mention_candidates(
        hub=thread.hub, prefix=request.GET.get("q", ""), exclude_user=request.user
    )
    response = JsonResponse({"results": people})
    response["Cache-Control"] = "private, no-store"
    return response
