"""Profiles: editing, visibility rules, escaping; the expert directory."""

import pytest
from django.utils.html import escape

from core.exceptions import ActionError
from core.themes import ThematicField
from hubs import services as hub_services
from hubs.models import Hub
from members import services
from members.models import Profile
from members.names import NAME_MAX_LENGTH, display_name_clean
from tests.factories import ProfileFactory, UserFactory
from tests.security import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

ALL = Profile.Visibility.MEMBERS
HUBS = Profile.Visibility.HUBS


def make_member(name, *, hub=None, visibility=ALL, expert=True, themes=(), languages=(), **kw):
    profile = ProfileFactory(user=UserFactory(name=name), **kw)
    services.profile_update(
        user=profile.user,
        name=name,
        expertise=list(themes),
        languages=list(languages),
        available_for_advice=expert,
        visibility=visibility,
    )
    if hub:
        join(profile.user, hub)
    return profile.user


def join(user, slug):
    hub = Hub.objects.get(slug=slug)
    hub_services.membership_request(hub=hub, user=user)
    if hub.join_policy == Hub.JoinPolicy.APPROVAL:
        # Requests are decided by the hub's coordinators (staff have no shortcut).
        coordinator = UserFactory()
        hub_services.coordinator_assign(hub=hub, user=coordinator)
        membership = hub.memberships.get(user=user)
        hub_services.membership_approve(membership=membership, acting_user=coordinator)


# Editing ----------------------------------------------------------------------


