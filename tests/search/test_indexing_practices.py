"""Indexing of good practices through Wagtail and the signals, against every backend:
publish, unpublish and delete; the outbox when the backend is down (a real failure: the
embedded store switched offline, Elasticsearch on a closed port), the retry, the rebuild
command."""

import io

import pytest
from django.core.management import CommandError, call_command

from search.models import SearchOutbox
from search.types import SearchRequest
from tests.factories import GoodPracticeFactory


def found(backend, query, *, hubs=(), **filters):
    results = backend.search(
        SearchRequest(query=query, accessible_hub_ids=frozenset(h.pk for h in hubs), **filters)
    )
    return sorted((hit.type, hit.title) for hit in results.hits)


# Practices ------------------------------------------------------------------------------


def test_publishing_indexes_a_practice_and_unpublishing_removes_it(backend, committed):
    with committed():
        page = GoodPracticeFactory(
            title="Composting markets", summary="Market waste becomes compost."
        )
    assert found(backend, "compost") == [("practice", "Composting markets")]
    (hit,) = backend.search(SearchRequest(query="compost")).hits
    assert hit.url == page.url
    assert hit.hub == "see" and hit.country == "GE" and hit.themes == ("municipal_services",)
    with committed():
        page.unpublish()
    assert found(backend, "compost") == []
    assert SearchOutbox.objects.count() == 0


def test_drafts_are_not_found(backend, committed):
    with committed():
        GoodPracticeFactory(title="Secret draft about compost", live=False)
    assert found(backend, "compost") == []


def test_deleting_a_practice_removes_it(backend, committed):
    with committed():
        page = GoodPracticeFactory(title="Bicycle lanes")
    assert found(backend, "bicycle")
    with committed():
        page.delete()
    assert found(backend, "bicycle") == []


def test_republishing_updates_the_text(backend, committed):
    with committed():
        page = GoodPracticeFactory(title="Bicycle lanes")
    page.title = "Tram lines"
    with committed():
        page.save_revision().publish()
    assert found(backend, "bicycle") == []
    assert found(backend, "tram") == [("practice", "Tram lines")]


def test_publishing_succeeds_while_the_backend_is_down_and_the_update_waits(
    backend, committed, down
):
    down()
    with committed():
        page = GoodPracticeFactory(title="Rainwater harvesting")
    assert page.live
    (row,) = SearchOutbox.objects.all()
    assert (row.doc_type, row.object_id, row.attempts) == ("practice", page.pk, 1)
    assert row.last_error
    down(False)
    assert found(backend, "rainwater") == []
    out = io.StringIO()
    call_command("search_index", "--process-outbox", stdout=out)
    backend.refresh()
    assert "Applied 1 queued index updates; 0 waiting." in out.getvalue()
    assert found(backend, "rainwater") == [("practice", "Rainwater harvesting")]
    assert SearchOutbox.objects.count() == 0


def test_the_next_successful_indexing_retries_what_waited(backend, committed, down):
    down()
    with committed():
        GoodPracticeFactory(title="Rainwater harvesting")
    with pytest.raises(CommandError, match="1 waiting"):
        call_command("search_index", "--process-outbox", stdout=io.StringIO())
    down(False)
    with committed():
        GoodPracticeFactory(title="Rainwater tanks for schools")
    assert found(backend, "rainwater") == [
        ("practice", "Rainwater harvesting"),
        ("practice", "Rainwater tanks for schools"),
    ]
    assert SearchOutbox.objects.count() == 0


def test_rebuild_shows_progress_and_counts(backend, committed, down):
    down()  # nothing reaches the index while publishing
    with committed():
        GoodPracticeFactory(title="Solar street lights")
        GoodPracticeFactory(title="Solar schools", live=False)
    down(False)
    out, err = io.StringIO(), io.StringIO()
    call_command("search_index", "--rebuild", stdout=out, stderr=err)
    backend.refresh()
    assert "Rebuilt the" in out.getvalue() and "1 practices, 0 threads" in out.getvalue()
    assert "Indexing" in err.getvalue() and "100%" in err.getvalue()
    assert found(backend, "solar") == [("practice", "Solar street lights")]
    assert SearchOutbox.objects.count() == 0  # the rebuild covered what waited


def test_rebuild_with_the_backend_down_fails_clearly(backend, down):
    down()
    with pytest.raises(CommandError, match="unavailable"):
        call_command("search_index", "--rebuild", stdout=io.StringIO(), stderr=io.StringIO())
