import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import personal_data
from core.exceptions import ActionError, http_status

from . import selectors, services
from .exceptions import ConsentError
from .forms import AccountDeleteForm, ConsentForm, ProfileForm
from .middleware import SESSION_KEY
from .models import PolicyDocument
from .timezones import valid_time_zones

# Policy documents ----------------------------------------------------------


@require_GET
def policy_detail(request, document, number=None):
    version = selectors.policy_version_get(document=document, number=number)
    current = selectors.policy_version_get(document=document)
    return render(
        request,
        "members/policy_detail.html",
        {
            "document": PolicyDocument(document),
            "version": version,
            "text": selectors.policy_text_for(version),
            "is_current": version.pk == current.pk,
            "current": current,
            "versions": selectors.policy_versions_published(document=document),
        },
    )


# Consent -------------------------------------------------------------------


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _bad_consent(request, error: ActionError):
    html = render_to_string(
        "members/consent_stale.html",
        {
            "message": error.message,
            "explanation": _(
                "This form names a version of the guidelines or the privacy notice that is not "
                "the one in effect. Nothing was recorded; please reload the page."
            ),
        },
        request=request,
    )
    return HttpResponse(html, status=http_status(error))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    pending = selectors.pending_policy_versions(request.user)
    form = ConsentForm(request.POST or None, pending=pending)
    if request.method == "POST":
        posted = form.posted_versions()
        if posted is None:
            return _bad_consent(
                request, ActionError(_("This form could not be read."), code="invalid")
            )
        if form.is_valid():
            try:
                # Decides whether the versions posted are the ones to accept (stale or not).
                services.consent_accept(
                    user=request.user,
                    accepted=posted,
                    language=translation.get_language() or "en",
                )
            except ConsentError as error:
                return _bad_consent(request, error)
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Thank you. You can go on."))
            return redirect(_safe_next(request))
    documents = [(version, selectors.policy_text_for(version)) for version in pending]
    return render(
        request,
        "members/consent.html",
        {"form": form, "documents": documents, "next": _safe_next(request, "")},
    )


# Profiles ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = selectors.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.profile_update(
            user=request.user,
            name=data["name"],
            expertise=data["expertise"],
            languages=data["languages"],
            **{field: data[field] for field in ProfileForm.Meta.fields},
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:me")
    return render(
        request,
        "members/profile_edit.html",
        {"form": form, "profile": profile, "time_zones": sorted(valid_time_zones())},
    )


# Data rights ---------------------------------------------------------------


@never_cache
@login_required
@require_GET
def data_export(request):
    user = request.user
    payload = {
        "generated": timezone.now(),
        "about": _("Everything the Connective Cities platform holds about you."),
        "data": personal_data.export_all(user),
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="connective-cities-data-{user.pk}-{stamp}.json"'
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except ActionError as error:
            form.add_error("password", error.message)
            status = http_status(error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("/")
    else:
        status = 400 if form.errors else 200  # the page, or the form sent incomplete
    return render(request, "members/account_delete.html", {"form": form}, status=status)
