"""Helpers shared by the hub views: turning refused actions into clear 4xx pages and going
back where the visitor came from."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.exceptions import ActionError, http_status


def refuse(request, message, *, status=400, hub=None):
    """A page that says what was refused and why; nothing was changed."""
    return render(
        request,
        "core/action_error.html",
        {"message": message, "hub": hub, "back": safe_next(request, default="")},
        status=status,
    )


def refuse_error(request, error: ActionError, *, hub=None):
    return refuse(request, error.message, status=http_status(error), hub=hub)


def refuse_form(request, form, *, hub=None):
    errors = [str(message) for messages in form.errors.values() for message in messages]
    return refuse(request, " ".join(errors) or _("The form was not valid."), hub=hub)


def forbidden(request, *, hub=None):
    return refuse(
        request,
        _("Only this hub's coordinators may do this."),
        status=403,
        hub=hub,
    )


def login_then(path):
    """Send an anonymous visitor to log in, then to PATH (a page, not the POST endpoint)."""
    return redirect_to_login(path)


def safe_next(request, *, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def back(request, *, default):
    return redirect(safe_next(request, default=default))
