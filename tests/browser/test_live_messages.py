"""Live messages are the page's messages: the fragment a frame carries is the server's, with
the controls of the person looking switched on by thread.js; and a page that goes offline and
online again twenty times, in the background, ends with each message once."""

import pytest
from playwright.sync_api import expect

from tests.browser import support
from tests.browser.test_journeys import (
    consultation,
    member_of,
    messages_with,
    open_live_thread,
    reply,
)

pytestmark = pytest.mark.browser


def test_a_live_message_has_the_askers_answer_action_and_no_edit_once_locked(new_context):
    from hubs.models import Hub, Thread

    see = Hub.objects.get(slug="see")
    asker = member_of(see, "Ana Asker")
    colleague = member_of(see, "Cvetan Colleague")
    coordinator = member_of(see, "Dora Coordinator", coordinator=True)
    thread = consultation(
        see, asker, title="Night buses after the ferry", question="Who runs them in your city?"
    )
    pages = {}
    for person in (asker, colleague, coordinator):
        context = new_context()
        support.log_in(context, person)
        pages[person] = context.new_page()
        open_live_thread(pages[person], thread)
    asker_page, colleague_page, coordinator_page = (
        pages[asker],
        pages[colleague],
        pages[coordinator],
    )

    text = "Our transport company runs two after the last ferry, paid by the port."
    reply(colleague_page, text)
    # The asker sees it live with the action only they and coordinators have, and no edit.
    live = messages_with(asker_page, text)
    expect(live).to_have_count(1)
    expect(live.get_by_role("button", name="Mark as the answer that helped")).to_be_visible()
    expect(live.get_by_role("link", name="Edit")).to_have_count(0)
    expect(live.get_by_role("link", name="Report")).to_be_visible()
    # The author has their own controls on the live copy, and nobody else's.
    own = messages_with(colleague_page, text)
    expect(own.get_by_role("link", name="Edit")).to_be_visible()
    expect(own.get_by_role("button", name="Delete")).to_be_visible()
    expect(own.get_by_role("link", name="Report")).to_have_count(0)
    expect(own.get_by_role("button", name="Mark as the answer that helped")).to_have_count(0)
    expect(own.get_by_role("button", name="Hide")).to_have_count(0)
    expect(messages_with(coordinator_page, text).get_by_role("button", name="Hide")).to_be_visible()

    # The asker accepts it from the live copy (its form got the page's CSRF token); the
    # others see the tag appear without reloading.
    live.get_by_role("button", name="Mark as the answer that helped").click()
    expect(messages_with(asker_page, text).get_by_text("Accepted answer")).to_be_visible()
    expect(own.get_by_text("Accepted answer")).to_be_visible()
    expect(own).to_have_class("thread-message is-accepted")
    thread.refresh_from_db()
    assert thread.state == Thread.State.RESOLVED and thread.accepted_answer.body == text

    # Locked: the author's Edit link goes at once, and a message that comes back live (hidden
    # and shown again by the coordinator) comes without it.
    coordinator_page.get_by_role("button", name="Lock").click()
    expect(coordinator_page.locator("[data-locked-note]")).to_be_visible()
    expect(own.get_by_role("link", name="Edit")).to_have_count(0)
    coordinator_message = messages_with(coordinator_page, text)
    coordinator_message.get_by_label("Reason for hiding").fill("Checking a claim")
    coordinator_message.get_by_role("button", name="Hide").click()
    expect(messages_with(colleague_page, text)).to_have_count(0)
    messages_with(coordinator_page, text).get_by_role("button", name="Show again").click()
    back = messages_with(colleague_page, text)
    expect(back).to_have_count(1)
    expect(back.get_by_role("button", name="Delete")).to_be_visible()
    expect(back.get_by_role("link", name="Edit")).to_have_count(0)
    colleague_page.reload()
    expect(messages_with(colleague_page, text).get_by_role("button", name="Delete")).to_be_visible()
    expect(messages_with(colleague_page, text).get_by_role("link", name="Edit")).to_have_count(0)


def test_going_offline_and_online_twenty_times_delivers_each_message_once(new_context):
    from hubs.models import Hub, Message

    see = Hub.objects.get(slug="see")
    traveller = member_of(see, "Teodora Traveller")
    colleague = member_of(see, "Kosta Colleague")
    thread = consultation(
        see, colleague, title="Bike lanes on the bridge", question="Painted or separated?"
    )
    away = new_context(console_errors_allowed=True, can_go_offline=True)
    support.log_in(away, traveller)
    page = away.new_page()
    open_live_thread(page, thread)
    other = new_context()
    support.log_in(other, colleague)
    colleague_page = other.new_page()
    open_live_thread(colleague_page, thread)

    # The thread's tab goes to the background: browsers throttle its timers, and thread.js
    # must still reconnect at once on `online` instead of waiting for a delayed close event.
    elsewhere = away.new_page()
    elsewhere.goto("/")
    state = page.locator("[data-connection-state]")
    texts = []
    for round_ in range(20):
        away.go_offline()
        expect(state).to_have_attribute("data-state", "offline")
        mine = f"Round {round_}: written offline."
        reply(page, mine)  # waits in the outbox
        theirs = f"Round {round_}: posted while the other was away."
        reply(colleague_page, theirs)
        expect(messages_with(colleague_page, theirs)).to_have_count(1)
        elsewhere.bring_to_front()
        away.go_online()
        # Delivered within 5 s of coming back (a bound on waiting, not a speed test).
        expect(state).to_have_attribute("data-state", "connected", timeout=5_000)
        expect(messages_with(page, theirs)).to_have_count(1, timeout=5_000)
        expect(messages_with(page, mine)).to_have_count(1, timeout=5_000)
        expect(page.locator("[data-outbox] li")).to_have_count(0, timeout=5_000)
        page.bring_to_front()
        texts += [theirs, mine]  # mine is stored once back online

    stored = list(Message.objects.filter(thread=thread).order_by("pk"))
    assert [m.body for m in stored] == texts  # each post stored once, in order
    for each in (page, colleague_page):
        ids = each.locator("[data-messages] [data-id]").evaluate_all(
            "items => items.map(item => Number(item.dataset.id))"
        )
        assert ids == [m.pk for m in stored]
