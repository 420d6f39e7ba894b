"""Elasticsearch through elasticsearch-dsl, for search at scale.

One index per document type behind an alias (`<prefix>-practices`, `-threads`, `-events`,
`-learning-processes`). Concrete indices are named `<alias>-<mapping version>-<time>`: the
mapping version is a hash of the mapping and analysis settings (`search.documents`), so a
deployment can tell that its indices predate the code (`health()` says so) and a rebuild makes
indices of the current version and swaps the aliases at once; searches never see a
half-built index. Nothing is ever written to a name that is not an alias (`require_alias`),
so Elasticsearch cannot auto-create an index with a dynamic mapping under our name; the
indices are created with their mapping first (`setup()`, also on the first write).

Queries are built from the words of `search.analysis.parse_query` (never from query syntax):
every word must match in some field, in any language sub-field; the last word also as a
prefix. Documents restricted to a hub are filtered at query time to the reader's hubs.

Connection, credentials (API key, CA file or certificate fingerprint), timeouts, retries,
shards and replicas come from the settings (docs/search.md)."""

import contextlib
import functools
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, streaming_bulk
from elasticsearch_dsl import Q, Search

from ..analysis import excerpt, parse_query
from ..documents import DOCUMENTS, MAPPING_VERSION, build_index
from ..types import FACETS, FacetCount, Hit, SearchDoc, SearchRequest, SearchResults
from .base import SearchBackend, SearchUnavailable

FACET_SIZE = 20
FACET_FIELDS = {"theme": "themes", "hub": "hubs", "country": "country"}
TEXT_FIELDS = ("title^4", "title.*^4", "summary^2", "summary.*^2", "body", "body.*")
PREFIX_FIELDS = ("title^4", "summary^2", "body")
HIGHLIGHT_ORDER = ("summary", "summary.*", "body", "body.*")
# Hits carry everything but the body (up to 200,000 characters): snippets come from the
# highlighter, which reads the body inside the cluster.
SOURCE_EXCLUDES = ["body"]
SNIPPET_CHARS = 220
ERRORS = (TransportError, ApiError, BulkIndexError)
# While a rebuild runs, its fresh index is also behind `<alias>-next`: updates applied
# meanwhile are written there too, so the swap loses none of them.
NEXT = "next"


def _datetime(value):
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _unavailable(exc: Exception) -> SearchUnavailable:
    return SearchUnavailable(f"Elasticsearch: {type(exc).__name__}: {exc}"[:500])


def _setting(name, default=None):
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


def client_options() -> dict:
    """The client's keyword arguments from the settings: credentials, TLS and the default
    timeout and retries (searches fail fast: the outbox retries writes)."""
    options = {
        "request_timeout": float(_setting("ELASTICSEARCH_TIMEOUT", 5.0)),
        "max_retries": int(_setting("ELASTICSEARCH_RETRIES", 0)),
        "retry_on_timeout": False,
    }
    if api_key := _setting("ELASTICSEARCH_API_KEY"):
        # "id:key" as Kibana shows them, or the encoded form (base64 has no colon).
        options["api_key"] = tuple(api_key.split(":", 1)) if ":" in api_key else api_key
    if ca_certs := _setting("ELASTICSEARCH_CA_CERTS"):
        options["ca_certs"] = str(ca_certs)
    if fingerprint := _setting("ELASTICSEARCH_SSL_FINGERPRINT"):
        options["ssl_assert_fingerprint"] = fingerprint.replace(":", "").lower()
    if _setting("ELASTICSEARCH_VERIFY_CERTS", True) is False:
        options["verify_certs"] = False
    # Anything else the client takes (Python settings only: node_class, http_compress, ...).
    options.update(_setting("ELASTICSEARCH_CLIENT_OPTIONS", {}) or {})
    return options


@functools.cache
def _client(url: str, frozen_options: tuple) -> Elasticsearch:
    return Elasticsearch(url, **dict(frozen_options))


def client_for(url: str) -> Elasticsearch:
    """The one client of the cluster at URL (with the current options), for the life of the
    process: its connection pool and node back-off are shared by every request (the client
    is thread-safe)."""
    return _client(url, tuple(sorted(client_options().items())))


