"""Signed one-click unsubscribe tokens (django.core.signing): no login, no stored secret.
A token names a member and what to stop mailing: one kind, or the digests."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "notifications.unsubscribe"
DIGESTS = "digests"


def max_age() -> int:
    """Seconds a token stays good (default 90 days)."""
    return int(getattr(settings, "NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE", 90 * 24 * 3600))


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    what: str  # a Kind value, or DIGESTS


def make_token(*, user_id: int, what: str) -> str:
    return signing.dumps({"u": user_id, "w": what}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe | None:
    """The unsubscribe TOKEN stands for, or None when forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    what = data.get("w")
    if not isinstance(what, str):
        return None
    return Unsubscribe(user_id=data["u"], what=what)
