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
# Bytes transferred on first load (headers and compressed bodies, issue 17): the pages
# people open most on a slow link, and a practice with a photo on a phone.
WEIGHT_BUDGET = 20 * 1024
PHOTO_PAGE_BUDGET = 120 * 1024  # images included, at a phone's 375 px


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


def assert_light(weight, name, budget=WEIGHT_BUDGET):
    total = weight.total()
    print(f"\n{name}: {total} bytes on first load\n{weight.report()}")
    assert 0 < total <= budget, f"{name}: {total} bytes > {budget}\n{weight.report()}"
    # Text is sent compressed (GZipMiddleware in `make run`, nginx in production).
    for url, headers in weight.text_responses():
        assert headers.get("content-encoding") in {"gzip", "br"}, (url, headers)


@pytest.mark.parametrize("name", ["home", "hub", "search"])
def test_first_load_is_light(new_context, name):
    page = new_context().new_page()
    weight = support.PageWeight(page)
    page.goto(PUBLIC_PAGES[name], wait_until="load")
    expect(page.locator("main h1")).to_be_visible()
    assert_light(weight, name)
    assert not any(url.endswith("/favicon.ico") for url, _ in weight.responses())


def test_practice_page_is_accessible_and_light(new_context):
    practice = GoodPracticeFactory(
        title="Rustavi turns market waste into compost",
        summary="Traders separate organic waste; the city composts it.",
    )
    page = new_context().new_page()
    weight = support.PageWeight(page)
    page.goto(practice.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(practice.title)
    assert_light(weight, "practice")
    support.assert_accessible(page)
    support.screenshot(page, "page-practice")


def test_a_practice_with_a_photo_is_light_on_a_phone(new_context):
    """A 1600×1000 photo as the lead image and again in the body: the phone gets one WebP
    rendition sized for its 375 px, once."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    canvas = PILImage.new("RGB", (1600, 1000), (0, 90, 120))
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 1600, 8):  # detail, so that the photo does not compress to nothing
        draw.line([(step, 0), (1600 - step, 1000)], fill=(step % 256, 140, 255 - step % 256))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    photo = get_image_model().objects.create(
        title="Compost site",
        file=SimpleUploadedFile("compost.png", buffer.getvalue(), content_type="image/png"),
    )
    practice = GoodPracticeFactory(
        title="Rustavi composts market waste",
        body=[
            {"type": "challenge", "value": {"text": "<p>The challenge.</p>"}},
            {"type": "image", "value": {"image": photo.pk, "caption": "", "alt_text": "Site"}},
        ],
    )
    practice.lead_image = photo
    practice.save_revision().publish()
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    weight = support.PageWeight(page, exclude=())
    page.goto(practice.url, wait_until="load")
    expect(page.get_by_role("heading", level=1)).to_have_text(practice.title)
    images = [url for url, _ in weight.responses() if "/media/" in url]
    assert len(images) == 1 and images[0].endswith(".webp"), weight.report()
    assert_light(weight, "practice with a photo", PHOTO_PAGE_BUDGET)


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
    assert_light(weight, "thread")
    support.assert_accessible(page)
    support.screenshot(page, "page-thread")


def test_opening_a_thread_marks_it_read_with_a_post(new_context):
    from hubs.models import ThreadReadState
    from hubs.services import message_post
    from tests.browser.test_journeys import consultation, member_of, thread_path

    see = Hub.objects.get(slug="see")
    author = member_of(see, "Marko Kovač")
    reader = member_of(see, "Ana Horvat")
    thread = consultation(see, author, title="Waste fees", question="How do you set them?")
    answer = message_post(thread=thread, author=author, body="By weight.")[0]
    context = new_context()
    support.log_in(context, reader)
    page = context.new_page()
    with page.expect_response(lambda response: response.url.endswith("/read/")) as marked:
        page.goto(thread_path(thread))
    assert marked.value.request.method == "POST" and marked.value.status == 204
    state = ThreadReadState.objects.get(user=reader, thread=thread)
    assert state.last_read_message_id == answer.pk


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
