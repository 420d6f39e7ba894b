"""Each kind end to end through the real hub services: who is told, who is not."""

import re

import pytest

from hubs import services as hub_services
from notifications import selectors, services
from notifications.models import Follow, Kind, Notification
from tests.factories import UserFactory
from tests.hubs.threads_support import make_member

pytestmark = pytest.mark.django_db


def _post(committed, thread, author, body):
    with committed():
        message, _created = hub_services.message_post(thread=thread, author=author, body=body)
    return message


def test_starting_and_posting_follow_the_thread(asked, member, member2, committed):
    assert Follow.objects.filter(user=member, thread=asked, muted=False).exists()
    _post(committed, asked, member2, "We registered them at the depot.")
    assert Follow.objects.filter(user=member2, thread=asked).exists()


def test_ten_replies_are_one_unread_entry_linking_to_the_first(
    asked, member, member2, hub, committed
):
    first = _post(committed, asked, member2, "Reply 1")
    third = make_member(hub)
    for n in range(2, 11):
        _post(committed, asked, member2 if n % 2 else third, f"Reply {n}")
    entries = Notification.objects.filter(recipient=member, kind=Kind.REPLY)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.count == 10
    assert entry.message_id == first.pk
    assert selectors.unread_count(member) == 1
    from notifications.describe import describe

    assert describe(entry) == "10 new replies in “Informal waste collectors”"
    # The poster is not told of their own replies, and posting reads the thread: member2 has
    # one unread entry left, for third's reply after member2's last post.
    assert selectors.unread_count(member2) == 1


def test_after_reading_a_new_reply_opens_a_new_entry(asked, member, member2, committed):
    _post(committed, asked, member2, "Reply 1")
    services.notifications_mark_read(user=member)
    _post(committed, asked, member2, "Reply 2")
    assert Notification.objects.filter(recipient=member, kind=Kind.REPLY).count() == 2
    assert selectors.unread_count(member) == 1


def test_unfollowed_and_muted_threads_tell_nothing(asked, member, member2, committed):
    services.thread_unfollow(user=member, thread=asked)
    _post(committed, asked, member2, "Reply")
    assert not Notification.objects.filter(recipient=member).exists()
    services.thread_mute(user=member2, thread=asked)
    _post(committed, asked, member, f"Thanks @{member2.handle}")
    # member posted: follows again; member2 muted: not even the mention reaches her.
    assert not Notification.objects.filter(recipient=member2).exists()


def test_mention_notifies_once_and_an_edit_only_the_new_person(
    asked, member, member2, hub, committed
):
    third = make_member(hub, name="Tariq Third")
    message = _post(committed, asked, member2, f"@{member.handle} see this")
    mentions = Notification.objects.filter(kind=Kind.MENTION)
    assert list(mentions.values_list("recipient_id", flat=True)) == [member.pk]
    # The mentioned thread author is not told twice (mention and reply).
    assert not Notification.objects.filter(recipient=member, kind=Kind.REPLY).exists()
    with committed():
        hub_services.message_edit(
            message=message, user=member2, body=f"@{member.handle} and @{third.handle} see this"
        )
    assert sorted(mentions.values_list("recipient_id", flat=True)) == sorted([member.pk, third.pk])


def test_mention_never_reaches_someone_who_cannot_read_the_thread(
    asked, member, outsider, committed
):
    _post(committed, asked, member, f"Ask @{outsider.handle} maybe? And @nobody-at-all")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_at_most_ten_mentions_a_message(asked, member, hub, committed):
    people = [make_member(hub) for _n in range(12)]
    body = " ".join(f"@{person.handle}" for person in people)
    _post(committed, asked, member, body)
    told = set(
        Notification.objects.filter(kind=Kind.MENTION).values_list("recipient_id", flat=True)
    )
    assert told == {person.pk for person in people[:10]}


def test_mention_renders_as_a_profile_link_and_unknown_handles_stay_text(
    asked, member, member2, committed
):
    message = _post(committed, asked, member, f"Thanks @{member2.handle}, and @no-such-person.")
    assert f'href="/members/{member2.pk}/"' in message.html
    assert f">@{member2.handle}</a>" in message.html
    assert "@no-such-person." in message.html and "no-such-person</a>" not in message.html


