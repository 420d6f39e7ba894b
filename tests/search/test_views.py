"""/search/ and /api/search/ against every backend: shape, facets, visibility by hub
membership, bad input."""

import pytest

from hubs import services as hub_services
from hubs.models import Hub
from search.types import SearchDoc
from tests.factories import UserFactory

from .test_engine import HOSTILE, practice, thread


@pytest.fixture
def hubs(db):
    return {hub.slug: hub for hub in Hub.objects.all()}


@pytest.fixture
def content(index, hubs):
    docs = [
        practice(
            1,
            "Informal waste collectors in Mitrovica",
            "The city recognised informal waste collectors. <b>Bold</b> claims & more.",
            hub="see",
            country="XK",
            themes=("municipal_services",),
        ),
        practice(
            2,
            "Rustavi separates household wastes",
            "Households in Rustavi sort wastes at source.",
            hub="see",
            country="GE",
            themes=("municipal_services",),
            sdgs=(12,),
        ),
        thread(1, hubs["see"], "Waste pickers and the law", "How did you register waste pickers?"),
        thread(2, hubs["ssa"], "Waste to energy in Kumasi", "Is waste to energy worth it?"),
    ]
    index(*docs)
    return docs


def member_of(hub):
    user = UserFactory()
    if hub.join_policy == Hub.JoinPolicy.OPEN:
        hub_services.membership_request(hub=hub, user=user)
    else:
        coordinator = UserFactory()
        hub_services.coordinator_assign(hub=hub, user=coordinator)
        membership = hub_services.membership_request(hub=hub, user=user)
        hub_services.membership_approve(membership=membership, acting_user=coordinator)
    return user


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_api_answers_as_design_md_says(client, backend, content):
    body = api(client, q="waste")
    assert set(body) == {"query", "total", "page", "results", "facets"}
    assert body["query"] == "waste"
    assert body["total"] == 2
    assert body["page"] == 1
    assert {r["url"] for r in body["results"]} == {"/practices/p1/", "/practices/p2/"}
    for result in body["results"]:
        assert set(result) == {"type", "title", "url", "snippet", "hub", "themes", "country"}
        assert result["type"] == "practice"
        assert "<mark>" in result["snippet"]
        assert result["hub"] == "see"
        assert result["themes"] == ["municipal_services"]
    assert set(body["facets"]) == {"theme", "hub", "country"}
    assert body["facets"]["theme"] == [
        {"value": "municipal_services", "label": "Municipal services", "count": 2}
    ]
    assert body["facets"]["hub"] == [{"value": "see", "label": "SEE", "count": 2}]
    countries = {f["value"]: f["label"] for f in body["facets"]["country"]}
    assert countries == {"GE": "Georgia", "XK": "Kosovo"}


def test_api_filters(client, backend, content):
    assert [r["country"] for r in api(client, q="waste", country="GE")["results"]] == ["GE"]
    assert api(client, q="waste", sdg="12")["total"] == 1
    assert (
        "Remove filter: SDG 12"
        in client.get("/search/", {"q": "waste", "sdg": "12"}).content.decode()
    )
    assert api(client, q="waste", type="thread")["total"] == 0


def test_a_member_finds_the_threads_of_their_hub_only(client, backend, content, hubs):
    see_member = member_of(hubs["see"])
    client.force_login(see_member)
    body = api(client, q="waste")
    assert {(r["type"], r["title"]) for r in body["results"] if r["type"] == "thread"} == {
        ("thread", "Waste pickers and the law")
    }
    assert body["total"] == 3

    ssa_member = member_of(hubs["ssa"])
    client.force_login(ssa_member)
    titles = {r["title"] for r in api(client, q="waste", type="thread")["results"]}
    assert titles == {"Waste to energy in Kumasi"}


def test_a_member_who_leaves_stops_finding_the_threads_at_once(client, backend, content, hubs):
    member = member_of(hubs["see"])
    client.force_login(member)
    assert api(client, q="pickers")["total"] == 1
    hub_services.membership_leave(hub=hubs["see"], user=member)
    assert api(client, q="pickers")["total"] == 0


def test_anonymous_visitors_find_no_threads(client, backend, content):
    assert api(client, q="pickers")["total"] == 0
    assert api(client, q="Kumasi")["total"] == 0


