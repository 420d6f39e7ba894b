"""Every page people land on, in a real browser: no serious or critical accessibility
violations (axe-core), light on first load, readable without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from hubs.models import Hub
from tests.browser import support
from tests.factories import GoodPracticeFactory, ProfileFactory

pytestmark = pytest.mark.browser

# name: path, seen by someone not logged in.
PUBLIC_PAGES = {
    "home": "/",
    "hubs": "/hubs/",
    "hub": "/hubs/see/",
    "signup": "/accounts/signup/",
    "login": "/accounts/login/",
    "guidelines": "/guidelines/",
    "privacy": "/privacy/",
    "practices": "/practices/",
    "search": "/search/?q=waste",
}
# name: path, seen by a logged-in member.
MEMBER_PAGES = {
    "experts": "/members/experts/",
    "profile-edit": "/members/me/",
}
WEIGHT_BUDGET = 300 * 1024  # bytes on first load, user images excluded


def check_page(page, path, name):
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    expect(page.locator("main h1")).to_be_visible()
    support.assert_accessible(page)
    support.screenshot(page, f"page-{name}")


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, name):
    check_page(page, PUBLIC_PAGES[name], name)


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_page_has_no_serious_accessibility_violations(new_context, name):
    context = new_context()
    support.log_in(context, ProfileFactory().user)
    check_page(context.new_page(), MEMBER_PAGES[name], name)


@pytest.mark.parametrize("name", ["home"])
def test_first_load_is_light(new_context, name):
    page = new_context().new_page()
    weight = support.PageWeight(page)
    page.goto(PUBLIC_PAGES[name], wait_until="load")
    expect(page.locator("main h1")).to_be_visible()
    total = weight.total()
    print(f"\n{name}: {total} bytes on first load\n{weight.report()}")
    assert 0 < total < WEIGHT_BUDGET, weight.report()


def test_practice_page_is_accessible_and_light(new_context):
    practice = GoodPracticeFactory(
        title="Rustavi turns market waste into compost",
        summary="Traders separate organic waste; the city composts it.",
    )
    page = new_context().new_page()
    weight = support.PageWeight(page)
    page.goto(practice.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(practice.title)
    total = weight.total()
    print(f"\npractice: {total} bytes on first load\n{weight.report()}")
    assert 0 < total < WEIGHT_BUDGET, weight.report()
    support.assert_accessible(page)
    support.screenshot(page, "page-practice")


def test_thread_page_is_accessible_and_light(new_context):
    from tests.browser.test_journeys import consultation, member_of, open_live_thread

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
    assert 0 < total < WEIGHT_BUDGET, weight.report()
    support.assert_accessible(page)
    support.screenshot(page, "page-thread")


def test_reading_and_posting_work_without_javascript(new_context, site):
    from hubs.models import Message
    from tests.browser.test_journeys import consultation, member_of, messages_with, reply

    see = Hub.objects.get(slug="see")
    author = member_of(see, "Marko Kovač")
    thread = consultation(see, author, title="Waste fees", question="How do you set them?")
    context = new_context(java_script_enabled=False)
    support.log_in(context, author)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="SEE").first.click()
    page.get_by_role("link", name="Waste fees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waste fees")
    reply(page, "By weight, collected monthly.")
    expect(page).to_have_url(re.compile(f"/hubs/see/threads/{thread.pk}/"))
    expect(messages_with(page, "By weight, collected monthly.")).to_have_count(1)
    assert Message.objects.filter(thread=thread, body="By weight, collected monthly.").count() == 1
