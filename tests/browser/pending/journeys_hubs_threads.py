"""What waits for the live threads (the `threads` branch) on main: the thread part of
journeys 1 and 2, the thread page's accessibility and weight, and posting without JavaScript.
When threads have landed, move these into test_journeys.py / test_pages.py: the first two
continue the committed journeys (`..._joins_an_open_hub` and `..._approves_a_join_request`).
Checked against the threads branch on its own (08:25 UTC): all pass. See README.md here."""

import re

import pytest
from playwright.sync_api import expect

from hubs.models import Hub
from tests.browser import support
from tests.browser.test_journeys import sign_up
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser


def member_of(hub, name, *, coordinator=False):
    from hubs.services import membership

    user = ProfileFactory(user=UserFactory(name=name)).user
    if coordinator:
        membership.coordinator_assign(hub=hub, user=user)
    else:
        membership.membership_request(hub=hub, user=user)
    return user


def consultation(hub, author, *, title, question):
    from hubs.services.threads import thread_create

    return thread_create(hub=hub, author=author, title=title, question=question)


def thread_path(thread):
    return f"/hubs/{thread.hub.slug}/threads/{thread.pk}/"


def open_live_thread(page, thread):
    page.goto(thread_path(thread))
    expect(page.get_by_role("heading", level=1)).to_have_text(thread.title)
    expect(page.locator("[data-connection-state]")).to_have_attribute("data-state", "connected")


def messages_with(page, text):
    return page.locator("[data-messages] .thread-message").filter(has_text=text)


def reply(page, text):
    form = page.locator("form.reply-form")
    form.get_by_label("Your message").fill(text)
    form.get_by_role("button", name="Send").click()


def test_practitioner_joins_an_open_hub_and_advises_live_even_after_going_offline(
    new_context, site
):
    from hubs.models import Message

    see = Hub.objects.get(slug="see")
    colleague = member_of(see, "Marko Kovač")
    thread = consultation(
        see,
        colleague,
        title="Separating organic waste at city markets",
        question="Our markets throw away tonnes of organic waste. What worked in your city?",
    )

    # Sign up with both consents, confirm, join SEE (open: a member at once).
    # It goes offline below, and logs the failed connections.
    practitioner = new_context(console_errors_allowed=True, can_go_offline=True)
    page = practitioner.new_page()
    sign_up(page, email="dragana@novisad.example", name="Dragana Petrović", mailbox=site.mailbox)
    page.goto("/hubs/see/")
    page.get_by_role("button", name="Join this hub").click()
    expect(page.locator(".membership-box")).to_contain_text("You are a member of this hub.")
    support.screenshot(page, "journey-1-hub-joined")

    # Open the thread; a colleague has it open too.
    page.get_by_role("link", name=thread.title).click()
    expect(page.locator("[data-connection-state]")).to_have_attribute("data-state", "connected")
    other = new_context()
    support.log_in(other, colleague)
    colleague_page = other.new_page()
    open_live_thread(colleague_page, thread)

    # Post: the colleague sees it appear without reloading.
    first = "In Rustavi the market traders compost together; the city collects twice a week."
    reply(page, first)
    expect(messages_with(colleague_page, first)).to_have_count(1)
    expect(messages_with(page, first)).to_have_count(1)
    support.screenshot(page, "journey-1-thread")

    # Offline: the message waits in the outbox, then is delivered once when back online.
    practitioner.go_offline()
    expect(page.locator("[data-connection-state]")).to_have_attribute("data-state", "offline")
    second = "Written on the train: the compost is sold back to the farmers."
    reply(page, second)
    expect(page.locator("[data-outbox]")).to_contain_text(second)
    expect(messages_with(colleague_page, second)).to_have_count(0)
    practitioner.go_online()
    expect(messages_with(colleague_page, second)).to_have_count(1)
    expect(messages_with(page, second)).to_have_count(1)
    expect(page.locator("[data-outbox] li")).to_have_count(0)
    colleague_page.reload()
    expect(messages_with(colleague_page, second)).to_have_count(1)
    assert Message.objects.filter(thread=thread, body=second).count() == 1


def test_coordinator_approves_a_join_request_and_hides_a_message_live(new_context, site):
    mena = Hub.objects.get(slug="mena")  # joining by approval
    coordinator = member_of(mena, "Leila Haddad", coordinator=True)
    applicant = ProfileFactory(user=UserFactory(name="Youssef Amrani")).user
    thread = consultation(
        mena,
        coordinator,
        title="Participatory budgeting in small municipalities",
        question="Who has tried it with fewer than 50,000 inhabitants?",
    )

    # The applicant asks to join.
    applicant_context = new_context()
    support.log_in(applicant_context, applicant)
    member_page = applicant_context.new_page()
    member_page.goto("/hubs/mena/")
    member_page.get_by_label("Message to the coordinators").fill("Budget office, Tangier.")
    member_page.get_by_role("button", name="Ask to join").click()
    expect(member_page.locator(".membership-box")).to_contain_text("waiting for approval")

    # The coordinator approves it on the moderation dashboard.
    coordinator_context = new_context()
    support.log_in(coordinator_context, coordinator)
    dashboard = coordinator_context.new_page()
    dashboard.goto("/hubs/mena/moderation/")
    request = dashboard.locator("#requests article").filter(has_text="Youssef Amrani")
    support.screenshot(dashboard, "journey-2-moderation")
    support.assert_accessible(dashboard)
    request.get_by_role("button", name="Approve").click()
    expect(dashboard.locator("#requests")).to_contain_text("No join requests are waiting.")

    # Now a member, the applicant posts in the thread; the coordinator hides the message and
    # it disappears from the member's page without a reload.
    open_live_thread(member_page, thread)
    text = "Buy my consulting services at a discount!"
    reply(member_page, text)
    expect(messages_with(member_page, text)).to_have_count(1)
    open_live_thread(dashboard, thread)
    message = messages_with(dashboard, text)
    message.get_by_label("Reason for hiding").fill("Advertising is not peer advice.")
    message.get_by_role("button", name="Hide").click()
    expect(member_page.locator("[data-messages]")).not_to_contain_text(text)
    support.screenshot(member_page, "journey-2-message-hidden")


def test_thread_page_is_accessible_and_light(new_context, site):
    see = Hub.objects.get(slug="see")
    author = member_of(see, "Marko Kovač")
    thread = consultation(see, author, title="Waste fees", question="How do you set them?")
    context = new_context()
    support.log_in(context, author)
    page = context.new_page()
    weight = support.PageWeight(page)
    open_live_thread(page, thread)
    total = weight.total()
    print(f"\nthread: {total} bytes on first load\n{weight.report()}")
    assert 0 < total < 300 * 1024, weight.report()
    support.assert_accessible(page)
    support.screenshot(page, "page-thread")


def test_reading_and_posting_work_without_javascript(new_context, site):
    from hubs.models import Message

    see = Hub.objects.get(slug="see")
    author = member_of(see, "Marko Kovač")
    thread = consultation(see, author, title="Waste fees", question="How do you set them?")
    context = new_context(java_script_enabled=False)
    support.log_in(context, author)
    page = context.new_page()
    page.goto("/hubs/see/")
    page.get_by_role("link", name="Waste fees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waste fees")
    reply(page, "By weight, collected monthly.")
    expect(page).to_have_url(re.compile(re.escape(thread_path(thread))))
    expect(messages_with(page, "By weight, collected monthly.")).to_have_count(1)
    assert Message.objects.filter(thread=thread, body="By weight, collected monthly.").count() == 1
