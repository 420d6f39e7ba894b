"""The engine on its own documents, against every backend (see conftest.py)."""

from datetime import UTC, datetime

import pytest

from hubs.models import Hub
from search.backends.base import SearchUnavailable
from search.types import PRACTICE, THREAD, SearchDoc, SearchRequest


def practice(object_id, title, body, **fields):
    fields.setdefault("published", datetime(2020, 1, object_id % 28 + 1, tzinfo=UTC))
    return SearchDoc(
        type=PRACTICE,
        object_id=object_id,
        title=title,
        body=body,
        url=f"/practices/p{object_id}/",
        **fields,
    )


def thread(object_id, hub, title, body):
    return SearchDoc(
        type=THREAD,
        object_id=object_id,
        title=title,
        body=body,
        url=f"/hubs/{hub.slug}/threads/{object_id}/",
        hub=hub.slug,
        hub_id=hub.pk,
        languages=tuple(hub.language_codes),
        themes=("municipal_services",),
    )


def ask(backend, query="", **fields):
    return backend.search(SearchRequest(query=query, **fields))


def ids(results):
    return [(hit.type, hit.object_id) for hit in results.hits]


@pytest.fixture
def corpus(index):
    docs = [
        practice(
            1,
            "Informal waste collectors join the municipal service",
            "Mitrovica recognised the informal collectors who gather recyclables.",
            summary="How Mitrovica made informal waste pickers part of its waste service.",
            hub="see",
            country="XK",
            themes=("municipal_services", "circular_economy"),
            sdgs=(11, 12),
        ),
        practice(
            2,
            "Separating household rubbish at source",
            "Rustavi households sort their wastes into three bins; the city collects them.",
            hub="see",
            country="GE",
            themes=("municipal_services",),
            sdgs=(12,),
        ),
        practice(
            3,
            "Start-up centre for young entrepreneurs",
            "Agadir opened a centre where start-ups meet the municipality.",
            hub="mena",
            country="MA",
            themes=("local_economic_development",),
            sdgs=(8,),
        ),
        practice(
            4,
            "La gestion des déchets ménagers",
            "Les quartiers de Dakar trient les déchets organiques.",
            language="fr",
            hub="ssa",
            country="SN",
            themes=("municipal_services",),
        ),
        practice(
            5,
            "Abfallwirtschaft in der Stadt",
            "In Trier werden die Abfälle getrennt gesammelt.",
            language="de",
            country="DE",
            themes=("municipal_services",),
        ),
        practice(
            6,
            "تطوير الإدارة المحلية",
            "تعمل المدينة مع السكان على تحسين الخدمات.",
            language="ar",
            hub="mena",
            country="JO",
            themes=("good_urban_governance",),
        ),
    ]
    index(*docs)
    return docs


# Stemming and prefixes -----------------------------------------------------------------


def test_english_stemming_finds_other_forms_of_a_word(backend, corpus):
    assert (PRACTICE, 2) in ids(ask(backend, "waste"))  # "wastes" in Rustavi's text
    assert (PRACTICE, 1) in ids(ask(backend, "wastes"))  # "waste" in Mitrovica's
    assert (PRACTICE, 1) in ids(ask(backend, "recognising collector"))


def test_french_stemming_and_accents(backend, corpus):
    assert ids(ask(backend, "déchet")) == [(PRACTICE, 4)]
    assert ids(ask(backend, "dechets menager")) == [(PRACTICE, 4)]
    assert ids(ask(backend, "organique trié")) == [(PRACTICE, 4)]


def test_german_stemming(backend, corpus):
    assert ids(ask(backend, "Abfall")) == [(PRACTICE, 5)]
    assert ids(ask(backend, "Stadt")) == [(PRACTICE, 5)]
    assert ids(ask(backend, "gesammelten")) == [(PRACTICE, 5)]


def test_arabic_stemming(backend, corpus):
    assert ids(ask(backend, "إدارة")) == [(PRACTICE, 6)]  # the text has الإدارة
    assert ids(ask(backend, "مدينة")) == [(PRACTICE, 6)]  # the text has المدينة


# Indefinite and definite forms (Elasticsearch's light stemmer; Snowball's split 4 of these).
ARABIC_PAIRS = [
    ("نفايات", "النفايات"),  # waste
    ("مياه", "المياه"),  # water
    ("بلديات", "البلديات"),  # municipalities
    ("خدمات", "الخدمات"),  # services
    ("مدن", "المدن"),  # cities
    ("مشاريع", "المشاريع"),  # projects
    ("سكان", "السكان"),  # residents
    ("مدارس", "والمدارس"),  # and the schools
]


