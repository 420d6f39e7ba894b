"""Mail when an event changes or is cancelled, the meeting link only for the accepted, and
reminders 7 days and 1 day before, each sent once however often the task runs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.models import MailRecord, Registration
from events.tasks import send_event_reminders

from .conftest import committed, event_data, make_event, register

pytestmark = pytest.mark.django_db
State = Registration.State
NEW_LINK = "https://meet.example.org/new-room-4711"


@pytest.fixture
def crowd(hub, coordinator, member, member2, people):
    """accepted: member, member2; waitlisted: people[0]; declined: people[1] (review off)."""
    event = make_event(hub, coordinator, capacity=3)
    register(event, member)
    register(event, member2)
    declined = register(event, people[1])
    with committed():
        services.registration_decline(registration=declined, acting_user=coordinator, reason="x")
    register(event, people[2])  # takes the freed third place
    register(event, people[0])  # waitlisted
    return event


def change(event, coordinator, **fields):
    data = {**event_data(), "starts_at": event.starts_at, "ends_at": event.ends_at, **fields}
    with committed():
        return services.event_update(event=event, acting_user=coordinator, data=data)


def test_a_new_link_reaches_the_accepted_only(crowd, coordinator, member, member2, people, outbox):
    outbox.clear()
    change(crowd, coordinator, meeting_link=NEW_LINK)
    assert sorted(m.to[0] for m in outbox) == sorted([member.email, member2.email, people[2].email])
    assert all(NEW_LINK in m.body and NEW_LINK in m.alternatives[0][0] for m in outbox)


def test_a_new_time_reaches_everyone_registered_the_link_only_the_accepted(
    crowd, coordinator, member, people, outbox
):
    outbox.clear()
    event = change(
        crowd,
        coordinator,
        starts_at=crowd.starts_at + timedelta(days=1),
        ends_at=crowd.ends_at + timedelta(days=1),
        meeting_link=NEW_LINK,
    )
    by_address = {m.to[0]: m for m in outbox}
    assert people[1].email not in by_address  # declined: told nothing
    assert NEW_LINK not in by_address[people[0].email].body  # waitlisted: no link
    assert NEW_LINK not in by_address[people[0].email].alternatives[0][0]
    assert NEW_LINK in by_address[member.email].body
    assert len(outbox) == 4
    assert event.sequence == 1


def test_cancelling_tells_everyone_registered_once(crowd, coordinator, people, outbox):
    outbox.clear()
    with committed():
        services.event_cancel(event=crowd, acting_user=coordinator, reason="Floods in the city")
    assert len(outbox) == 4 and people[1].email not in [m.to[0] for m in outbox]
    assert all("Floods in the city" in m.body and NEW_LINK not in m.body for m in outbox)
    crowd.refresh_from_db()
    assert crowd.is_cancelled and crowd.sequence == 1


def test_an_unchanged_save_sends_nothing(crowd, coordinator, outbox):
    outbox.clear()
    event = change(crowd, coordinator)
    assert outbox == [] and event.sequence == 0


def test_reminders_are_sent_once_each(hub, coordinator, member, member2, people, outbox):
    start = timezone.now() + timedelta(days=5, hours=3)
    soon = make_event(hub, coordinator, starts_at=start, ends_at=start + timedelta(hours=2))
    register(soon, member)
    register(soon, member2)
    register(soon, people[0])  # waitlisted: no reminder
    outbox.clear()

    with committed():
        assert services.reminders_send(now=soon.starts_at - timedelta(days=5)) == 2
    with committed():
        assert send_event_reminders.call() == 0  # the task runs again: nothing new
    assert sorted(m.to[0] for m in outbox) == sorted([member.email, member2.email])
    assert all("In 5 days" in m.subject for m in outbox)
    assert soon.meeting_link in outbox[0].body
    assert MailRecord.objects.filter(key="reminder-7d").count() == 2

    # One day before: the 1-day reminder, once.
    later = soon.starts_at - timedelta(hours=20)
    with committed():
        assert services.reminders_send(now=later) == 2
        assert services.reminders_send(now=later) == 0
    assert MailRecord.objects.filter(key="reminder-1d").count() == 2
    assert len(outbox) == 4


def test_the_command_sends_the_due_reminders(hub, coordinator, member, outbox, capsys):
    start = timezone.now() + timedelta(hours=12)
    event = make_event(hub, coordinator, starts_at=start, ends_at=start + timedelta(hours=1))
    register(event, member)
    outbox.clear()
    with committed():
        call_command("send_event_reminders")
    with committed():
        call_command("send_event_reminders")
    assert [m.to for m in outbox] == [[member.email]]
    assert "Tomorrow" in outbox[0].subject
    assert "1 reminder(s) sent." in capsys.readouterr().out


def test_no_reminder_for_a_cancelled_event(event, coordinator, member, outbox):
    register(event, member)
    with committed():
        services.event_cancel(event=event, acting_user=coordinator, reason="No host")
    outbox.clear()
    assert services.reminders_send(now=event.starts_at - timedelta(days=3)) == 0
    assert outbox == []


def test_mail_is_in_the_recipients_language(event, member, outbox):
    from members.models import Profile

    Profile.objects.create(
        user=member,
        organisation="Stadt Trier",
        organisation_type="municipality",
        city="Trier",
        country="DE",
        preferred_language="de",
    )
    register(event, member)
    message = outbox[-1]
    assert message.to == [member.email]
    assert message.body.startswith("Guten Tag")  # the greeting the German catalogue has
    assert "(Europe/Berlin)" in message.body  # a German member sees Berlin time


def test_the_change_mail_lists_each_changed_detail(crowd, coordinator, member, outbox):
    outbox.clear()
    change(
        crowd,
        coordinator,
        starts_at=crowd.starts_at + timedelta(hours=2),
        ends_at=crowd.ends_at + timedelta(hours=2),
        meeting_link=NEW_LINK,
    )
    mail = next(m for m in outbox if m.to[0] == member.email)
    assert "- the time\n" in mail.body and "- the meeting link\n" in mail.body
    assert "- the place" not in mail.body
    html = mail.alternatives[0][0]
    assert "<li>the time</li>" in html and "<li>the meeting link</li>" in html
