"""The Elasticsearch backend against a cluster faked at the HTTP level
(`fake_elasticsearch.FakeCluster`: the real client, its retries, headers and serialisation,
with the socket replaced): what a real, secured, multi-node cluster needs of it. Mapping
before the first write, versioned indices behind aliases and the swap, updates during a
rebuild, cleanup, shards and replicas, timeouts and retries, credentials, a health check
without the `monitor` privilege, hits without the body, and a missing alias."""

import uuid

import pytest
from django.core.management import call_command

from events.models import LearningProcess
from hubs.models import Hub, Thread
from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.documents import MAPPING_VERSION
from search.types import EVENT, LEARNING_PROCESS, PRACTICE, THREAD, SearchDoc, SearchRequest
from tests.factories import UserFactory

from .fake_elasticsearch import FakeCluster, Index

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    return FakeCluster()


@pytest.fixture
def es(cluster, settings):
    """The backend as production builds it from the settings, on the fake cluster (a URL of
    its own, so the process's client and alias caches start empty)."""
    settings.ELASTICSEARCH_URL = f"http://es-{uuid.uuid4().hex[:8]}.test:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "cc"
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": cluster.node_class}
    settings.ELASTICSEARCH_BULK_BACKOFF = 0
    backend = get_backend()
    assert backend.name == "elasticsearch"
    return backend


def doc(object_id=1, doc_type=PRACTICE, title="Composting markets", **fields):
    fields.setdefault("body", "Market waste becomes compost. " * 20)
    return SearchDoc(
        type=doc_type, object_id=object_id, title=title, url=f"/x/{object_id}/", **fields
    )


ALIASES = ("cc-practices", "cc-threads", "cc-events", "cc-learning-processes")


# The mapping first ----------------------------------------------------------------------


def test_the_first_write_creates_every_index_with_its_mapping_and_alias(es, cluster):
    """Before: the first post could auto-create `cc-threads` with a dynamic mapping, after
    which the rebuild failed on the alias."""
    es.index([doc(doc_type=THREAD, hub="see", hub_id=3)])
    for alias in ALIASES:
        (name,) = cluster.alias_targets(alias)
        assert name.startswith(f"{alias}-{MAPPING_VERSION}-")
        index = cluster.indices[name]
        assert not index.auto_created
        properties = index.mappings["properties"]
        assert properties["hubs"] == {"type": "keyword"}
        assert properties["body"]["fields"]["ar"]["analyzer"] == "arabic"
    assert list(cluster.docs("cc-threads")) == ["thread-1"]
    # Every write names an alias and forbids auto-creation.
    (bulk,) = cluster.calls(None, "/_bulk$")
    assert bulk.params["require_alias"] == "true"
    assert not [index for index in cluster.indices.values() if index.auto_created]
    # The next writes of the process do not check again.
    before = len(cluster.requests)
    es.index([doc(2)])
    assert [r.path for r in cluster.requests[before:]] == ["/_bulk"]


def test_an_index_auto_created_under_an_alias_name_is_refused_then_replaced(es, cluster):
    cluster.indices["cc-threads"] = Index("cc-threads", auto_created=True, docs={"7": {}})
    with pytest.raises(SearchUnavailable, match=r"not an alias.*rebuild"):
        es.index([doc(doc_type=THREAD)])
    assert "missing index aliases: cc-threads" in es.health()
    es.setup()  # creates the other aliases, leaves this one to the rebuild
    assert cluster.indices["cc-threads"].auto_created
    thread = Thread.objects.create(
        hub=Hub.objects.get(slug="see"), title="Waste", question="Who collects?",
        author=UserFactory(),
    )  # fmt: skip
    call_command("search_index", "--rebuild", verbosity=0)  # setup(), then rebuild()
    assert "cc-threads" not in cluster.indices
    (name,) = cluster.alias_targets("cc-threads")
    assert list(cluster.docs("cc-threads")) == [f"thread-{thread.pk}"]
    # The bad index went in the same call that set the alias.
    swap = cluster.calls("POST", "/_aliases$")[-1].body["actions"]
    assert {"remove_index": {"index": "cc-threads"}} in swap
    assert {"add": {"index": name, "alias": "cc-threads"}} in swap
    assert es.health() is None