def test_search_page_shows_typed_results_highlights_and_facet_links(
    client, backend, content, hubs, django_assert_max_num_queries
):
    client.force_login(member_of(hubs["see"]))
    with django_assert_max_num_queries(15):
        response = client.get("/search/", {"q": "waste"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 results" in html
    assert "<mark>" in html
    assert "Good practice" in html and "Consultation" in html
    assert "Informal waste collectors in Mitrovica" in html
    # Facets are plain links with counts, keeping the query.
    assert 'href="?q=waste&amp;theme=municipal_services"' in html
    assert 'Municipal services <span class="facet-count">(3)</span>' in html
    assert 'href="?q=waste&amp;country=GE"' in html
    assert "Kosovo" in html and "Georgia" in html
    # The text around the marks is escaped.
    assert "<b>Bold</b>" not in html
    assert 'action="/search/"' in html


def test_search_page_follows_a_facet_link(client, backend, content):
    html = client.get("/search/", {"q": "waste", "country": "GE"}).content.decode()
    assert "1 result" in html
    assert "Rustavi separates household wastes" in html
    assert "Informal waste collectors" not in html
    assert "Remove filter: Georgia" in html


def test_search_page_paginates(client, backend, index):
    index(*[practice(100 + n, f"Water kiosk {n}", "Clean water.") for n in range(15)])
    html = client.get("/search/", {"q": "water"}).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?q=water&amp;page=2"' in html
    html = client.get("/search/", {"q": "water", "page": "2"}).content.decode()
    assert "Page 2 of 2" in html
    assert 'href="?q=water"' in html  # previous page: the first, without page=1


def test_empty_query_is_a_normal_page(client, backend, content):
    response = client.get("/search/")
    assert response.status_code == 200
    assert api(client, q="")["total"] == 0
    assert api(client, q="   ")["results"] == []


BAD_PARAMS = [
    {"q": "waste", "page": "-1"},
    {"q": "waste", "page": "0"},
    {"q": "waste", "page": "99999"},
    {"q": "waste", "page": "abc"},
    {"q": "waste", "page": "1e9"},
    {"q": "waste", "page": "9" * 40},
    {"q": "waste", "theme": "no-such-theme"},
    {"q": "waste", "hub": "atlantis"},
    {"q": "waste", "country": "ZZ"},
    {"q": "waste", "sdg": "99"},
    {"q": "waste", "type": "users"},
    {"q": "waste", "theme": "'; DROP TABLE search_searchfacet; --"},
    {"q": "waste", "country": "<script>"},
    {"q": ["waste", "more"]},
]


@pytest.mark.parametrize("params", BAD_PARAMS)
def test_bad_parameters_give_a_normal_page(client, backend, content, params):
    for url in ("/search/", "/api/search/"):
        response = client.get(url, params)
        assert response.status_code == 200


def test_bad_page_numbers_mean_the_first_or_an_empty_page(client, backend, content):
    assert api(client, q="waste", page="-1")["page"] == 1
    assert api(client, q="waste", page="abc")["page"] == 1
    far = api(client, q="waste", page="99999")
    assert far["results"] == [] and far["total"] == 2
    assert (
        "Go to the first page"
        in client.get("/search/", {"q": "waste", "page": "5"}).content.decode()
    )


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_over_http(client, backend, content, query):
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/api/search/", {"q": query}).status_code == 200


def test_syntax_in_a_query_is_escaped_in_the_page(client, backend, content):
    html = client.get("/search/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_an_unavailable_backend_gives_a_clear_page_not_a_500(client, backend, settings, content):
    settings.SEARCH_OFFLINE = True
    response = client.get("/search/", {"q": "waste"})
    assert response.status_code == 503
    assert "Search is unavailable right now" in response.content.decode()
    response = client.get("/api/search/", {"q": "waste"})
    assert response.status_code == 503
    assert response.json()["results"] == []


def test_only_get(client, backend):
    assert client.post("/search/").status_code == 405
    assert client.post("/api/search/").status_code == 405


def test_healthz_includes_the_search_backend(client, backend):
    assert client.get("/healthz").json()["search"] == "ok"


def test_arabic_search_in_an_arabic_page(client, backend, index):
    index(
        SearchDoc(
            type="practice",
            object_id=50,
            title="إدارة النفايات في المدينة",
            body="تجمع البلدية النفايات من الأحياء.",
            url="/practices/ar/",
            language="ar",
        )
    )
    response = client.get("/search/", {"q": "المدينة"}, headers={"accept-language": "ar"})
    assert response.status_code == 200
    assert "إدارة النفايات في المدينة" in response.content.decode()


XSS_TITLE = "<img src=x onerror=alert(1)>"


def test_api_titles_and_snippets_are_safe_html_with_only_our_marks(client, backend, index):
    """Both fields are HTML a client may insert as it is: the text escaped, and no tag but
    the <mark> around matched words (docs/search.md)."""
    index(
        practice(
            7,
            f"Waste {XSS_TITLE} collectors",
            f"Waste <script>alert(2)</script> {XSS_TITLE} and <mark>fake</mark> marks.",
            hub="see",
            country="XK",
        )
    )
    (result,) = api(client, q="waste")["results"]
    for field in ("title", "snippet"):
        value = result[field]
        assert "<img" not in value and "<script" not in value, (field, value)
        assert "&lt;img src=x onerror=alert(1)&gt;" in value, (field, value)
        without_marks = value.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks, (field, value)
    assert "<mark>" in result["snippet"]
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in result["snippet"]
