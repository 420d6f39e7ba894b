"""Thread pages. Everything works without JavaScript; thread.js enhances the thread page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ActionError, NotFound, http_status

from .. import selectors, services
from ..forms import (
    EditForm,
    HideReasonForm,
    MessageForm,
    ReportReasonForm,
    ReportResolveForm,
    ThreadForm,
)
from ..models import Membership

THREADS_PER_PAGE = 20
MESSAGES_PER_PAGE = 50
State = Membership.State


def thread_section_context(request, hub) -> dict:
    """Context of `hubs/_thread_section.html` on the hub page."""
    user = request.user
    can_read = user.is_authenticated and (
        selectors.user_can_access_hub(user=user, hub=hub)
        or selectors.user_can_moderate(user=user, hub=hub)
    )
    if not can_read:
        return {"can_read_threads": False, "can_start_thread": False}
    threads = selectors.threads_for_hub(hub=hub, user=user)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("threads"))
    return {
        "can_read_threads": True,
        "can_start_thread": selectors.user_can_participate(user=user, hub=hub),
        "thread_page": page,
    }


def _thread_url(thread, *, page=None, message_id=None):
    url = reverse("hubs:thread_detail", args=[thread.hub.slug, thread.pk])
    if page:
        url += f"?page={page}"
    if message_id:
        url += f"#message-{message_id}"
    return url


def _context(request, hub, thread_id):
    hub = selectors.hub_get(slug=hub) if isinstance(hub, str) else hub
    thread = selectors.thread_for_reader(user=request.user, hub=hub, thread_id=thread_id)
    return hub, thread


@login_required
def thread_create(request, slug):
    hub = selectors.hub_get(slug=slug)
    if not (
        selectors.user_can_participate(user=request.user, hub=hub)
        or selectors.user_can_moderate(user=request.user, hub=hub)
    ):
        # The 403 page, from the middleware (core.exceptions maps the code).
        raise ActionError(_("Only members of this hub can start a consultation."), code="forbidden")
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(hub=hub, author=request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
            status = http_status(error)
        else:
            return redirect(_thread_url(thread))
    elif request.method == "POST":
        status = 400
    return render(
        request, "hubs/threads/thread_form.html", {"hub": hub, "form": form}, status=status
    )


def _render_thread(request, hub, thread, *, form=None, status=200):
    user = request.user
    can_moderate = selectors.user_can_moderate(user=user, hub=hub)
    can_participate = can_moderate or selectors.user_can_participate(user=user, hub=hub)
    visible = selectors.messages_visible_to(user=user, thread=thread, can_moderate=can_moderate)
    paginator = Paginator(visible, MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    last_id = visible.aggregate(last=Max("pk"))["last"] or 0
    page_messages = list(page.object_list)
    # A GET writes nothing: the page posts its read mark (thread_read below), thread.js at
    # once, the button without JavaScript.
    read_last = max((m.pk for m in page_messages), default=0)
    is_author = thread.author_id is not None and thread.author_id == user.pk
    context = {
        "hub": hub,
        "thread": thread,
        "page": page,
        "thread_messages": page_messages,
        "is_last_page": page.number == paginator.num_pages,
        "last_id": last_id,
        "read_last": read_last,
        "can_participate": can_participate,
        "can_moderate": can_moderate,
        "can_resolve": can_moderate or (is_author and can_participate),
        "form": form if form is not None else MessageForm(),
        "ws_path": f"/ws/threads/{thread.pk}/",
    }
    return render(request, "hubs/threads/thread_detail.html", context, status=status)


@login_required
def thread_detail(request, slug, thread_id):
    hub = selectors.hub_get(slug=slug)
    try:
        hub, thread = _context(request, hub, thread_id)
    except NotFound:
        access = selectors.hub_access(user=request.user, hub=hub)
        if not (access.can_access or access.can_moderate):
            return _members_only(request, hub, access)
        raise
    return _render_thread(request, hub, thread)


def _members_only(request, hub, access):
    """A link to a consultation, followed by someone outside its hub: say whose it is and how
    to join, never its title. The same page for any id, so it tells no thread exists."""
    return render(
        request,
        "hubs/threads/members_only.html",
        {"hub": hub, "access": access, "membership": access.membership, "State": State},
        status=403,
    )


@login_required
@require_POST
def thread_read(request, slug, thread_id):
    """The thread page's read mark: the reader has seen the messages up to `last` (cut to
    the newest message they can see). 204 for thread.js, back to the page for the form."""
    hub, thread = _context(request, slug, thread_id)
    try:
        last = int(request.POST.get("last", ""))
    except ValueError:
        return HttpResponseBadRequest(_("The read mark needs a message id."))
    can_moderate = selectors.user_can_moderate(user=request.user, hub=hub)
    visible = selectors.messages_visible_to(
        user=request.user, thread=thread, can_moderate=can_moderate
    )
    newest = visible.filter(pk__lte=last).aggregate(last=Max("pk"))["last"]
    if newest:
        services.thread_mark_read(thread=thread, user=request.user, last_message_id=newest)
    if request.POST.get("next") == "page":
        return redirect(_thread_url(thread))
    return HttpResponse(status=204)


def _wants_json(request):
    return "application/json" in request.headers.get("accept", "")


@login_required
@require_POST
def message_post(request, slug, thread_id):
    """Post without JavaScript (and thread.js's fallback when the websocket cannot connect):
    the same service as the websocket, broadcast the same way."""
    hub, thread = _context(request, slug, thread_id)
    form = MessageForm(request.POST)
    # The service judges the body and the client_id (invalid, too_large...), as for a
    # websocket frame; the form only shows the text again beside its field errors.
    client_id = request.POST.get("client_id") or None
    try:
        message, _created = services.message_post(
            thread=thread,
            author=request.user,
            body=request.POST.get("body", ""),
            client_id=client_id,
        )
    except ActionError as error:
        status = http_status(error)
        if _wants_json(request):
            return JsonResponse({"code": error.code, "detail": error.message}, status=status)
        form.is_valid()
        form.add_error(None, error.message)
        return _render_thread(request, hub, thread, form=form, status=status)
    if _wants_json(request):
        posted_id = str(message.client_id) if message.client_id else None
        return JsonResponse({"id": message.pk, "client_id": posted_id})
    page_count = Paginator(
        selectors.messages_visible_to(user=request.user, thread=thread), MESSAGES_PER_PAGE
    ).num_pages
    return redirect(_thread_url(thread, page=page_count, message_id=message.pk))


def _message(request, slug, thread_id, message_id):
    hub, thread = _context(request, slug, thread_id)
    message = selectors.message_in_thread(thread=thread, message_id=message_id)
    can_moderate = selectors.user_can_moderate(user=request.user, hub=hub)
    if message.hidden and not can_moderate:
        raise NotFound(_("There is no such message."))
    return hub, thread, message


def _done(request, thread, message_id=None, *, error=None, success=None):
    if error is not None and error.code == "rate_limited":
        raise error  # the "Not done" page with 429, not a redirect that hides the limit
    if error is not None:
        messages.error(request, error.message)
    elif success:
        messages.success(request, success)
    return redirect(_thread_url(thread, message_id=message_id))


@login_required
def message_edit(request, slug, thread_id, message_id):
    hub, thread, message = _message(request, slug, thread_id, message_id)
    if message.author_id != request.user.pk or message.deleted:
        raise ActionError(_("You can only edit your own messages."), code="forbidden")
    form = EditForm(request.POST or None, initial={"body": message.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.message_edit(
                message=message, user=request.user, body=form.cleaned_data["body"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
            status = http_status(error)
        else:
            return _done(request, thread, message.pk, success=_("Your message was changed."))
    elif request.method == "POST":
        status = 400
    context = {"hub": hub, "thread": thread, "message": message, "form": form}
    return render(request, "hubs/threads/message_edit.html", context, status=status)


@login_required
@require_POST
def message_delete(request, slug, thread_id, message_id):
    _hub, thread, message = _message(request, slug, thread_id, message_id)
    try:
        services.message_delete(message=message, user=request.user)
    except ActionError as error:
        return _done(request, thread, message.pk, error=error)
    return _done(request, thread, message.pk, success=_("Your message was deleted."))


@login_required
def message_report(request, slug, thread_id, message_id):
    hub, thread, message = _message(request, slug, thread_id, message_id)
    form = ReportReasonForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                message=message, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
            status = http_status(error)
        else:
            return _done(
                request,
                thread,
                message.pk,
                success=_("Thank you. The hub's coordinators will look at this message."),
            )
    elif request.method == "POST":
        status = 400
    context = {"hub": hub, "thread": thread, "message": message, "form": form}
    return render(request, "hubs/threads/message_report.html", context, status=status)


@login_required
@require_POST
def message_hide(request, slug, thread_id, message_id):
    _hub, thread, message = _message(request, slug, thread_id, message_id)
    form = HideReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
    try:
        services.message_hide(message=message, acting_user=request.user, reason=reason)
    except ActionError as error:
        return _done(request, thread, message.pk, error=error)
    return _done(request, thread, message.pk, success=_("The message is hidden from members."))


@login_required
@require_POST
def message_unhide(request, slug, thread_id, message_id):
    _hub, thread, message = _message(request, slug, thread_id, message_id)
    try:
        services.message_unhide(message=message, acting_user=request.user)
    except ActionError as error:
        return _done(request, thread, message.pk, error=error)
    return _done(request, thread, message.pk, success=_("The message is shown again."))


THREAD_ACTIONS = {
    "lock": (services.thread_set_locked, "locked", True),
    "unlock": (services.thread_set_locked, "locked", False),
    "pin": (services.thread_set_pinned, "pinned", True),
    "unpin": (services.thread_set_pinned, "pinned", False),
}


@login_required
@require_POST
def thread_moderate(request, slug, thread_id):
    _hub, thread = _context(request, slug, thread_id)
    action = THREAD_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect(_thread_url(thread))
    service, field, value = action
    try:
        service(thread=thread, acting_user=request.user, **{field: value})
    except ActionError as error:
        return _done(request, thread, error=error)
    return _done(request, thread, success=_("The thread was updated."))


@login_required
@require_POST
def thread_resolve(request, slug, thread_id):
    _hub, thread = _context(request, slug, thread_id)
    accepted = None
    accepted_id = request.POST.get("accepted_answer", "")
    if accepted_id:
        if not accepted_id.isdigit():
            raise NotFound(_("There is no such message."))
        accepted = selectors.message_in_thread(thread=thread, message_id=int(accepted_id))
    try:
        if request.POST.get("action") == "reopen":
            services.thread_reopen(thread=thread, acting_user=request.user)
        else:
            services.thread_resolve(
                thread=thread, acting_user=request.user, accepted_answer=accepted
            )
    except ActionError as error:
        return _done(request, thread, error=error)
    return _done(request, thread, success=_("The consultation was updated."))


@login_required
@require_POST
def report_resolve(request, slug, report_id):
    hub = selectors.hub_get(slug=slug)
    report = selectors.report_for_moderator(user=request.user, hub=hub, report_id=report_id)
    form = ReportResolveForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = _thread_url(report.message.thread, message_id=report.message_id)
    if not form.is_valid():
        messages.error(request, _("Choose to hide the message or dismiss the report."))
        return redirect(next_url)
    try:
        services.report_resolve(report=report, acting_user=request.user, **form.cleaned_data)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was resolved."))
    return redirect(next_url)
