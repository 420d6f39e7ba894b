import re

import pytest

from goodpractices.selectors import PAGE_SIZE


def _options(html, name):
    """{value: (label, count)} of the filter select NAME."""
    block = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S)
    found = re.findall(r'<option value="([^"]+)"[^>]*>(.*?) \((\d+)\)</option>', block.group(1))
    return {value: (label, int(count)) for value, label, count in found}


def _titles(html):
    return re.findall(r'<h3[^>]*><a href="/practices/[^"]+">(.*?)</a></h3>', html)


@pytest.fixture
def collection(practice_factory):
    practice_factory(
        title="Rustavi plastics",
        region="see",
        country="GE",
        themes=("municipal_services",),
        sdgs=(4, 12),
    )
    practice_factory(
        title="Mitrovica pickers",
        region="see",
        country="XK",
        themes=("municipal_services", "good_urban_governance"),
        sdgs=(1, 12),
    )
    practice_factory(
        title="Agadir green economy",
        region="mena",
        country="MA",
        themes=("local_economic_development",),
        sdgs=(8, 13),
    )
    practice_factory(
        title="Kisumu water kiosks",
        region="ssa",
        country="KE",
        themes=("municipal_services",),
        sdgs=(6,),
    )
    practice_factory(
        title="Unpublished idea",
        region="ssa",
        country="KE",
        themes=("municipal_services",),
        live=False,
    )


@pytest.mark.django_db
def test_unfiltered_lists_live_practices_with_counts(client, collection):
    html = client.get("/practices/").content.decode()
    assert sorted(_titles(html)) == [
        "Agadir green economy",
        "Kisumu water kiosks",
        "Mitrovica pickers",
        "Rustavi plastics",
    ]
    themes = _options(html, "theme")
    assert themes["municipal_services"][1] == 3
    assert themes["local_economic_development"][1] == 1
    assert themes["integrated_urban_development"][1] == 0
    regions = _options(html, "region")
    assert regions["see"][1] == 2 and regions["ssa"][1] == 1 and regions["asia"][1] == 0
    assert _options(html, "sdg")["12"][1] == 2
    assert _options(html, "country") == {
        "GE": ("Georgia", 1),
        "KE": ("Kenya", 1),
        "XK": ("Kosovo", 1),
        "MA": ("Morocco", 1),
    }
    assert "4 good practices" in html


@pytest.mark.django_db
def test_filters_combine_and_counts_follow_the_other_filters(client, collection):
    html = client.get("/practices/?theme=municipal_services&region=see").content.decode()
    assert sorted(_titles(html)) == ["Mitrovica pickers", "Rustavi plastics"]
    # Each filter's counts apply the other filters: themes within SEE, regions within the theme.
    themes = _options(html, "theme")
    assert themes["municipal_services"][1] == 2
    assert themes["good_urban_governance"][1] == 1
    assert themes["local_economic_development"][1] == 0
    regions = _options(html, "region")
    assert regions["see"][1] == 2 and regions["ssa"][1] == 1 and regions["mena"][1] == 0
    assert 'value="see" selected' in html

    html = client.get("/practices/?theme=municipal_services&region=see&sdg=1").content.decode()
    assert _titles(html) == ["Mitrovica pickers"]
    html = client.get("/practices/?country=ke&theme=municipal_services").content.decode()
    assert _titles(html) == ["Kisumu water kiosks"]
    html = client.get("/practices/?region=mena&theme=municipal_services").content.decode()
    assert _titles(html) == []
    assert "No good practices match these filters." in html


@pytest.mark.django_db
def test_facet_links_work_without_javascript(client, collection):
    html = client.get("/practices/?region=see").content.decode()
    # A link per option keeps the other filters and toggles its own.
    assert 'href="?region=see&amp;theme=good_urban_governance"' in html
    assert 'href="?" aria-current="true"' in html  # clicking the selected region clears it
    html = client.get("/practices/?region=see&theme=good_urban_governance").content.decode()
    assert _titles(html) == ["Mitrovica pickers"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "theme=nope",
        "region=%3Cscript%3E",
        "country=ZZ",
        "sdg=18",
        "sdg=-1",
        "sdg=abc",
        "page=-1",
        "page=99999",
        "page=x",
        "theme=" + "a" * 2000,
    ],
)
def test_unknown_filter_values_are_ignored(client, collection, query):
    response = client.get(f"/practices/?{query}")
    assert response.status_code == 200
    assert len(_titles(response.content.decode())) == 4


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, practice_factory):
    for n in range(PAGE_SIZE + 3):
        practice_factory(title=f"Waste practice {n:02}", region="see")
    practice_factory(title="Elsewhere", region="asia")
    html = client.get("/practices/?region=see").content.decode()
    assert len(_titles(html)) == PAGE_SIZE
    assert 'href="?region=see&amp;page=2"' in html
    html = client.get("/practices/?region=see&page=2").content.decode()
    assert len(_titles(html)) == 3
    assert "Elsewhere" not in html
    assert 'href="?region=see&amp;page=1"' in html


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_practices(
    client, practice_factory, django_assert_max_num_queries
):
    practice_factory(title="First", sdgs=(1, 2, 3))
    with django_assert_max_num_queries(40) as few:
        client.get("/practices/?theme=municipal_services")
    for n in range(PAGE_SIZE + 2):
        practice_factory(
            title=f"More {n}",
            themes=("municipal_services", "good_urban_governance"),
            sdgs=(4, 5, 6),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/practices/?theme=municipal_services")
    assert len(_titles(response.content.decode())) == PAGE_SIZE
