"""Journey 3 and the practice and search pages: they wait for the good practices in Wagtail
(practices) and search (search) on main. See README.md here."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser import support
from tests.factories import GoodPracticeFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.browser

TITLE = "Rustavi turns market waste into compost"


def editor():
    user = ProfileFactory(user=UserFactory(name="Eda Editor")).user
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def index_page():
    from goodpractices.models import GoodPracticeIndexPage

    return GoodPracticeIndexPage.objects.get()


def test_editor_publishes_a_good_practice_in_wagtail_and_finds_it_through_search(new_context, site):
    from goodpractices.models import GoodPracticePage

    context = new_context()
    support.log_in(context, editor())
    page = context.new_page()
    page.goto(f"/admin/pages/add/goodpractices/goodpracticepage/{index_page().pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(
        "Traders at the central market separate organic waste; the city composts it and "
        "sells the compost to farmers around Rustavi."
    )
    page.locator("#id_city").fill("Rustavi")
    page.locator("#id_country").select_option("GE")
    page.get_by_role("button", name="Choose region").click()
    page.get_by_role("dialog").get_by_role("link", name="South-East Europe").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.get_by_label("Municipal services").check()
    support.screenshot(page, "journey-3-wagtail-editor")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    practice = GoodPracticePage.objects.get(title=TITLE)
    assert practice.live

    # The header search, from the home page.
    page.goto("/")
    page.locator("#header-q").fill("compost Rustavi")
    page.locator("#header-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=compost"))
    result = page.locator(".search-results").get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    support.screenshot(page, "journey-3-search")
    support.assert_accessible(page)
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    support.screenshot(page, "journey-3-practice")


def test_practice_and_search_pages_are_accessible_and_light(new_context, site):
    practice = GoodPracticeFactory(
        title=TITLE, summary="Traders separate organic waste; the city composts it."
    )
    page = new_context().new_page()
    weight = support.PageWeight(page)
    page.goto(practice.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    total = weight.total()
    print(f"\npractice: {total} bytes on first load\n{weight.report()}")
    assert 0 < total < 300 * 1024, weight.report()
    support.assert_accessible(page)
    support.screenshot(page, "page-practice")

    for name, path in {"practices": "/practices/", "search": "/search/?q=compost"}.items():
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        support.assert_accessible(page)
        support.screenshot(page, f"page-{name}")
