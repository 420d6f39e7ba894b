"""Elasticsearch through elasticsearch-dsl, for search at scale.

One index per document type behind an alias (`<prefix>-practices`, `<prefix>-threads`); a
rebuild fills fresh indices and swaps the aliases at once, so searches never see a half-built
index. Queries are built from the words of `search.analysis.parse_query` (never from query
syntax): every word must match in some field, in any language sub-field; the last word also
as a prefix. Threads are filtered at query time to the reader's hubs."""

import functools
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, streaming_bulk
from elasticsearch_dsl import Q, Search

from ..analysis import excerpt, parse_query
from ..documents import DOCUMENTS, build_index
from ..types import FACETS, FacetCount, Hit, SearchDoc, SearchRequest, SearchResults
from .base import SearchBackend, SearchUnavailable

FACET_SIZE = 20
FACET_FIELDS = {"theme": "themes", "hub": "hubs", "country": "country"}
TEXT_FIELDS = ("title^4", "title.*^4", "summary^2", "summary.*^2", "body", "body.*")
PREFIX_FIELDS = ("title^4", "summary^2", "body")
HIGHLIGHT_ORDER = ("summary", "summary.*", "body", "body.*")
ERRORS = (TransportError, ApiError, BulkIndexError)


def _datetime(value):
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _unavailable(exc: Exception) -> SearchUnavailable:
    return SearchUnavailable(f"Elasticsearch: {type(exc).__name__}: {exc}"[:500])


@functools.cache
def client_for(url: str) -> Elasticsearch:
    """The one client of the cluster at URL, for the life of the process: its connection
    pool is reused by every request (the client is thread-safe)."""
    return Elasticsearch(url, request_timeout=5, retry_on_timeout=False, max_retries=0)


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

    def health(self):
        if getattr(settings, "SEARCH_OFFLINE", False):
            return "the search index is offline"
        info = self.client.cluster.health(timeout="2s")
        if info.get("status") == "red":
            return "cluster status is red"
        return None

    # Indices ---------------------------------------------------------------------------

    def _create_index(self, doc_type: str) -> str:
        name = f"{self.alias(doc_type)}-{time.time_ns()}"
        build_index(name, DOCUMENTS[doc_type]).create(using=self.client)
        return name

    def setup(self):
        self._check()
        try:
            for doc_type in DOCUMENTS:
                alias = self.alias(doc_type)
                if not self.client.indices.exists_alias(name=alias):
                    name = self._create_index(doc_type)
                    self.client.indices.put_alias(index=name, name=alias)
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    def drop(self):
        """Delete the indices behind the aliases (tests, decommissioning)."""
        for alias in self.aliases:
            try:
                names = list(self.client.indices.get_alias(name=alias))
            except NotFoundError:
                continue
            self.client.indices.delete(index=",".join(names))

    def refresh(self):
        try:
            self.client.indices.refresh(index=",".join(self.aliases))
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    # Writing ---------------------------------------------------------------------------

    def _actions(self, docs: Iterable[SearchDoc], targets: dict[str, str], counts):
        for doc in docs:
            counts[doc.type] += 1
            document = DOCUMENTS[doc.type].from_doc(doc)
            action = document.to_dict(include_meta=True)
            action["_index"] = targets[doc.type]
            yield action

    def _bulk(self, actions) -> None:
        for ok, item in streaming_bulk(self.client, actions, chunk_size=200, raise_on_error=True):
            if not ok:  # pragma: no cover - raise_on_error raises first
                raise SearchUnavailable(str(item))

    def index(self, docs: Iterable[SearchDoc]) -> int:
        self._check()
        counts = defaultdict(int)
        targets = {doc_type: self.alias(doc_type) for doc_type in DOCUMENTS}
        try:
            self._bulk(self._actions(docs, targets, counts))
        except ERRORS as exc:
            raise _unavailable(exc) from exc
        return sum(counts.values())

    def delete(self, doc_type: str, object_ids: Iterable[int]) -> None:
        self._check()
        try:
            for object_id in object_ids:
                self.client.options(ignore_status=404).delete(
                    index=self.alias(doc_type), id=f"{doc_type}-{object_id}"
                )
        except ERRORS as exc:
            raise _unavailable(exc) from exc

    def rebuild(self, docs: Iterable[SearchDoc]) -> dict[str, int]:
        self._check()
        counts = defaultdict(int)
        try:
            fresh = {doc_type: self._create_index(doc_type) for doc_type in DOCUMENTS}
            self._bulk(self._actions(docs, fresh, counts))
            self.client.indices.refresh(index=",".join(fresh.values()))
            actions, stale = [], []
            for doc_type, name in fresh.items():
                alias = self.alias(doc_type)
                try:
                    old = list(self.client.indices.get_alias(name=alias))
                except NotFoundError:
                    old = []
                actions += [{"remove": {"index": index, "alias": alias}} for index in old]
                actions.append({"add": {"index": name, "alias": alias}})
                stale += old
            self.client.indices.update_aliases(actions=actions)
            if stale:
                self.client.indices.delete(index=",".join(stale))
        except ERRORS as exc:
            raise _unavailable(exc) from exc
        return dict(counts)

    def count(self) -> dict[str, int]:
        self._check()
        try:
            counts = {
                doc_type: self.client.count(index=self.alias(doc_type))["count"]
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
        search = Search(using=self.client, index=self.aliases).query(
            Q("bool", must=[query], filter=self._filters(request))
        )
        search = search.sort("_score", {"published": {"order": "desc", "missing": "_last"}})
        size = request.page_size if request.within_window else 0
        offset = request.offset if request.within_window else 0
        search = search.extra(from_=offset, size=size, track_total_hits=True)
        for name, field in FACET_FIELDS.items():
            search.aggs.bucket(name, "terms", field=field, size=FACET_SIZE)
        search = search.highlight(*HIGHLIGHT_ORDER, number_of_fragments=1, fragment_size=220)
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
        snippet = ""
        highlights = hit.meta.to_dict().get("highlight", {})
        for pattern in HIGHLIGHT_ORDER:
            base = pattern.removesuffix(".*")
            for field, fragments in highlights.items():
                if (field == base) if pattern == base else field.startswith(f"{base}."):
                    snippet = fragments[0]
                    break
            if snippet:
                break
        if not snippet:
            snippet = excerpt(getattr(hit, "summary", "") or getattr(hit, "body", ""))
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
