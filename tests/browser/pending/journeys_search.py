"""What waits for search (the `search` branch) on main. When it has landed:

1. append the header search below to `test_editor_publishes_a_good_practice_in_wagtail` in
   test_journeys.py (after the publish), and rename it
   `..._and_finds_it_through_the_header_search`;
2. add `"search": "/search/?q=compost"` to PUBLIC_PAGES in test_pages.py.
"""

import re

from playwright.sync_api import expect

from tests.browser import support


def find_through_the_header_search(page, title):
    page.goto("/")
    page.locator("#header-q").fill("compost Rustavi")
    page.locator("#header-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=compost"))
    result = page.locator(".search-results").get_by_role("link", name=title)
    expect(result).to_be_visible()
    support.screenshot(page, "journey-3-search")
    support.assert_accessible(page)
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
