"""Helpers shared by the hub views: turning refused actions into clear 4xx pages and going
back where the visitor came from."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.exceptions import ActionError, http_status


def refuse(request, error: ActionError, *, hub=None):
    """A page that says what was refused and why, with the status of the error's code (the
    one map in `core.exceptions`); nothing was changed."""
    return render(
        request,
        "core/action_error.html",
        {"message": error.message, "hub": hub, "back": safe_next(request, default="")},
        status=http_status(error),
    )


def refuse_form(request, form, *, hub=None):
    errors = [str(message) for messages in form.errors.values() for message in messages]
    message = " ".join(errors) or _("The form was not valid.")
    return refuse(request, ActionError(message, code="invalid"), hub=hub)


def forbidden(request, message=None, *, hub=None):
    message = message or _("Only this hub's coordinators may do this.")
    return refuse(request, ActionError(message, code="forbidden"), hub=hub)


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
