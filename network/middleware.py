"""Project-wide request middleware: the client's address behind our proxies, and a request
id for the logs."""

import ipaddress
import uuid

from django.conf import settings

from .logging import request_id_var


def client_address(meta: dict, trusted_proxies: int) -> str:
    """The client's address from META: behind TRUSTED_PROXIES proxies of ours, the address the
    outermost of them saw, read from the right of X-Forwarded-For (each proxy appends what it
    saw; anything further left was written by the client and proves nothing)."""
    remote = meta.get("REMOTE_ADDR", "")
    if trusted_proxies <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return remote  # did not come through all our proxies: the socket's peer is the client
    candidate = hops[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the client's address (TRUSTED_PROXY_COUNT, see deploy/nginx) before
    anything reads it: allauth's per-address rate limits, the health check, the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            request.META["REMOTE_ADDR"] = client_address(request.META, count)
        return self.get_response(request)


class RequestIdMiddleware:
    """One id per request in every log line it causes: nginx's `X-Request-ID` when it sends one
    (then nginx's access log and ours agree), else a new one; echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _plausible(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _plausible(value: str) -> bool:
    return 0 < len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