# Rebuild: versioned indices and the swap -------------------------------------------------


def test_a_rebuild_swaps_every_alias_and_deletes_old_and_orphaned_indices(es, cluster):
    es.setup()
    old = {alias: cluster.alias_targets(alias) for alias in ALIASES}
    es.index([doc(1, title="Old")])
    # Left by a rebuild that died half-way, in the current and in the older name format;
    # and an index of someone else's that only looks alike.
    for name in ("cc-practices-deadbeef-17", "cc-events-1700000000000", "cc-practices-archive"):
        cluster.indices[name] = Index(name)
    counts = es.rebuild([doc(1, title="New"), doc(2, doc_type=LEARNING_PROCESS)])
    assert counts == {PRACTICE: 1, LEARNING_PROCESS: 1}
    for alias in ALIASES:
        (name,) = cluster.alias_targets(alias)
        assert name not in old[alias] and name.startswith(f"{alias}-{MAPPING_VERSION}-")
    assert [d["title"] for d in cluster.docs("cc-practices").values()] == ["New"]
    assert list(cluster.docs("cc-learning-processes")) == ["learning_process-2"]
    remaining = set(cluster.indices)
    assert not remaining & {name for names in old.values() for name in names}
    assert (
        "cc-practices-deadbeef-17" not in remaining and "cc-events-1700000000000" not in remaining
    )
    assert "cc-practices-archive" in remaining
    assert len(remaining) == len(ALIASES) + 1
    # One call moved every alias (searches never see a mix).
    (swap,) = cluster.calls("POST", "/_aliases$")
    assert {a["add"]["alias"] for a in swap.body["actions"] if "add" in a} == set(ALIASES)
    # The rebuild's helper aliases are gone.
    assert not [
        alias
        for index in cluster.indices.values()
        for alias in index.aliases
        if alias.endswith("-next")
    ]


def test_updates_that_arrive_during_a_rebuild_reach_the_new_index(es, cluster):
    es.setup()

    def stream():
        yield doc(1, title="One, as read")
        # Meanwhile the outbox applies two changes made after the rebuild read its data.
        es.index([doc(2, title="Two, changed meanwhile"), doc(3, title="Three, new meanwhile")])
        es.delete(PRACTICE, [4])
        yield doc(2, title="Two, as read before the change")
        yield doc(4, title="Four, deleted before the rebuild wrote it")

    es.rebuild(stream())
    titles = {key: d["title"] for key, d in cluster.docs("cc-practices").items()}
    assert titles["practice-1"] == "One, as read"
    assert titles["practice-2"] == "Two, changed meanwhile"
    assert titles["practice-3"] == "Three, new meanwhile"
    # A delete that came before the rebuild's own write of the document cannot be told
    # from a document created later: the next change or rebuild removes it (docs/search.md).
    assert "practice-4" in titles


def test_a_rebuild_after_one_that_died_before_its_swap_succeeds(es, cluster):
    """A rebuild killed half-way leaves its indices behind `<alias>-next`: the next rebuild
    deletes them first (else `-next` would name two indices and every write to it fail)."""
    es.setup()
    dead = "cc-practices-deadbeef-5"
    cluster.indices[dead] = Index(dead, aliases={"cc-practices-next"}, docs={"practice-9": {}})
    es.rebuild([doc(1)])
    assert dead not in cluster.indices
    assert list(cluster.docs("cc-practices")) == ["practice-1"]
    es.index([doc(2)])
    assert sorted(cluster.docs("cc-practices")) == ["practice-1", "practice-2"]


def test_a_failed_rebuild_removes_its_indices_and_leaves_the_aliases(es, cluster):
    es.setup()
    es.index([doc(1, title="Kept")])
    before = {alias: cluster.alias_targets(alias) for alias in ALIASES}
    names_before = set(cluster.indices)
    cluster.fail(None, "/_bulk$", status=400, times=1)
    with pytest.raises(SearchUnavailable):
        es.rebuild([doc(1, title="Lost")])
    assert set(cluster.indices) == names_before
    assert {alias: cluster.alias_targets(alias) for alias in ALIASES} == before
    assert [d["title"] for d in cluster.docs("cc-practices").values()] == ["Kept"]
    # Writes go on as before.
    es.index([doc(2, title="After")])
    assert len(cluster.docs("cc-practices")) == 2


