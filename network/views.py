import ipaddress

from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from .health import run_checks


def _may_see_details(request) -> bool:
    """Staff, or a probe on this machine that did not come through a proxy (behind nginx every
    request comes from the loopback address, with a forwarded header)."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def healthz(request):
    """Readiness: the database, the channel layer and search answer (503 if any does not).
    In public only {"status": "ok"|"fail"}: the details may name hosts and users."""
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "fail"}
    if _may_see_details(request):
        body.update(results)
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz_live(request):
    """Liveness: the process answers. Touches no dependency, so a database or Redis outage
    does not make a load balancer restart every process at once."""
    return JsonResponse({"status": "ok"})


def _local_next(request, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def admin_login_door(request, *, default_next: str):
    """The admin login pages of Wagtail and Django: allauth's login instead, so email
    verification, rate limits and lockout apply to every login. Never logs anyone in: a
    posted password is ignored."""
    from urllib.parse import urlencode

    from django.shortcuts import redirect
    from django.urls import reverse

    query = urlencode({"next": _local_next(request, default_next)}, safe="/")
    return redirect(f"{reverse('account_login')}?{query}")


def admin_password_reset_door(request, **kwargs):
    """The admin password-reset pages: allauth's reset (rate-limited) instead."""
    from django.shortcuts import redirect

    return redirect("account_reset_password")


def serve_media(request, path, document_root):
    """Development's media files; a name the file system cannot even look up (too long, a
    NUL byte) is simply not there."""
    from django.http import Http404
    from django.views.static import serve

    try:
        return serve(request, path, document_root=document_root)
    except (OSError, ValueError) as error:
        raise Http404(path) from error


def bad_request(request, exception):
    """The 400 page. When the query or form data itself was refused (too many fields, too
    large), the page must not read it again while rendering (the header's search box and
    language switcher would raise the same error and turn the 400 into a 500)."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.http import QueryDict
    from django.views.defaults import bad_request as django_bad_request

    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        request.GET = QueryDict()
        request.POST = QueryDict()
        request._files = {}
    return django_bad_request(request, exception)


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for without reading the page's
    <link rel="icon">: the SVG icon (a redirect, as its hashed name changes with a
    release)."""
    return HttpResponseRedirect(static("img/favicon.svg"))
