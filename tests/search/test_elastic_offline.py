"""The Elasticsearch backend without a cluster: an unreachable cluster is a clear
SearchUnavailable (never a crash), and the response handling of highlights."""

from datetime import UTC, datetime

import pytest
from elasticsearch_dsl.response import Hit

from search.backends.base import SearchUnavailable
from search.backends.elastic import ElasticsearchBackend
from search.documents import PracticeDocument, build_index
from search.types import SearchDoc, SearchRequest

CLOSED_PORT_URL = "http://127.0.0.1:8159"


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT_URL
    return ElasticsearchBackend(CLOSED_PORT_URL)


DOC = SearchDoc(type="practice", object_id=1, title="Compost", body="Compost.", url="/p/")


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.setup(),
        lambda b: b.index([DOC]),
        lambda b: b.delete("practice", [1]),
        lambda b: b.rebuild([DOC]),
        lambda b: b.search(SearchRequest(query="compost")),
        lambda b: b.count(),
        lambda b: b.refresh(),
    ],
)
def test_an_unreachable_cluster_raises_search_unavailable(unreachable, call):
    with pytest.raises(SearchUnavailable, match="Elasticsearch"):
        call(unreachable)


def test_the_mapping_has_a_sub_field_per_language():
    mapping = build_index("x", PracticeDocument).to_dict()
    body = mapping["mappings"]["properties"]["body"]
    assert body["analyzer"] == "folded"
    assert {code: f["analyzer"] for code, f in body["fields"].items()} == {
        "en": "english",
        "fr": "french",
        "de": "german",
        "ar": "arabic",
    }
    assert mapping["mappings"]["properties"]["hub_id"] == {"type": "integer"}


def test_a_hit_takes_the_first_highlight_in_order():
    hit = Hit(
        {
            "_id": "1",
            "_index": "cc-practices-1",
            "_score": 2.5,
            "_source": {
                "doc_type": "practice",
                "object_id": 1,
                "title": "Compost",
                "url": "/p/",
                "summary": "Summary",
                "themes": ["municipal-services"],
                "published": "2020-01-02T00:00:00+00:00",
            },
            "highlight": {
                "body.en": ["the <mark>compost</mark> heap"],
                "summary.fr": ["<mark>compost</mark> &lt;b&gt;"],
            },
        }
    )
    result = ElasticsearchBackend._hit(hit)
    assert result.snippet == "<mark>compost</mark> &lt;b&gt;"
    assert result.themes == ("municipal-services",)
    assert result.published == datetime(2020, 1, 2, tzinfo=UTC)
    assert result.score == 2.5


def test_one_client_serves_every_backend_of_a_cluster(settings):
    """The client (and its connection pool) is made once per cluster URL, not per call."""
    from search.backends import get_backend

    settings.ELASTICSEARCH_URL = CLOSED_PORT_URL
    first, second = get_backend(), get_backend()
    assert first.client is second.client
    assert ElasticsearchBackend(CLOSED_PORT_URL).client is first.client
    other = ElasticsearchBackend("http://127.0.0.1:8160")
    assert other.client is not first.client
    # The shared client still fails as clearly as a fresh one.
    with pytest.raises(SearchUnavailable, match="Elasticsearch"):
        second.count()