def test_indices_of_an_older_mapping_are_reported_until_rebuilt(es, cluster):
    for alias in ALIASES:
        cluster.indices[f"{alias}-00000000-1"] = Index(f"{alias}-00000000-1", aliases={alias})
    problem = es.health()
    assert "older mapping" in problem and "cc-practices" in problem and "rebuild" in problem
    es.rebuild([doc()])
    assert es.health() is None
    assert not [name for name in cluster.indices if "-00000000-" in name]


def test_shards_and_replicas_come_from_the_settings(es, cluster, settings):
    settings.ELASTICSEARCH_SHARDS = 3
    settings.ELASTICSEARCH_REPLICAS = 2
    es.setup()
    for alias in ALIASES:
        (name,) = cluster.alias_targets(alias)
        index_settings = cluster.indices[name].settings
        assert (index_settings["number_of_shards"], index_settings["number_of_replicas"]) == (3, 2)


# Timeouts and retries -------------------------------------------------------------------


def test_bulk_writes_have_a_longer_timeout_and_retry(es, cluster, settings):
    settings.ELASTICSEARCH_BULK_TIMEOUT = 45
    es.setup()
    cluster.fail(None, "/_bulk$", status=0, times=1)  # a timeout
    cluster.fail(None, "/_bulk$", status=429, times=1)  # then "too many requests"
    assert es.index([doc()]) == 1
    bulks = cluster.calls(None, "/_bulk$")
    assert len(bulks) == 3 and {r.timeout for r in bulks} == {45}
    assert list(cluster.docs("cc-practices")) == ["practice-1"]


def test_a_bulk_that_keeps_failing_gives_up_after_the_retries(es, cluster, settings):
    settings.ELASTICSEARCH_BULK_RETRIES = 2
    es.setup()
    cluster.fail(None, "/_bulk$", status=503, times=10)
    with pytest.raises(SearchUnavailable):
        es.index([doc()])
    assert len(cluster.calls(None, "/_bulk$")) == 3  # the request and two retries


def test_searches_fail_fast(es, cluster):
    es.setup()
    cluster.fail("POST", "/_search$", status=0, times=5)
    with pytest.raises(SearchUnavailable):
        es.search(SearchRequest(query="compost"))
    (search,) = cluster.calls("POST", "/_search$")
    assert search.timeout == 5


# Credentials --------------------------------------------------------------------------


def test_an_api_key_ca_file_and_fingerprint_reach_the_connection(cluster, settings, tmp_path):
    ca = tmp_path / "http_ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings.ELASTICSEARCH_URL = f"https://es-{uuid.uuid4().hex[:8]}.test:9200"
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": cluster.node_class}
    settings.ELASTICSEARCH_API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
    settings.ELASTICSEARCH_CA_CERTS = str(ca)
    settings.ELASTICSEARCH_SSL_FINGERPRINT = "AB:CD:" + "EF" * 30
    backend = get_backend()
    (node,) = backend.client.transport.node_pool.all()
    assert node.config.scheme == "https"
    assert node.config.ca_certs == str(ca)
    assert node.config.ssl_assert_fingerprint == "abcd" + "ef" * 30
    backend.setup()
    assert {r.headers["authorization"] for r in cluster.requests} == {
        f"ApiKey {settings.ELASTICSEARCH_API_KEY}"
    }


def test_an_id_and_key_pair_is_encoded(cluster, settings):
    settings.ELASTICSEARCH_URL = f"http://es-{uuid.uuid4().hex[:8]}.test:9200"
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": cluster.node_class}
    settings.ELASTICSEARCH_API_KEY = "the-id:the-key"
    get_backend().setup()
    assert cluster.requests[0].headers["authorization"] == "ApiKey dGhlLWlkOnRoZS1rZXk="