@pytest.mark.parametrize(("indefinite", "definite"), ARABIC_PAIRS)
def test_arabic_indefinite_and_definite_forms_find_each_other(backend, index, indefinite, definite):
    index(
        practice(7, "مبادرة محلية", f"تعمل المدينة على {definite} مع الشركاء.", language="ar"),
        practice(8, "مشروع آخر", f"برنامج {indefinite} في الحي.", language="ar"),
    )
    assert set(ids(ask(backend, indefinite))) == {(PRACTICE, 7), (PRACTICE, 8)}
    assert set(ids(ask(backend, definite))) == {(PRACTICE, 7), (PRACTICE, 8)}


def test_last_word_matches_as_a_prefix(backend, corpus):
    assert ids(ask(backend, "Mitrov")) == [(PRACTICE, 1)]
    assert ids(ask(backend, "househ")) == [(PRACTICE, 2)]
    # Only the last word: a prefix in the middle of the query is a whole word.
    assert ids(ask(backend, "househ rubbish")) == []


def test_every_word_must_match(backend, corpus):
    assert ids(ask(backend, "waste Rustavi")) == [(PRACTICE, 2)]
    assert ids(ask(backend, "waste Agadir")) == []


def test_stopwords_do_not_narrow_the_search(backend, corpus):
    assert ids(ask(backend, "the centre of the start-ups")) == [(PRACTICE, 3)]


# Ranking and snippets ------------------------------------------------------------------


def test_a_match_in_the_title_ranks_first(backend, index):
    index(
        practice(10, "Street lighting", "A long text " * 30 + "that mentions compost once."),
        practice(11, "Compost for city parks", "Parks get the compost of the markets."),
        practice(12, "Markets", "Traders and markets, nothing about it."),
    )
    assert ids(ask(backend, "compost")) == [(PRACTICE, 11), (PRACTICE, 10)]


def test_snippets_mark_the_matched_words_and_escape_the_rest(backend, index):
    index(
        practice(
            20,
            "Public toilets",
            'The sanitation <script>alert(1)</script> & "quotes" team cleaned the blocks.',
        )
    )
    (hit,) = ask(backend, "sanitation").hits
    assert "<mark>sanitation</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet


def test_a_title_only_match_still_gets_a_snippet(backend, corpus):
    (hit,) = ask(backend, "entrepreneurs").hits
    assert hit.title == "Start-up centre for young entrepreneurs"
    assert "Agadir" in hit.snippet


# Facets, filters, pagination -----------------------------------------------------------


def test_facet_counts(backend, corpus):
    results = ask(backend, "waste")
    assert sorted(ids(results)) == [(PRACTICE, 1), (PRACTICE, 2)]
    facets = {name: {c.value: c.count for c in counts} for name, counts in results.facets.items()}
    assert facets["theme"] == {"municipal_services": 2, "circular_economy": 1}
    assert facets["hub"] == {"see": 2}
    assert facets["country"] == {"XK": 1, "GE": 1}


def test_filters(backend, corpus):
    assert ids(ask(backend, "waste", country="GE")) == [(PRACTICE, 2)]
    assert ids(ask(backend, "waste", theme="circular_economy")) == [(PRACTICE, 1)]
    assert ids(ask(backend, "waste", sdg="11")) == [(PRACTICE, 1)]
    assert ids(ask(backend, "waste", hub="mena")) == []
    assert ids(ask(backend, "waste", type=THREAD)) == []
    assert ids(ask(backend, "waste", theme="no-such-theme")) == []


def test_filters_without_words_browse_newest_first(backend, corpus):
    results = ask(backend, "", theme="municipal_services")
    assert results.total == 4
    assert ids(results) == [(PRACTICE, 5), (PRACTICE, 4), (PRACTICE, 2), (PRACTICE, 1)]
    assert ask(backend, "").total == 0