# Aliases known to exist in this process (url, alias): the first write of a process checks
# and creates them; a write that finds one gone forgets it.
_ready: set[tuple[str, str]] = set()


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url):
        self.url = url
        self.client = client_for(url)
        self.prefix = settings.ELASTICSEARCH_INDEX_PREFIX.lower()

    def alias(self, doc_type: str) -> str:
        return f"{self.prefix}-{DOCUMENTS[doc_type].kind}"

    @property
    def aliases(self) -> list[str]:
        return [self.alias(doc_type) for doc_type in DOCUMENTS]

    def _check(self):
        if getattr(settings, "SEARCH_OFFLINE", False):
            raise SearchUnavailable("the search index is offline")

    @property
    def _bulk_client(self) -> Elasticsearch:
        """Bulk requests carry up to 200 documents: a longer timeout, and retries (also on
        timeouts, which a bulk write survives: documents are keyed)."""
        return self.client.options(
            request_timeout=float(_setting("ELASTICSEARCH_BULK_TIMEOUT", 60.0)),
            max_retries=int(_setting("ELASTICSEARCH_BULK_RETRIES", 3)),
            retry_on_timeout=True,
        )

    # Health ----------------------------------------------------------------------------

    def health(self):
        """None when every alias exists and points at an index of the current mapping.
        Needs only the index privileges the backend uses anyway (`view_index_metadata`,
        part of `manage`), not the cluster's `monitor`."""
        if getattr(settings, "SEARCH_OFFLINE", False):
            return "the search index is offline"
        try:
            answer = self.client.options(ignore_status=404).indices.get_alias(
                name=",".join(self.aliases)
            )
        except ERRORS as exc:
            return str(_unavailable(exc))
        found = defaultdict(list)
        for index, info in dict(answer.body).items():
            if not isinstance(info, dict):
                continue  # "error", "status" of a 404
            for alias in info.get("aliases", {}):
                found[alias].append(index)
        missing = [alias for alias in self.aliases if alias not in found]
        if missing:
            return f"missing index aliases: {', '.join(missing)} (run search_index --rebuild)"
        outdated = [
            alias
            for alias in self.aliases
            if not all(self._version_of(alias, index) == MAPPING_VERSION for index in found[alias])
        ]
        if outdated:
            return (
                f"indices of an older mapping behind {', '.join(outdated)} "
                "(run search_index --rebuild)"
            )
        return None

    @staticmethod
    def _version_of(alias: str, index: str) -> str:
        match = re.fullmatch(rf"{re.escape(alias)}-([0-9a-f]{{8}})-\d+", index)
        return match.group(1) if match else ""

    # Indices ---------------------------------------------------------------------------

    def _index_name(self, doc_type: str) -> str:
        return f"{self.alias(doc_type)}-{MAPPING_VERSION}-{time.time_ns()}"

    def _create_index(self, doc_type: str, *, aliases=()) -> str:
        name = self._index_name(doc_type)
        body = build_index(name, DOCUMENTS[doc_type]).to_dict()
        if aliases:
            body["aliases"] = {alias: {} for alias in aliases}
        self.client.indices.create(index=name, **body)
        return name

    def setup(self):
        """Create, for each alias that does not exist, an index with the mapping and the
        alias in one request. An index that carries the alias's own name (auto-created by a
        write before any setup) is left to `rebuild()`, which replaces it."""
        self._check()
        try:
            self._ensure(force=True)
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    def _ensure(self, *, force=False):
        """Create the missing aliases with their indices. FORCE (setup): check every alias
        again, and leave an index named like an alias to the rebuild; else (a write): check
        those not known to exist, and refuse to write past such an index."""
        for alias, doc_type in zip(self.aliases, DOCUMENTS, strict=True):
            if not force and (self.url, alias) in _ready:
                continue
            if not self.client.indices.exists_alias(name=alias):
                if self.client.indices.exists(index=alias):
                    if force:
                        continue  # health() reports it; rebuild() replaces it
                    raise SearchUnavailable(
                        f"Elasticsearch: {alias} is an index, not an alias (created without "
                        "our mapping): run search_index --rebuild"
                    )
                try:
                    self._create_index(doc_type, aliases=[alias])
                except ApiError as exc:
                    # Created by another process meanwhile: fine.
                    if not self.client.indices.exists_alias(name=alias):
                        raise exc from None
            _ready.add((self.url, alias))

    def _forget(self):
        for alias in self.aliases:
            _ready.discard((self.url, alias))

    def drop(self):
        """Delete the indices behind the aliases (tests, decommissioning)."""
        self._forget()
        for alias in (*self.aliases, *(f"{alias}-{NEXT}" for alias in self.aliases)):
            try:
                names = list(self.client.indices.get_alias(name=alias))
            except NotFoundError:
                continue
            self.client.indices.delete(index=",".join(names))

    def refresh(self):
        try:
            self.client.indices.refresh(index=",".join(self.aliases), ignore_unavailable=True)
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    # Writing ---------------------------------------------------------------------------

    @staticmethod
    def _source(doc: SearchDoc) -> dict:
        return DOCUMENTS[doc.type].from_doc(doc).to_dict(include_meta=False)

    def _live_actions(self, docs: Iterable[SearchDoc], counts):
        """Index actions to the alias and, if a rebuild is running, to its fresh index."""
        for doc in docs:
            counts[doc.type] += 1
            source = self._source(doc)
            alias = self.alias(doc.type)
            for target in (alias, f"{alias}-{NEXT}"):
                yield {"_op_type": "index", "_index": target, "_id": doc.key, "_source": source}

    def _bulk(self, actions, *, ignore=lambda item: False) -> None:
        """Send ACTIONS in chunks with `require_alias` (nothing auto-created), retrying
        rejected items (429) with backoff; raise on any failed item IGNORE does not excuse."""
        failures = []
        for ok, item in streaming_bulk(
            self._bulk_client,
            actions,
            chunk_size=200,
            raise_on_error=False,
            max_retries=int(_setting("ELASTICSEARCH_BULK_RETRIES", 3)),
            initial_backoff=float(_setting("ELASTICSEARCH_BULK_BACKOFF", 2.0)),
            require_alias=True,
        ):
            if not ok and not ignore(item):
                failures.append(item)
        if failures:
            raise BulkIndexError(f"{len(failures)} document(s) failed to index", failures)

    @staticmethod
    def _result(item) -> dict:
        ((_op, result),) = item.items()
        return result

    def _no_rebuild_running(self, item) -> bool:
        """A write to `<alias>-next` fails when no rebuild runs: that is the usual case."""
        result = self._result(item)
        return str(result.get("_index", "")).endswith(f"-{NEXT}") and result.get("status") in (
            400,
            404,
        )

    def index(self, docs: Iterable[SearchDoc]) -> int:
        self._check()
        counts = defaultdict(int)
        try:
            self._ensure()
            self._bulk(self._live_actions(docs, counts), ignore=self._no_rebuild_running)
        except BulkIndexError as exc:
            self._forget()  # an alias may have gone: check again next time
            raise _unavailable(exc) from exc
        except ERRORS as exc:
            raise _unavailable(exc) from exc
        return sum(counts.values())

    def delete(self, doc_type: str, object_ids: Iterable[int]) -> None:
        self._check()
        alias = self.alias(doc_type)
        actions = [
            {"_op_type": "delete", "_index": target, "_id": f"{doc_type}-{object_id}"}
            for object_id in object_ids
            for target in (alias, f"{alias}-{NEXT}")
        ]

        def harmless(item):
            result = self._result(item)
            return result.get("status") == 404 or self._no_rebuild_running(item)

        try:
            self._bulk(actions, ignore=harmless)
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    def rebuild(self, docs: Iterable[SearchDoc]) -> dict[str, int]:
        """Fill fresh indices of the current mapping, swap every alias to them in one call,
        then delete the old indices and any left by an earlier failed rebuild. Updates that
        arrive meanwhile are written to the fresh indices too (`<alias>-next`), and the
        rebuild's own writes do not overwrite them (`create`). A failed rebuild deletes its
        fresh indices and leaves the aliases as they were."""
        self._check()
        counts = defaultdict(int)
        fresh = {}
        try:
            self._discard_unfinished()
            for doc_type in DOCUMENTS:
                alias = self.alias(doc_type)
                fresh[doc_type] = self._create_index(doc_type, aliases=[f"{alias}-{NEXT}"])

            def actions():
                for doc in docs:
                    counts[doc.type] += 1
                    yield {
                        "_op_type": "create",
                        "_index": f"{self.alias(doc.type)}-{NEXT}",
                        "_id": doc.key,
                        "_source": self._source(doc),
                    }

            self._bulk(actions(), ignore=lambda item: self._result(item).get("status") == 409)
            self.client.indices.refresh(index=",".join(fresh.values()))
            self._swap(fresh)
        except (*ERRORS, SearchUnavailable) as exc:
            self._discard(fresh.values())
            if isinstance(exc, SearchUnavailable):
                raise
            raise _unavailable(exc) from exc
        finally:
            self._forget()
        self._cleanup(keep=set(fresh.values()))
        return dict(counts)

    def _swap(self, fresh: dict[str, str]) -> None:
        actions = []
        for doc_type, name in fresh.items():
            alias = self.alias(doc_type)
            current = self.client.options(ignore_status=404).indices.get_alias(name=alias)
            old = [index for index, info in dict(current.body).items() if isinstance(info, dict)]
            actions += [{"remove": {"index": index, "alias": alias}} for index in old]
            if not old and self.client.indices.exists(index=alias):
                # An index auto-created under the alias's name: it goes in the same call.
                actions.append({"remove_index": {"index": alias}})
            actions.append({"add": {"index": name, "alias": alias}})
            actions.append({"remove": {"index": name, "alias": f"{alias}-{NEXT}"}})
        self.client.indices.update_aliases(actions=actions)

    def _discard_unfinished(self) -> None:
        """Delete the indices of a rebuild that died before its swap (still behind
        `<alias>-next`, which must name one index only)."""
        names = ",".join(f"{alias}-{NEXT}" for alias in self.aliases)
        answer = self.client.options(ignore_status=404).indices.get_alias(name=names)
        left = [index for index, info in dict(answer.body).items() if isinstance(info, dict)]
        if left:
            self.client.indices.delete(index=",".join(left))

    def _discard(self, names) -> None:
        names = list(names)
        if not names:
            return
        # If this fails too, the cleanup after the next rebuild deletes them.
        with contextlib.suppress(*ERRORS):
            self.client.options(ignore_status=404).indices.delete(index=",".join(names))

    def _cleanup(self, *, keep: set[str]) -> None:
        """Delete our indices that no alias points at any more: the ones just swapped out and
        those of earlier rebuilds that failed half-way (`<alias>-<version>-<time>`, and the
        older `<alias>-<time>`)."""
        try:
            for alias in self.aliases:
                answer = self.client.options(ignore_status=404).indices.get(
                    index=f"{alias}-*", expand_wildcards="open,closed"
                )
                pattern = re.compile(rf"{re.escape(alias)}-(?:[0-9a-f]{{8}}-)?\d+")
                stale = [
                    name
                    for name, info in dict(answer.body).items()
                    if isinstance(info, dict)
                    and pattern.fullmatch(name)
                    and name not in keep
                    and not info.get("aliases")
                ]
                if stale:
                    self.client.indices.delete(index=",".join(stale))
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    def count(self) -> dict[str, int]:
        self._check()
        try:
            counts = {
                doc_type: self.client.count(index=self.alias(doc_type), ignore_unavailable=True)[
                    "count"
                ]
                for doc_type in DOCUMENTS
            }
        except ERRORS as exc:
            raise _unavailable(exc) from exc
        return {doc_type: n for doc_type, n in counts.items() if n}

    # Searching -------------------------------------------------------------------------

    @staticmethod
    def _text_query(terms):
        clauses = []
        for term in terms:
            exact = Q("multi_match", query=term.word, fields=list(TEXT_FIELDS), type="best_fields")
            if term.prefix:
                prefix = Q(
                    "multi_match", query=term.word, fields=list(PREFIX_FIELDS), type="phrase_prefix"
                )
                clauses.append(Q("bool", should=[exact, prefix], minimum_should_match=1))
            else:
                clauses.append(exact)
        return Q("bool", must=clauses)

    @staticmethod
    def _filters(request: SearchRequest):
        visible = [Q("bool", must_not=[Q("exists", field="hub_id")])]
        if request.accessible_hub_ids:
            visible.append(Q("terms", hub_id=sorted(request.accessible_hub_ids)))
        filters = [Q("bool", should=visible, minimum_should_match=1)]
        for name, field in (
            ("type", "doc_type"),
            ("theme", "themes"),
            ("hub", "hubs"),
            ("country", "country"),
            ("sdg", "sdgs"),
        ):
            if value := getattr(request, name):
                filters.append(Q("term", **{field: value}))
        return filters

    def search(self, request: SearchRequest) -> SearchResults:
        self._check()
        results = SearchResults(request=request, facets={name: [] for name in FACETS})
        terms = parse_query(request.query)
        if not terms and not request.filters:
            return results
        query = self._text_query(terms) if terms else Q("match_all")
        # A missing alias (a type whose index is being created or was removed) makes the
        # other types' results no less right: search what is there.
        search = (
            Search(using=self.client, index=self.aliases)
            .params(ignore_unavailable=True)
            .query(Q("bool", must=[query], filter=self._filters(request)))
            .source(excludes=SOURCE_EXCLUDES)
        )
        search = search.sort("_score", {"published": {"order": "desc", "missing": "_last"}})
        size = request.page_size if request.within_window else 0
        offset = request.offset if request.within_window else 0
        search = search.extra(from_=offset, size=size, track_total_hits=True)
        for name, field in FACET_FIELDS.items():
            search.aggs.bucket(name, "terms", field=field, size=FACET_SIZE)
        search = search.highlight(
            *HIGHLIGHT_ORDER, number_of_fragments=1, fragment_size=SNIPPET_CHARS
        )
        # Without a match (a search by filters only) the body's beginning is the snippet.
        search = search.highlight("body", number_of_fragments=1, no_match_size=SNIPPET_CHARS)
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html", require_field_match=False
        )
        try:
            response = search.execute()
        except ERRORS as exc:
            raise _unavailable(exc) from exc
        results.total = response.hits.total.value
        for name in FACET_FIELDS:
            results.facets[name] = [
                FacetCount(value=str(bucket.key), count=bucket.doc_count)
                for bucket in getattr(response.aggregations, name).buckets
            ]
        results.hits = [self._hit(hit) for hit in response]
        return results

    @staticmethod
    def _hit(hit) -> Hit:
        highlights = hit.meta.to_dict().get("highlight", {})

        def first_fragment(*, marked: bool) -> str:
            for pattern in HIGHLIGHT_ORDER:
                base = pattern.removesuffix(".*")
                for field, fragments in highlights.items():
                    matches = (field == base) if pattern == base else field.startswith(f"{base}.")
                    if matches and fragments and (not marked or "<mark>" in fragments[0]):
                        return fragments[0]
            return ""

        # A fragment with matched words first (in the order of HIGHLIGHT_ORDER), then the
        # body's unmatched beginning, then the summary (the body is not in the hit).
        snippet = (
            first_fragment(marked=True)
            or first_fragment(marked=False)
            or excerpt(getattr(hit, "summary", "") or "")
        )
        return Hit(
            type=hit.doc_type,
            object_id=int(hit.object_id),
            title=hit.title,
            url=hit.url,
            snippet=snippet,
            hub=getattr(hit, "hub", "") or "",
            themes=tuple(getattr(hit, "themes", []) or []),
            country=getattr(hit, "country", "") or "",
            published=_datetime(getattr(hit, "published", None)),
            score=float(hit.meta.score or 0.0),
        )