# Health ------------------------------------------------------------------------------


def test_the_health_check_needs_no_monitor_privilege_and_checks_the_aliases(es, cluster):
    cluster.privileges.discard("monitor")
    problem = es.health()
    assert problem.startswith("missing index aliases:") and all(a in problem for a in ALIASES)
    es.setup()
    assert es.health() is None
    assert not cluster.calls(pattern="^/_cluster")
    # One alias gone: named.
    (name,) = cluster.alias_targets("cc-events")
    del cluster.indices[name]
    assert es.health() == "missing index aliases: cc-events (run search_index --rebuild)"


def test_an_unreachable_cluster_is_a_health_problem_not_an_exception(es, cluster):
    cluster.fail("GET", "^/_alias/", status=0, times=5)
    assert "Elasticsearch" in es.health()


# Searching ----------------------------------------------------------------------------


def test_hits_come_without_the_body_and_filter_only_searches_still_get_a_snippet(es, cluster):
    es.index([doc(1, summary="")])
    es.search(SearchRequest(type=PRACTICE))
    (search,) = cluster.calls("POST", "/_search$")
    assert search.body["_source"] == {"excludes": ["body"]}
    assert search.body["highlight"]["fields"]["body"]["no_match_size"] > 0
    assert search.params["ignore_unavailable"] == "true"
    hit = cluster.handle(search)[1]["hits"]["hits"][0]
    assert "body" not in hit["_source"] and hit["_source"]["title"] == "Composting markets"


def test_a_missing_alias_leaves_the_other_types_searchable(es, cluster):
    es.index([doc(1), doc(1, doc_type=EVENT, title="Composting day")])
    (name,) = cluster.alias_targets("cc-threads")
    del cluster.indices[name]
    results = es.search(SearchRequest(query="composting"))
    assert sorted(hit.type for hit in results.hits) == [EVENT, PRACTICE]
    assert es.count() == {PRACTICE: 1, EVENT: 1}


# Learning processes on Elasticsearch ----------------------------------------------------


def test_processes_and_events_of_the_same_id_are_two_documents(
    es, cluster, django_capture_on_commit_callbacks
):
    from events import services
    from hubs import services as hub_services
    from tests.events.conftest import event_data

    see, mena = Hub.objects.get(slug="see"), Hub.objects.get(slug="mena")
    coordinator = UserFactory()
    hub_services.coordinator_assign(hub=see, user=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_create(acting_user=coordinator, hub=see, data=event_data())
    with django_capture_on_commit_callbacks(execute=True):
        process = LearningProcess.objects.create(
            pk=event.pk, title="Land management", slug="land", topic="Land for settlements",
            themes="good_urban_governance", host_name="Trier", host_country="DE", year=2020,
        )  # fmt: skip
        process.hubs.set([see, mena])
    assert list(cluster.docs("cc-events")) == [f"event-{event.pk}"]
    source = cluster.docs("cc-learning-processes")[f"learning_process-{process.pk}"]
    assert source["doc_type"] == LEARNING_PROCESS and sorted(source["hubs"]) == ["mena", "see"]
    assert source["themes"] == ["good_urban_governance"] and source.get("hub_id") is None
    with django_capture_on_commit_callbacks(execute=True):
        process.delete()
    assert cluster.docs("cc-learning-processes") == {}
    assert list(cluster.docs("cc-events")) == [f"event-{event.pk}"]
    # The hub filter and facet read every hub of a document.
    es.search(SearchRequest(query="land", hub="mena"))
    body = cluster.calls("POST", "/_search$")[-1].body
    assert {"term": {"hubs": "mena"}} in body["query"]["bool"]["filter"]
    assert body["aggs"]["hub"]["terms"]["field"] == "hubs"


def test_the_rebuild_command_counts_learning_processes(es, cluster, capsys):
    LearningProcess.objects.create(
        title="Land", slug="land", topic="Land", host_name="Trier", host_country="DE", year=2020
    )
    call_command("search_index", "--rebuild", verbosity=0)
    out = capsys.readouterr().out
    assert "1 learning processes" in out
    assert len(cluster.docs("cc-learning-processes")) == 1
