"""What only the embedded backend has: the engine's own index kept in step with the
entries (FTS5 triggers, PostgreSQL generated column), and the raw engine for benchmarks."""

import pytest
from django.db import connection

from hubs.models import Hub
from search.analysis import parse_query
from search.backends.embedded import EmbeddedBackend, match_expression
from search.models import SearchEntry

from .test_engine import practice, thread


@pytest.fixture
def backend(settings, db):
    settings.ELASTICSEARCH_URL = None
    return EmbeddedBackend()


def fts_consistent():
    """FTS5's own check that the index matches its content table (SQLite only)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")


def test_the_index_follows_inserts_updates_and_cascading_deletes(backend):
    hub = Hub.objects.create(name="Test hub", slug="test-hub", region="Nowhere")
    backend.index(
        [
            practice(1, "Flood maps", "Maps of flood risk."),
            thread(7, hub, "Flood drills", "Drills."),
        ]
    )
    backend.index([practice(1, "Drought maps", "Maps of drought risk.")])
    if connection.vendor == "sqlite":
        fts_consistent()
    hub.delete()  # the thread's entry goes by cascade
    if connection.vendor == "sqlite":
        fts_consistent()
    assert list(SearchEntry.objects.values_list("doc_type", "object_id")) == [("practice", 1)]
    assert [hit.object_id for hit in backend.search(_request("drought")).hits] == [1]
    assert backend.search(_request("flood")).total == 0


def _request(query):
    from search.types import SearchRequest

    return SearchRequest(
        query=query, accessible_hub_ids=frozenset(Hub.objects.values_list("id", flat=True))
    )


def test_raw_match_runs_the_engine_alone(backend):
    backend.index(
        [practice(1, "Flood maps", "Maps of flood risk."), practice(2, "Parks", "Flood parks.")]
    )
    hits = backend.raw_match("flood")
    entries = dict(SearchEntry.objects.values_list("id", "object_id"))
    assert [entries[entry_id] for entry_id, _score in hits] == [1, 2]


def test_match_expressions_are_words_only():
    terms = parse_query('NEAR("waste" collectors*) OR -x:1')
    assert match_expression(terms, "sqlite") == (
        '("near") AND ("waste" OR "wast") AND ("collectors" OR "collector") AND ("x") AND ("1")'
    )
    assert match_expression(terms, "postgresql") == (
        "('near') & ('waste' | 'wast') & ('collectors' | 'collector') & ('x') & ('1')"
    )
    # The last word is a prefix once it has two letters.
    assert match_expression(parse_query("waste co"), "sqlite") == '("waste" OR "wast") AND ("co"*)'
    assert (
        match_expression(parse_query("waste co"), "postgresql") == "('waste' | 'wast') & ('co':*)"
    )


def test_a_common_word_ranks_its_page_among_the_newest_matches_and_counts_all(backend, monkeypatch):
    """SQLite: past SCORE_CAP matches, bm25 scores only the newest SCORE_CAP of them (the
    total and the facets still count every match); a page the cap cannot fill, here the
    threads, all older than the practices, is ranked over all matches."""
    from search.backends import embedded
    from search.types import SearchRequest

    monkeypatch.setattr(embedded, "SCORE_CAP", 4)
    hub = Hub.objects.create(name="Old hub", slug="old-hub", region="Nowhere")
    # The best match by bm25 (compost in the title, twice) is the oldest entry.
    backend.index([thread(1, hub, "Compost compost", "Compost at the market.")])
    backend.index([thread(n, hub, f"Thread {n}", "We compost.") for n in range(2, 6)])
    backend.index([practice(n, f"Practice {n}", "They compost waste.") for n in range(6, 11)])
    everyone = frozenset({hub.pk})

    def ask(**fields):
        return backend.search(
            SearchRequest(query="compost", page_size=2, accessible_hub_ids=everyone, **fields)
        )

    results = ask()
    assert results.total == 10
    assert [(c.value, c.count) for c in results.facets["hub"]] == [("old-hub", 5)]
    got = [hit.object_id for hit in results.hits]
    if connection.vendor == "sqlite":
        assert len(got) == 2 and set(got) <= {7, 8, 9, 10}  # the four newest only
    else:
        assert got[0] == 1  # PostgreSQL ranks every match
    # Five threads match, more than the cap, but none is among the four newest matches.
    threads = ask(type="thread")
    assert threads.total == 5
    assert threads.hits[0].object_id == 1
    assert len(threads.hits) == 2
