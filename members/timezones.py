"""A member's time zone: the one they chose on their profile (`Profile.time_zone`, filled
from the browser by `static/js/time-zone.js` at signup and on the profile form), else the
first zone of their profile's country, else UTC. Event pages and mails show times in it."""

import zoneinfo
from functools import cache
from importlib import resources

from django.contrib.auth import get_user_model

DEFAULT = "UTC"


@cache
def valid_time_zones() -> frozenset[str]:
    """The IANA names Python knows (`zoneinfo.available_timezones()`, from tzdata)."""
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return name in valid_time_zones()


@cache
def _zones_by_country() -> dict[str, str]:
    """The first IANA zone of each country code, from tzdata's zone.tab."""
    zones = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0], parts[2])
    return zones


def zone_for_country(code: str) -> str:
    return _zones_by_country().get((code or "").upper(), DEFAULT)


MEMO = "_member_time_zone"


def time_zone_of(user) -> str:
    """USER's zone: chosen, else their country's, else UTC (one query, remembered on the
    user object; `forget_time_zone` after a change)."""
    if not getattr(user, "is_authenticated", False):
        return DEFAULT
    cache_ = user.__dict__
    if MEMO not in cache_:
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values("profile__time_zone", "profile__country")
            .first()
        ) or {}
        chosen = row.get("profile__time_zone") or ""
        cache_[MEMO] = (
            chosen
            if is_valid_time_zone(chosen)
            else zone_for_country(str(row.get("profile__country") or ""))
        )
    return cache_[MEMO]


def forget_time_zone(user) -> None:
    user.__dict__.pop(MEMO, None)