def test_member_edits_their_profile(member_client, member):
    page = member_client.get("/members/me/").content.decode()
    for name in ("name", "organisation", "position", "bio", "available_for_advice", "visibility"):
        assert f'name="{name}"' in page
    response = member_client.post(
        "/members/me/",
        {
            "name": "Mina M. Member",
            "organisation": "City of Sfax",
            "organisation_type": "municipality",
            "city": "Sfax",
            "country": "TN",
            "preferred_language": "ar",
            "position": "Engineer",
            "bio": "Water and sanitation.",
            "expertise": ["municipal_services", "good_urban_governance"],
            "languages": ["ar", "fr"],
            "available_for_advice": "on",
            "visibility": "hubs",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    profile = member.profile
    assert member.name == "Mina M. Member"
    assert (profile.city, profile.visibility, profile.available_for_advice) == ("Sfax", HUBS, True)
    assert sorted(e.theme for e in profile.expertise.all()) == [
        "good_urban_governance",
        "municipal_services",
    ]
    assert sorted(row.language for row in profile.languages.all()) == ["ar", "fr"]


@pytest.mark.parametrize(
    "bad",
    [
        {"expertise": ["astrology"]},
        {"languages": ["klingon"]},
        {"visibility": "everyone"},
        {"country": "XX"},
        {"name": ""},
        {"bio": "x" * 1501},
    ],
)
def test_bad_profile_input_changes_nothing(member_client, member, bad):
    data = {
        "name": "Changed",
        "organisation": "Changed",
        "organisation_type": "ngo",
        "city": "Changed",
        "country": "TN",
        "preferred_language": "en",
        "visibility": "members",
        **bad,
    }
    response = member_client.post("/members/me/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Mina Member" and member.profile.organisation != "Changed"


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:20])
def test_html_in_profile_fields_is_shown_as_text(client, payload):
    owner = make_member("Owner")
    try:
        name = display_name_clean(payload[:NAME_MAX_LENGTH])
    except ActionError:
        name = "Owner"  # not a name at all (a link, a domain): refused, test_display_names
    services.profile_update(
        user=owner,
        name=name,
        expertise=[],
        languages=[],
        organisation=payload[:200],
        city=payload[:120],
        position=payload[:150],
        bio=payload,
        available_for_advice=True,
    )
    viewer = make_member("Viewer")
    client.force_login(viewer)
    for url, start, end in (
        (f"/members/{owner.pk}/", "<article", "</article>"),
        ("/members/experts/", '<ul class="card-list">', "</section>"),
    ):
        html = client.get(url).content.decode()
        shown = html[html.index(start) : html.index(end)]
        assert_inert(shown)
        assert escape(payload[:100]) in shown


# Visibility -------------------------------------------------------------------


def test_profiles_are_never_shown_to_anonymous_visitors(client):
    owner = make_member("Public Person")
    for url in (f"/members/{owner.pk}/", "/members/experts/", "/members/me/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("visibility", "owner_hub", "viewer_hub", "visible"),
    [
        (ALL, None, None, True),
        (ALL, "see", "mena", True),
        (HUBS, "see", "see", True),
        (HUBS, "see", "mena", False),
        (HUBS, "see", None, False),
        (HUBS, None, None, False),
        (HUBS, "mena", "mena", True),  # by approval
    ],
)
def test_visibility_rules(client, visibility, owner_hub, viewer_hub, visible):
    owner = make_member("Owner Person", hub=owner_hub, visibility=visibility)
    viewer = make_member("Viewer Person", hub=viewer_hub, expert=False)
    client.force_login(viewer)
    assert client.get(f"/members/{owner.pk}/").status_code == (200 if visible else 404)
    listed = "Owner Person" in client.get("/members/experts/").content.decode()
    assert listed == visible


def test_hubs_only_profile_is_hidden_after_the_viewer_leaves_the_hub(client):
    owner = make_member("Owner Person", hub="see", visibility=HUBS)
    viewer = make_member("Viewer Person", hub="see", expert=False)
    client.force_login(viewer)
    assert client.get(f"/members/{owner.pk}/").status_code == 200
    hub_services.membership_leave(hub=Hub.objects.get(slug="see"), user=viewer)
    assert client.get(f"/members/{owner.pk}/").status_code == 404


def test_own_profile_is_always_visible(client):
    owner = make_member("Hidden Self", visibility=HUBS)
    client.force_login(owner)
    assert client.get(f"/members/{owner.pk}/").status_code == 200


def test_unknown_and_deactivated_profiles_are_404(member_client):
    assert member_client.get("/members/987654/").status_code == 404
    gone = make_member("Deactivated")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert member_client.get(f"/members/{gone.pk}/").status_code == 404


# The expert directory ----------------------------------------------------------


@pytest.fixture
def experts(db):
    T = ThematicField
    return {
        "amina": make_member(
            "Amina Waste", hub="mena", themes=[T.MUNICIPAL_SERVICES], languages=["ar", "fr"],
            country="MA", organisation="Commune d'Agadir", bio="composting",
        ),
        "nino": make_member(
            "Nino Planner", hub="see", themes=[T.INTEGRATED_URBAN_DEVELOPMENT], languages=["ka"],
            country="GE", organisation="Rustavi City Hall",
        ),
        "kwame": make_member(
            "Kwame Markets", hub="ssa", themes=[T.LOCAL_ECONOMIC_DEVELOPMENT, T.MUNICIPAL_SERVICES],
            languages=["en"], country="GH", organisation="Kumasi Assembly",
        ),
        "silent": make_member(
            "Silent Member", hub="see", themes=[T.MUNICIPAL_SERVICES], expert=False, country="DE"
        ),
    }  # fmt: skip


def names(client, query=""):
    html = client.get(f"/members/experts/{query}").content.decode()
    return {name for name in ("Amina", "Nino", "Kwame", "Silent") if f"{name} " in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Amina", "Nino", "Kwame"}),
        ("?theme=municipal_services", {"Amina", "Kwame"}),
        ("?hub=see", {"Nino"}),
        ("?theme=municipal_services&hub=ssa", {"Kwame"}),
        ("?country=MA", {"Amina"}),
        ("?language=ka", {"Nino"}),
        ("?q=rustavi", {"Nino"}),
        ("?q=COMPOSTING", {"Amina"}),
        ("?q=kwame+kumasi", {"Kwame"}),
        ("?q=nobody", set()),
    ],
)
def test_directory_filters(member_client, experts, query, expected):
    assert names(member_client, query) == expected


@pytest.mark.parametrize(
    "query", ["?theme=astrology", "?hub=nowhere", "?country=XX", "?language=zz", "?page=abc"]
)
def test_bad_directory_filters_are_reported_not_crashing(member_client, experts, query):
    response = member_client.get(f"/members/experts/{query}")
    assert response.status_code == 200


def test_directory_is_paginated_with_queries_independent_of_page_size(
    member_client, member, django_assert_max_num_queries
):
    from hubs.views import people as views

    for n in range(5):
        make_member(f"Expert {n:02}", hub="see", themes=["municipal_services"], languages=["en"])
    member_client.get("/members/experts/")  # warm the session's consent check
    with django_assert_max_num_queries(12) as few:
        member_client.get("/members/experts/")
    small = len(few.captured_queries)
    for n in range(5, 45):
        make_member(f"Expert {n:02}", hub="see", themes=["municipal_services"], languages=["en"])
    with django_assert_max_num_queries(small) as many:
        page = member_client.get("/members/experts/").content.decode()
    assert len(many.captured_queries) == small
    assert page.count('class="card expert"') == views.EXPERTS_PER_PAGE
    assert "page=2" in page
    second = member_client.get("/members/experts/?page=3").content.decode()
    assert second.count('class="card expert"') == 45 - 2 * views.EXPERTS_PER_PAGE
