"""Handles: the unique `@name` a member is mentioned by, e.g. `@amina-el-idrissi`.

Made once from the display name when the account is created (however it is created: signup,
createsuperuser, the admin) and kept when the name changes, so old mentions stay valid.
"""

import re

from django.utils.text import slugify

from core.markdown import MENTION_PATTERN

HANDLE_MAX_LENGTH = 60
_handle_re = re.compile(rf"^{MENTION_PATTERN}$")


def handle_base(name: str) -> str:
    """The handle NAME gives before any clash suffix ("member" when it gives none)."""
    base = slugify(name or "", allow_unicode=True).replace("_", "-").strip("-")
    base = re.sub(r"-{2,}", "-", base)[: HANDLE_MAX_LENGTH - 6].strip("-")
    return base or "member"


def unique_handle(name: str, *, taken) -> str:
    """A handle for NAME that TAKEN(candidates) does not already hold: `base`, `base-2`, …

    TAKEN receives a list of candidates and returns the subset in use (one query)."""
    base = handle_base(name)
    start = 1
    while True:
        candidates = [base if n == 1 else f"{base}-{n}" for n in range(start, start + 50)]
        used = set(taken(candidates))
        for candidate in candidates:
            if candidate not in used:
                return candidate
        start += 50


def is_valid_handle(text: str) -> bool:
    return bool(_handle_re.match(text or ""))


def assign_handle(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver on the user model: a new account without a handle gets one."""
    if raw or instance.handle:
        return
    manager = type(instance)._default_manager

    def taken(candidates):
        return manager.filter(handle__in=candidates).values_list("handle", flat=True)

    # The name only: a handle is shown to others, the address is not.
    instance.handle = unique_handle(instance.name, taken=taken)


def resolve_mentions(handles: set[str]) -> dict[str, str]:
    """{handle: profile URL} for the active members among HANDLES (core.markdown's resolver)."""
    from django.urls import reverse

    from .models import User

    rows = User.objects.filter(handle__in=handles, is_active=True).values_list("handle", "pk")
    return {handle: reverse("people:detail", args=[pk]) for handle, pk in rows}
