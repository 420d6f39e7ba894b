"""An Arabic-speaking member reads a translated practice and writes in a thread: every piece
of content runs in its own direction inside the right-to-left page, none is scrambled."""

import pytest
from playwright.sync_api import expect

from tests.browser import support
from tests.browser.test_journeys import consultation, member_of, thread_path
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.browser


def direction(locator):
    return locator.evaluate("element => getComputedStyle(element).direction")


def test_arabic_reader_sees_each_text_in_its_own_direction(new_context, site):
    from goodpractices import services
    from hubs.models import Hub

    translated = GoodPracticeFactory(
        title="Water kiosks in Kisumu",
        summary="Kiosks sell clean water at a fair price.",
        city="Kisumu",
        country="KE",
        region="ssa",
    )
    services.translation_save(
        page=translated,
        language="ar",
        strings={
            "Water kiosks in Kisumu": "أكشاك المياه في كيسومو",
            "Kiosks sell clean water at a fair price.": "أكشاك تبيع المياه النظيفة بسعر عادل.",
        },
    )
    english_only = GoodPracticeFactory(
        title="Tunis keeps its streets clean together.",
        city="Tunis",
        country="TN",
        region="mena",
    )

    see = Hub.objects.get(slug="see")
    asker = member_of(see, "Marko Kovač")
    reader = member_of(see, "ليلى بن علي")
    thread = consultation(
        see,
        asker,
        title="How did you register informal waste pickers?",
        question="We want to include them. How did you register them?",
    )
    context = new_context()
    support.log_in(context, reader)
    page = context.new_page()
    html = page.locator("html")

    # The translated practice, in Arabic.
    page.goto(translated.url + "?lang=ar")
    expect(html).to_have_attribute("dir", "rtl")
    title = page.locator("#practice-title")
    expect(title).to_have_text("أكشاك المياه في كيسومو")
    expect(title).to_have_attribute("dir", "auto")
    assert direction(title) == "rtl"
    support.screenshot(page, "bidi-1-arabic-practice")
    support.assert_accessible(page)

    # A practice only in English: the original, left to right inside the Arabic page, with the
    # languages it exists in; its full stop stays at the end of the sentence.
    page.goto(english_only.url + "?lang=ar")
    expect(page.locator(".page-languages-missing")).to_contain_text("English")
    title = page.locator("#practice-title")
    assert direction(title) == "ltr"
    assert direction(page.locator(".practice .lead")) == "ltr"
    expect(page.locator(".facts bdi").first).to_have_text("Tunis")

    # The thread: an English question, and a reply in Arabic written in the thread.
    page.goto(thread_path(thread) + "?lang=ar")
    expect(page.locator("[data-connection-state]")).to_have_attribute("data-state", "connected")
    assert direction(page.locator(".thread-header h1")) == "ltr"
    assert direction(page.locator(".thread-question")) == "ltr"
    form = page.locator("form.reply-form")
    box = form.locator("textarea")
    expect(box).to_have_attribute("dir", "auto")
    box.fill("سجّلناهم عبر التعاونيات، ثم منحتهم البلدية بطاقات.")
    assert direction(box) == "rtl"
    form.locator("button[type=submit]").click()
    arrived = page.locator("[data-messages] .thread-message").filter(has_text="التعاونيات")
    expect(arrived).to_have_count(1)
    assert direction(arrived.locator(".message-body")) == "rtl"
    expect(arrived.locator(".message-author bdi")).to_have_text("ليلى بن علي")
    # An English reply from the other member reads left to right (written here, in the test
    # process: the page is reloaded to show it).
    from hubs.services.threads import message_post

    message_post(thread=thread, author=asker, body="Thank you, that helps.")
    page.reload()
    english = page.locator("[data-messages] .thread-message").filter(has_text="Thank you")
    expect(english).to_have_count(1)
    assert direction(english.locator(".message-body")) == "ltr"
    expect(english.locator(".message-author bdi")).to_have_text("Marko Kovač")
    support.screenshot(page, "bidi-2-arabic-thread")
    support.assert_accessible(page)
