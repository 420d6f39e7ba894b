"""The journeys of the people who use the platform, in Chromium against the real server."""

import re

import pytest
from playwright.sync_api import expect

from members.models import User
from tests.browser import support
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "Peer-advice-2026!"


def sign_up(page, *, email, name, mailbox):
    """Register through the signup form with both consents and confirm the address with the
    link from the mail: the person ends up logged in."""
    page.goto("/")
    page.get_by_role("link", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the network")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_label("Organisation:", exact=True).fill("City of Novi Sad")
    page.get_by_label("Organisation type:").select_option("municipality")
    page.get_by_label("City:").fill("Novi Sad")
    page.get_by_label("Country:").select_option("RS")
    page.get_by_label("I accept the community guidelines").check()
    page.get_by_label("I consent to the processing of my personal data").check()
    page.get_by_role("button", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")

    page.goto(mailbox.link(to=email, pattern="/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(name)


def test_practitioner_joins_an_open_hub_and_advises_live_even_after_going_offline(
    new_context, site
):
    from hubs.models import Hub, Membership, Message

    see = Hub.objects.get(slug="see")
    colleague = member_of(see, "Marko Kovač")
    thread = consultation(
        see,
        colleague,
        title="Separating organic waste at city markets",
        question="Our markets throw away tonnes of organic waste. What worked in your city?",
    )

    # Sign up with both consents and confirm the address. The context goes offline below,
    # and logs the failed connections then.
    practitioner = new_context(console_errors_allowed=True, can_go_offline=True)
    page = practitioner.new_page()
    sign_up(page, email="dragana@novisad.example", name="Dragana Petrović", mailbox=site.mailbox)
    support.screenshot(page, "journey-1-signed-up")
    user = User.objects.get(email="dragana@novisad.example")
    assert user.emailaddress_set.get().verified
    documents = user.consents.values_list("version__document", flat=True)
    assert sorted(documents) == ["guidelines", "privacy"]

    # SEE admits members at once.
    page.get_by_role("link", name="SEE").first.click()
    page.get_by_role("button", name="Join this hub").click()
    expect(page.locator(".membership-box")).to_contain_text("You are a member of this hub.")
    support.screenshot(page, "journey-1-hub-joined")
    support.assert_accessible(page)
    assert Membership.objects.get(user=user, hub=see).state == "active"

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


def test_coordinator_approves_a_join_request_and_hides_a_message_live(new_context, site):
    from hubs.models import Hub

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
    expect(request).to_contain_text("Budget office, Tangier.")
    support.screenshot(dashboard, "journey-2-moderation")
    support.assert_accessible(dashboard)
    request.get_by_role("button", name="Approve").click()
    expect(dashboard.locator("#requests")).to_contain_text("No join requests are waiting.")

    member_page.reload()
    expect(member_page.locator(".membership-box")).to_contain_text("You are a member of this hub.")

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


def expert(name, *, theme, organisation):
    from members import services

    user = ProfileFactory(user=UserFactory(name=name), organisation=organisation).user
    services.profile_update(
        user=user, name=name, expertise=[theme], languages=["ar"], available_for_advice=True
    )
    return user


def test_arabic_interface_renders_right_to_left_and_its_forms_work(page, site):
    expert("Amina Benali", theme="municipal_services", organisation="Commune d'Agadir")
    expert("Otto Planner", theme="integrated_urban_development", organisation="Stadt Trier")

    # The language switcher in the footer (a plain form: it works without JavaScript).
    page.goto("/")
    switcher = page.locator("form.language-switcher")
    switcher.get_by_role("combobox").select_option("ar")
    switcher.get_by_role("button").click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    join = page.locator(".account-nav a[href='/accounts/signup/']")
    expect(join).to_have_text("انضم إلى الشبكة")
    # Mirrored: the brand sits at the right-hand end of the header, text starts on the right.
    brand = page.locator(".site-header .brand").bounding_box()
    main_nav = page.locator(".site-header .site-nav").bounding_box()
    assert brand["x"] > main_nav["x"], (brand, main_nav)
    assert page.locator("main").evaluate("m => getComputedStyle(m).direction") == "rtl"
    # The home page's title is editor content, English until translated: it keeps its own
    # direction inside the right-to-left page (dir="auto").
    assert page.locator("main h1").get_attribute("dir") == "auto"
    support.screenshot(page, "journey-4-arabic-home")
    support.assert_accessible(page)

    # Sign up, with both consents, on the Arabic form.
    join.click()
    expect(html).to_have_attribute("dir", "rtl")
    page.locator("#id_email").fill("karim@sfax.example")
    page.locator("#id_name").fill("كريم الصفاقسي")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_organisation").fill("بلدية صفاقس")
    page.locator("#id_organisation_type").select_option("municipality")
    page.locator("#id_city").fill("صفاقس")
    page.locator("#id_country").select_option("TN")
    page.locator("#id_preferred_language").select_option("ar")
    page.locator("#id_accept_guidelines").check()
    page.locator("#id_accept_privacy").check()
    support.screenshot(page, "journey-4-arabic-signup")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site.url}/accounts/confirm-email/")
    page.goto(site.mailbox.link(to="karim@sfax.example", pattern="/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-nav")).to_contain_text("كريم الصفاقسي")
    expect(html).to_have_attribute("dir", "rtl")
    karim = User.objects.get(email="karim@sfax.example")
    assert karim.name == "كريم الصفاقسي"
    assert karim.profile.city == "صفاقس"

    # The expert directory's filters, in Arabic.
    page.goto("/members/experts/")
    expect(html).to_have_attribute("dir", "rtl")
    page.locator("#id_theme").select_option("municipal_services")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/members/experts/\?.*theme=municipal_services"))
    results = page.locator("main .card-list")
    expect(results).to_contain_text("Amina Benali")
    expect(results).not_to_contain_text("Otto Planner")
    support.screenshot(page, "journey-4-arabic-experts")
    support.assert_accessible(page)


def test_editor_publishes_a_good_practice_in_wagtail_and_finds_it_through_the_header_search(
    new_context, site
):
    from django.contrib.auth.models import Group

    from goodpractices.models import GoodPracticeIndexPage, GoodPracticePage

    title = "Rustavi turns market waste into compost"
    editor = ProfileFactory(user=UserFactory(name="Eda Editor")).user
    editor.groups.add(Group.objects.get(name="Editors"))
    context = new_context()
    support.log_in(context, editor)
    page = context.new_page()
    index = GoodPracticeIndexPage.objects.get()
    page.goto(f"/admin/pages/add/goodpractices/goodpracticepage/{index.pk}/")
    page.locator("#id_title").fill(title)
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
    assert GoodPracticePage.objects.get(title=title).live

    # The header search, from the home page.
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
    support.screenshot(page, "journey-3-practice")
