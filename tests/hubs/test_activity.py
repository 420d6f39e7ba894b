"""The coordinator dashboard's activity charts and its list of unanswered consultations."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.charts import bar_chart
from hubs import selectors, services
from hubs.models import Membership, Message, Thread

from .conftest import make_coordinator, make_member

pytestmark = pytest.mark.django_db
# A Wednesday: its week starts on Monday 2026-11-30.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def ask(hub, author, *, at, title="Water tariffs"):
    thread = services.thread_create(hub=hub, author=author, title=title, question="Who sets them?")
    Thread.objects.filter(pk=thread.pk).update(created=at)
    return Thread.objects.get(pk=thread.pk)


def reply(thread, author, *, at, body="We did it this way."):
    message, _created = services.message_post(thread=thread, author=author, body=body)
    Message.objects.filter(pk=message.pk).update(created=at)
    return message


def test_bar_chart_scales_to_the_largest_and_tells_zero_from_no_data():
    chart = bar_chart([0, 5, None, 10], labels=["a", "b", "c", "d"], width=40, height=20, gap=0)
    assert [(bar.label, bar.height) for bar in chart.bars] == [("a", 1.0), ("b", 10.0), ("d", 20.0)]
    assert [bar.x for bar in chart.bars] == [0, 10, 30]
    assert all(bar.y + bar.height == 20 for bar in chart.bars)
    empty = bar_chart([0, 0], labels=["a", "b"])
    assert [bar.height for bar in empty.bars] == [1.0, 1.0]
    with pytest.raises(ValueError):
        bar_chart([1], labels=[])


def test_weekly_counts_land_in_their_weeks_and_the_median_first_reply(ssa):
    coordinator = make_coordinator(ssa)
    asker = make_member(ssa, coordinator=coordinator)
    adviser = make_member(ssa, coordinator=coordinator)
    Membership.objects.filter(hub=ssa).update(joined_at=NOW - timedelta(days=8))
    this_monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    fast = ask(ssa, asker, at=this_monday)
    reply(fast, asker, at=this_monday + timedelta(hours=1))  # the asker's own: not a reply
    reply(fast, adviser, at=this_monday + timedelta(hours=2))
    slow = ask(ssa, asker, at=this_monday + timedelta(hours=1), title="Land titles")
    reply(slow, adviser, at=this_monday + timedelta(hours=11))
    old = ask(ssa, asker, at=NOW - timedelta(days=400), title="Out of the window")
    reply(old, adviser, at=NOW - timedelta(days=399))

    with CaptureQueriesContext(connection) as queries:
        activity = selectors.hub_activity(hub=ssa, now=NOW)
    assert len(queries) == 4
    assert len(activity.weeks) == 52
    assert activity.weeks[-1].isoformat() == "2026-11-30"
    assert activity.weeks[-2].isoformat() == "2026-11-23"
    assert activity.threads[-1] == 2 and sum(activity.threads) == 2
    assert activity.messages[-1] == 3 and sum(activity.messages) == 3
    assert activity.new_members[-2] == 3 and sum(activity.new_members) == 3
    # Two hours and ten hours: the median of the week is six.
    assert activity.first_reply_hours[-1] == 6.0
    assert activity.first_reply_hours[:-1] == [None] * 51


def test_unanswered_lists_open_questions_older_than_three_days_without_a_reply(ssa):
    coordinator = make_coordinator(ssa)
    asker = make_member(ssa, coordinator=coordinator)
    adviser = make_member(ssa, coordinator=coordinator)
    waiting = ask(ssa, asker, at=NOW - timedelta(days=5), title="Waiting")
    reply(waiting, asker, at=NOW - timedelta(days=4), body="Anyone?")  # the asker's own
    answered = ask(ssa, asker, at=NOW - timedelta(days=6), title="Answered")
    reply(answered, adviser, at=NOW - timedelta(days=5))
    ask(ssa, asker, at=NOW - timedelta(days=1), title="Too new")
    resolved = ask(ssa, asker, at=NOW - timedelta(days=9), title="Closed by the asker")
    Thread.objects.filter(pk=resolved.pk).update(state=Thread.State.RESOLVED)
    assert [t.title for t in selectors.unanswered_threads(hub=ssa, now=NOW)] == ["Waiting"]


def test_the_dashboard_draws_the_charts_without_javascript(ssa, client):
    coordinator = make_coordinator(ssa)
    asker = make_member(ssa, coordinator=coordinator)
    ask(ssa, asker, at=NOW - timedelta(days=30), title="Nobody answered me")
    client.force_login(coordinator)
    html = client.get("/hubs/ssa/moderation/").content.decode()
    assert html.count('role="img"') == 4
    assert "Consultations started per week" in html
    assert "No consultation was answered in the last year." in html
    assert "Nobody answered me" in html and 'href="#activity"' in html
    assert "<script" not in html.split('id="activity"')[1].split("</section>")[0]


def test_the_dashboard_queries_do_not_grow_with_the_activity(ssa, client, settings):
    settings.THREADS_POST_RATE_LIMIT = 1000
    coordinator = make_coordinator(ssa)
    asker = make_member(ssa, coordinator=coordinator)
    adviser = make_member(ssa, coordinator=coordinator)
    client.force_login(coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/hubs/ssa/moderation/").status_code == 200
        return len(captured)

    queries()  # the first request warms caches (site, content types)
    before = queries()
    for week in range(6):
        thread = ask(ssa, asker, at=NOW - timedelta(weeks=week, days=4), title=f"Q{week}")
        reply(thread, adviser, at=NOW - timedelta(weeks=week, days=3))
    assert queries() == before
