"""The coordinator dashboard's picture of a hub: per week over the last year, how many
people joined, how many consultations were started and messages written, and how long a
question waited for its first reply; and the consultations nobody has answered yet."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ..models import Membership, Message, Thread

WEEKS = 52
# A question older than this without a reply from someone else is "unanswered".
UNANSWERED_AFTER = timedelta(days=3)
UNANSWERED_SHOWN = 20


@dataclass(frozen=True)
class HubActivity:
    weeks: list[date]  # the Monday of each week, oldest first
    new_members: list[int]
    threads: list[int]
    messages: list[int]
    # Hours from the question to the first reply by someone else, the median of the
    # consultations started that week; None for a week without an answered consultation.
    first_reply_hours: list[float | None]


def _week_of(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _weekly_counts(queryset, field: str, since: datetime, weeks: list[date]) -> list[int]:
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(week=TruncWeek(field))
        .order_by()
        .values("week")
        .annotate(count=Count("pk"))
    )
    by_week = {_week_of(row["week"]): row["count"] for row in rows}
    return [by_week.get(week, 0) for week in weeks]


def _replied_by_others():
    return Q(messages__deleted=False) & ~Q(messages__author=F("author"))


def hub_activity(*, hub, now: datetime | None = None, weeks: int = WEEKS) -> HubActivity:
    """Four queries, whatever the hub's size: the counts are grouped by the database."""
    now = now or timezone.now()
    this_week = _week_of(now)
    week_list = [this_week - timedelta(weeks=weeks - 1 - index) for index in range(weeks)]
    since = timezone.make_aware(datetime.combine(week_list[0], time.min))

    replies: dict[date, list[float]] = {week: [] for week in week_list}
    answered = (
        Thread.objects.filter(hub=hub, created__gte=since)
        .annotate(first_reply=Min("messages__created", filter=_replied_by_others()))
        .filter(first_reply__isnull=False)
        .values_list("created", "first_reply")
    )
    for created, first_reply in answered:
        week = _week_of(created)
        if week in replies:
            replies[week].append((first_reply - created).total_seconds() / 3600)

    return HubActivity(
        weeks=week_list,
        new_members=_weekly_counts(
            Membership.objects.filter(hub=hub), "joined_at", since, week_list
        ),
        threads=_weekly_counts(Thread.objects.filter(hub=hub), "created", since, week_list),
        messages=_weekly_counts(
            Message.objects.filter(thread__hub=hub, deleted=False), "created", since, week_list
        ),
        first_reply_hours=[
            round(statistics.median(replies[week]), 1) if replies[week] else None
            for week in week_list
        ],
    )


def unanswered_threads(*, hub, now: datetime | None = None) -> list[Thread]:
    """Open consultations older than three days that no one but the asker has replied to,
    oldest first."""
    now = now or timezone.now()
    return list(
        Thread.objects.filter(hub=hub, state=Thread.State.OPEN, created__lt=now - UNANSWERED_AFTER)
        .annotate(replies=Count("messages", filter=_replied_by_others()))
        .filter(replies=0)
        .select_related("author")
        .order_by("created", "pk")[:UNANSWERED_SHOWN]
    )
