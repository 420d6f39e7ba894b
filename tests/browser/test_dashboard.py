"""The coordinator dashboard in Chromium: its activity charts pass axe, and on a phone-sized
screen every member is a card whose Suspend button is on the screen."""

import pytest
from playwright.sync_api import expect

from hubs import services as hub_services
from hubs.models import Hub
from tests.browser import support
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "name,viewport",
    [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 375, "height": 812})],
)
def test_the_dashboard_is_accessible_and_fits_a_phone(new_context, site, name, viewport):
    hub = Hub.objects.get(slug="see")
    coordinator = UserFactory(name="Dragan Coordinator")
    hub_services.coordinator_assign(hub=hub, user=coordinator)
    member = UserFactory(name="Mira Krasniqi")
    hub_services.membership_request(hub=hub, user=member)  # SEE admits members at once
    thread = hub_services.thread_create(
        hub=hub, author=member, title="Informal waste collectors", question="How?"
    )
    hub_services.message_post(thread=thread, author=coordinator, body="Like this.")

    context = new_context(viewport=viewport)
    support.log_in(context, coordinator)
    page = context.new_page()
    page.goto("/hubs/see/moderation/")
    expect(page.get_by_role("img", name="Messages per week")).to_be_visible()
    support.assert_accessible(page)
    row = page.locator(".member-row", has_text="Mira Krasniqi")
    suspend = row.get_by_role("button", name="Suspend")
    suspend.scroll_into_view_if_needed()
    box = suspend.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["height"] >= 24 and box["width"] >= 24
    # Nothing makes the page itself scroll sideways (wide tables scroll in their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    support.screenshot(page, f"dashboard-{name}")
