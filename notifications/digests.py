"""Daily and weekly digests: per member, what happened in the kinds they chose to hear of
in that digest, since their last one. Sent once per member and period (a DigestSent row,
unique, written in the transaction that sends); skipped when there is nothing."""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import mail, mailing, selectors, tokens
from .models import Channel, DigestSent, Notification

logger = logging.getLogger(__name__)
PERIODS = {DigestSent.Period.DAILY: timedelta(days=1), DigestSent.Period.WEEKLY: timedelta(days=7)}
_CHANNEL = {DigestSent.Period.DAILY: Channel.DAILY, DigestSent.Period.WEEKLY: Channel.WEEKLY}


def period_key(period: str, now: datetime) -> str:
    """The period NOW falls in: `2026-12-02` (daily), `2026-W49` (weekly, ISO weeks)."""
    day = timezone.localdate(now)
    if period == DigestSent.Period.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _since(*, user_id: int, period: str, now: datetime) -> datetime:
    last = (
        DigestSent.objects.filter(user_id=user_id, period=period)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return last or now - PERIODS[period]


def digest_items(*, user, period: str, now: datetime) -> list[Notification]:
    """USER's notifications for the PERIOD digest since their last one, newest first, still
    readable by them."""
    kinds = [k for k, c in selectors.preferences_of(user).items() if c == _CHANNEL[period]]
    if not kinds:
        return []
    since = _since(user_id=user.pk, period=period, now=now)
    items = list(
        selectors.notifications_for(user).filter(
            kind__in=kinds, updated__gt=since, updated__lte=now, read_at=None
        )
    )
    return [
        n for n in items if not n.thread_id or selectors.can_read_thread(user=user, thread=n.thread)
    ]


@transaction.atomic
def digest_send(*, user, period: str, now: datetime | None = None) -> bool:
    """Send USER's PERIOD digest unless it went already or holds nothing. Returns whether
    it was sent. A failing send rolls the record back: a retry sends it."""
    now = now or timezone.now()
    key = period_key(period, now)
    if DigestSent.objects.filter(user=user, period=period, key=key).exists():
        return False
    items = digest_items(user=user, period=period, now=now)
    if not items:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(
                user=user, period=period, key=key, items=len(items), sent_at=now
            )
    except IntegrityError:
        return False  # another run sent it meanwhile
    url = mailing.unsubscribe_url(user_id=user.pk, what=tokens.DIGESTS)
    mail.send(
        to=user.email,
        template="notifications/email/digest",
        context={
            "recipient": user,
            "period": period,
            "items": [
                {"notification": n, "url": mail.absolute(mailing.notification_url(n))}
                for n in items
            ],
            "unsubscribe_url": url,
            "settings_url": mail.absolute(reverse("notifications:settings")),
        },
        language=mail.language_of(user),
        headers=mailing.unsubscribe_headers(url),
    )
    return True


def digests_send(*, period: str, now: datetime | None = None) -> int:
    """Every member's PERIOD digest (the `send_digests` command). Returns how many went."""
    if period not in PERIODS:
        raise ValueError(f"unknown digest period {period!r}")
    now = now or timezone.now()
    since = now - PERIODS[period] * 2  # a generous window: the exact one is per member
    candidates = (
        Notification.objects.filter(updated__gt=since, read_at=None)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    users = get_user_model().objects.filter(pk__in=list(candidates), is_active=True)
    for user in users.select_related("profile").order_by("pk"):
        try:
            sent += digest_send(user=user, period=period, now=now)
        except OSError:  # the mail server: this member's digest is retried on the next run
            logger.exception("Could not send the %s digest to user %s", period, user.pk)
    return sent
