import ipaddress

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
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
