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
