"""A newcomer's question, answered while she is elsewhere on the site: her bell counts the
answer live, the mail links to it, and its unsubscribe link works without logging in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import support
from tests.browser.test_journeys import consultation, member_of, open_live_thread, reply

pytestmark = pytest.mark.browser


def _on_this_site(link, site):
    # The mail's links are built from SITE_URL; the test server listens on a port of its own.
    return re.sub(r"^https?://[^/]+", site(""), link)


def test_a_mention_reaches_the_bell_live_and_the_mail_links_to_it(new_context, site):
    from hubs.models import Hub

    see = Hub.objects.get(slug="see")
    asker = member_of(see, "Amina El Idrissi")
    helper = member_of(see, "Marko Kovač")
    thread = consultation(
        see, asker, title="Composting market waste", question="What worked in your city?"
    )

    hers = new_context()
    support.log_in(hers, asker)
    her_page = hers.new_page()
    her_page.goto("/hubs/")
    bell = her_page.locator(".notification-bell")
    expect(bell).to_have_attribute("data-unread", "0")

    his = new_context()
    support.log_in(his, helper)
    his_page = his.new_page()
    open_live_thread(his_page, thread)
    reply(his_page, f"@{asker.handle} in Rustavi the traders compost together.")
    expect(his_page.locator("a.mention")).to_have_count(1)

    # Her bell counts it without a reload.
    expect(bell).to_have_attribute("data-unread", "1")
    expect(bell).to_contain_text("1")

    # The mail links to the exact message.
    link = site.mailbox.link(to=asker.email, pattern="#message-")
    her_page.goto(_on_this_site(link, site))
    message_id = link.rsplit("#message-", 1)[1]
    expect(her_page.locator(f"#message-{message_id}")).to_contain_text("traders compost")

    # One click, no login: the unsubscribe link.
    unsubscribe = site.mailbox.link(to=asker.email, pattern="/notifications/unsubscribe/")
    stranger = new_context().new_page()
    stranger.goto(_on_this_site(unsubscribe, site))
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("status")).to_contain_text("no longer get emails")


def test_the_composer_suggests_hub_members_for_a_mention(new_context, site):
    from hubs.models import Hub

    see = Hub.objects.get(slug="see")
    amina = member_of(see, "Amina El Idrissi")
    member_of(see, "Amadou Diallo")
    helper = member_of(see, "Marko Kovač")
    member_of(Hub.objects.get(slug="mena"), "Amal Elsewhere")  # another hub: not suggested
    thread = consultation(see, amina, title="Market waste", question="What worked?")

    context = new_context()
    support.log_in(context, helper)
    page = context.new_page()
    open_live_thread(page, thread)
    composer = page.locator("form.reply-form").get_by_label("Your message")
    expect(composer).to_have_attribute("aria-expanded", "false")

    composer.press_sequentially("Thanks @am")
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(composer).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_contain_text("Amadou Diallo")
    expect(options.nth(1)).to_contain_text("Amina El Idrissi")
    expect(page.get_by_text("Amal Elsewhere")).to_have_count(0)
    support.assert_accessible(page)  # the open listbox and the combobox too
    first_id = options.first.get_attribute("id")
    expect(composer).to_have_attribute("aria-activedescendant", first_id)

    composer.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(composer).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    composer.press("Enter")  # picks; no new line
    expect(composer).to_have_value(f"Thanks @{amina.handle} ")
    expect(composer).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    composer.press_sequentially("and @ma")  # Marko is oneself: nobody else starts so
    composer.press_sequentially(" @ama")
    expect(options).to_have_count(1)
    composer.press("Escape")
    expect(composer).to_have_attribute("aria-expanded", "false")
    expect(composer).to_have_value(f"Thanks @{amina.handle} and @ma @ama")

    page.locator("form.reply-form").get_by_role("button", name="Send").click()
    expect(page.locator("a.mention")).to_have_count(1)
    expect(page.locator("a.mention")).to_have_text(f"@{amina.handle}")