def test_pagination(backend, index):
    index(*[practice(100 + n, f"Water kiosk number {n}", "Water for everyone.") for n in range(23)])
    pages = [ask(backend, "water", page=page) for page in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [10, 10, 3]
    assert {page.total for page in pages} == {23}
    seen = [hit for page in pages for hit in ids(page)]
    assert len(set(seen)) == 23
    beyond = ask(backend, "water", page=50)
    assert beyond.hits == [] and beyond.total == 23
    far = ask(backend, "water", page=1001)
    assert far.hits == [] and far.total == 23


# Visibility -----------------------------------------------------------------------------


def test_threads_only_for_the_hubs_the_reader_may_access(backend, index):
    see, ssa = Hub.objects.get(slug="see"), Hub.objects.get(slug="ssa")
    index(
        thread(1, see, "Landfill gas in Rustavi", "How do you capture landfill gas?"),
        thread(2, ssa, "Landfill in Dakar", "Our landfill is full."),
    )
    assert ids(ask(backend, "landfill")) == []
    assert ids(ask(backend, "landfill", accessible_hub_ids=frozenset({see.pk}))) == [(THREAD, 1)]
    both = ask(backend, "landfill", accessible_hub_ids=frozenset({see.pk, ssa.pk}))
    assert sorted(ids(both)) == [(THREAD, 1), (THREAD, 2)]
    facets = {c.value: c.count for c in both.facets["hub"]}
    assert facets == {"see": 1, "ssa": 1}


# Writes ---------------------------------------------------------------------------------


def test_reindexing_replaces_and_delete_removes(backend, index, corpus):
    index(practice(2, "Separating household rubbish at source", "Glass and paper only.", hub="see"))
    assert ids(ask(backend, "wastes Rustavi")) == []
    assert ids(ask(backend, "glass")) == [(PRACTICE, 2)]
    backend.delete(PRACTICE, [2, 999])
    backend.refresh()
    assert ids(ask(backend, "glass")) == []
    assert backend.count() == {PRACTICE: 5}


def test_rebuild_replaces_everything(backend, corpus):
    counts = backend.rebuild([practice(30, "Bicycle lanes", "Lanes for cyclists.")])
    backend.refresh()
    assert counts == {PRACTICE: 1}
    assert ids(ask(backend, "waste")) == []
    assert ids(ask(backend, "bicycle")) == [(PRACTICE, 30)]


# Hostile input --------------------------------------------------------------------------

# (hostile query, the same words written plainly): syntax characters are just separators.
HOSTILE = [
    ('"', ""),
    ('"unbalanced', "unbalanced"),
    ("*", ""),
    ("waste*", "waste"),
    ("NEAR(waste collectors)", "near waste collectors"),
    ("NEAR(", "near"),
    ("-waste", "waste"),
    ("title:waste", "title waste"),
    ("^waste", "waste"),
    ("waste OR 1=1", "waste 1"),
    ("'; DROP TABLE search_searchentry; --", "drop table search searchentry"),
    ("') OR ('1'='1", "1"),
    ("AND OR NOT", "and or not"),
    ("waste & | ! :*", "waste"),
    ("{}[]()\\/", ""),
    ("\x00 waste", "waste"),
    ("a" * 2000, "a" * 2000),
    ("waste " * 400, "waste"),
    ("🚮 ♻️", ""),
]


@pytest.mark.parametrize(("query", "plain"), HOSTILE)
def test_hostile_queries_are_just_words(backend, corpus, query, plain):
    # Which documents match (a query cut at MAX_QUERY_CHARS may rank its hits apart).
    results, expected = ask(backend, query), ask(backend, plain)
    assert (results.total, sorted(ids(results))) == (expected.total, sorted(ids(expected)))
    if plain == "waste":
        # The word itself still finds what it names: the waste practices, nothing else.
        assert results.total >= 2
        assert all("wast" in (hit.title + hit.snippet).lower() for hit in results.hits)
    assert backend.count()[PRACTICE] == 6


def test_syntax_characters_do_not_change_the_meaning(backend, corpus):
    assert ids(ask(backend, '"Rustavi"')) == [(PRACTICE, 2)]
    assert ids(ask(backend, "Rustavi:")) == [(PRACTICE, 2)]
    assert ids(ask(backend, "-Rustavi")) == [(PRACTICE, 2)]


# Health and failure ---------------------------------------------------------------------


def test_health_is_ok(backend):
    assert backend.health() is None


def test_an_offline_backend_refuses_work_loudly(backend, settings, corpus):
    settings.SEARCH_OFFLINE = True
    with pytest.raises(SearchUnavailable):
        backend.index([practice(40, "Solar roofs", "Panels on schools.")])
    with pytest.raises(SearchUnavailable):
        ask(backend, "waste")
    assert backend.health() is not None
