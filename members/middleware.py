"""Consent gates: members without current consent are sent to /accounts/consent/ (HTTP)
or refused with close code 4403 (websockets)."""

from urllib.parse import urlencode

from channels.db import database_sync_to_async
from django.http import HttpResponseRedirect
from django.urls import reverse

from . import selectors

# Paths a member without current consent may still use: reading the texts, accepting them,
# leaving (logout, data export, account deletion), assets and health. The admin is let
# through so that editors can correct a faulty text without accepting it first.
CONSENT_EXEMPT_PREFIXES = (
    "/accounts/consent/",
    "/accounts/logout/",
    "/guidelines/",
    "/privacy/",
    "/members/me/data/",
    "/members/me/delete/",
    "/static/",
    "/media/",
    "/healthz",
    "/i18n/",
    "/admin/",
    "/django-admin/",
    "/favicon.ico",
    "/notifications/unsubscribe/",  # signed one-click links from mail, no session needed
)

SESSION_KEY = "members.consented_versions"


def _version_key(versions) -> list[int]:
    return sorted(version.pk for version in versions)


class ConsentRequiredMiddleware:
    """HTTP: after authentication. One query a request for logged-in members (the versions in
    effect); whether the member accepted them is remembered in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(CONSENT_EXEMPT_PREFIXES)
            and not self.consent_current(request)
        ):
            target = reverse("members:consent")
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{target}?{query}")
        return self.get_response(request)

    @staticmethod
    def consent_current(request) -> bool:
        current = selectors.current_policy_versions()
        key = _version_key(current.values())
        if request.session.get(SESSION_KEY) == key:
            return True
        if selectors.pending_policy_versions(request.user, current):
            return False
        request.session[SESSION_KEY] = key
        return True


class WebsocketConsentMiddleware:
    """ASGI, inside AuthMiddlewareStack: a logged-in user without current consent gets the
    handshake accepted and closed at once with 4403 (a close code needs an accepted socket).
    Anonymous connections pass on: the consumers refuse them with 4401."""

    CLOSE_CODE = 4403

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            user = scope.get("user")
            if user is not None and user.is_authenticated:
                current = await database_sync_to_async(selectors.consent_is_current)(user)
                if not current:
                    await self.refuse(receive, send)
                    return None
        return await self.inner(scope, receive, send)

    async def refuse(self, receive, send):
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": self.CLOSE_CODE})