def test_accepted_answer_and_hidden_message_tell_the_author(
    asked, member, member2, coordinator, committed
):
    answer = _post(committed, asked, member2, "Register them at the depot.")
    with committed():
        hub_services.thread_resolve(thread=asked, acting_user=member, accepted_answer=answer)
    assert Notification.objects.filter(recipient=member2, kind=Kind.ANSWER_ACCEPTED).exists()
    other = _post(committed, asked, member2, "Off topic")
    with committed():
        hub_services.message_hide(message=other, acting_user=coordinator, reason="Off topic")
    hidden = Notification.objects.get(recipient=member2, kind=Kind.MESSAGE_HIDDEN)
    assert hidden.detail == "Off topic" and hidden.message_id == other.pk


def test_reports_tell_coordinators_and_then_the_reporter(
    asked, member, member2, coordinator, committed
):
    message = _post(committed, asked, member2, "Something rude")
    with committed():
        report = hub_services.report_create(message=message, reporter=member, reason="Rude")
    assert Notification.objects.filter(recipient=coordinator, kind=Kind.NEW_REPORT).exists()
    with committed():
        hub_services.report_resolve(report=report, acting_user=coordinator, decision="dismiss")
    outcome = Notification.objects.get(recipient=member, kind=Kind.REPORT_OUTCOME)
    assert outcome.outcome == "dismissed"


def test_join_request_and_decision(committed):
    from tests.factories import HubFactory

    hub = HubFactory(join_policy="approval")
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=hub, user=coordinator)
    applicant = UserFactory()
    with committed():
        membership = hub_services.membership_request(hub=hub, user=applicant)
    assert Notification.objects.filter(recipient=coordinator, kind=Kind.JOIN_REQUEST).exists()
    with committed():
        hub_services.membership_reject(
            membership=membership, acting_user=coordinator, reason="Not a city"
        )
    decided = Notification.objects.get(recipient=applicant, kind=Kind.MEMBERSHIP_DECIDED)
    assert (decided.outcome, decided.detail) == ("rejected", "Not a city")


def test_suspension_withdraws_unread_hub_content_and_is_told(
    asked, hub, member, member2, coordinator, committed
):
    _post(committed, asked, member, f"@{member2.handle} hello")
    assert Notification.objects.filter(recipient=member2).exists()
    membership = member2.memberships.get(hub=hub)
    with committed():
        hub_services.membership_suspend(
            membership=membership, acting_user=coordinator, reason="Spam"
        )
    left = Notification.objects.filter(recipient=member2)
    assert list(left.values_list("kind", "outcome")) == [(Kind.SUSPENSION, "suspended")]
    # While suspended, nothing more about the hub reaches them.
    _post(committed, asked, member, f"@{member2.handle} again")
    assert left.count() == 1
    with committed():
        hub_services.membership_reinstate(membership=membership, acting_user=coordinator)
    assert left.filter(outcome="reinstated").exists()


def test_leaving_withdraws_unread_notifications(asked, hub, member, member2, committed):
    _post(committed, asked, member2, "Reply")
    with committed():
        hub_services.membership_leave(hub=hub, user=member)
    assert not Notification.objects.filter(recipient=member).exists()


def test_hub_followers_hear_of_new_threads_grouped(hub, member, member2, committed):
    services.hub_follow(user=member2, hub=hub)
    for n in range(3):
        with committed():
            hub_services.thread_create(hub=hub, author=member, title=f"T{n}", question="Q")
    entry = Notification.objects.get(recipient=member2, kind=Kind.NEW_THREAD)
    assert entry.count == 3


def test_preference_off_tells_nothing(asked, member, member2, committed):
    services.preferences_update(user=member, channels={Kind.REPLY: "off"})
    _post(committed, asked, member2, "Reply")
    assert not Notification.objects.filter(recipient=member).exists()


def test_following_a_thread_one_cannot_read_is_refused(asked, outsider):
    from core.exceptions import ActionError

    with pytest.raises(ActionError) as error:
        services.thread_follow(user=outsider, thread=asked)
    assert error.value.code == "not_found"


def test_reading_the_thread_reads_what_one_was_told_of_in_it(
    asked, member, member2, client, committed
):
    _post(committed, asked, member2, "First")
    _post(committed, asked, member2, f"@{member.handle} second")
    assert selectors.unread_count(member) == 2
    client.force_login(member)
    # The page itself writes nothing; it posts its read mark (thread.js, or the button).
    page = client.get(f"/hubs/{asked.hub.slug}/threads/{asked.pk}/").content.decode()
    assert selectors.unread_count(member) == 2
    last = re.search(r'data-read-last="(\d+)"', page).group(1)
    with committed():
        client.post(f"/hubs/{asked.hub.slug}/threads/{asked.pk}/read/", {"last": last})
    assert selectors.unread_count(member) == 0
