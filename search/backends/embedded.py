"""Full-text search on the database itself: SQLite FTS5, or PostgreSQL full text.

Documents live in `SearchEntry` (original text for snippets, stemmed words for the index),
`SearchFacet` (one row per facet value, for the filters) and `SearchFacetSet` (the facet
values an entry shows, shared, for the counts). Migration 0002 creates the engine's index: the
FTS5 table `search_fts` on SQLite, the tsvector column `search_vector` with a GIN index on
PostgreSQL. Both index words already stemmed by `search.analysis`, so the two engines find
the same things; ranking is FTS5's bm25 (title weighted 4:1) or PostgreSQL's ts_rank (title
A, body B).
"""

import json
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count

from ..analysis import Term, excerpt, highlight, index_text, parse_query
from ..models import SearchEntry, SearchFacet, SearchFacetSet
from ..types import FACETS, FacetCount, Hit, SearchDoc, SearchRequest, SearchResults
from .base import SearchBackend, SearchUnavailable

FACET_SIZE = 20
# SQLite: a query matching more than this ranks its page among the SCORE_CAP most recently
# indexed matches only. bm25 scores every match it is given, and a common word or prefix
# matches half of 100k documents (docs/benchmarks.md); the total and the facets still count
# every match. A page the capped ranking cannot fill is ranked over all matches.
SCORE_CAP = 2000


def match_expression(terms: list[Term], vendor: str) -> str:
    """The engine's query for TERMS: every term must match, in any of its forms. Forms are
    letters and digits only, so nothing in them is syntax."""
    groups = []
    for term in terms:
        forms = [form for form in term.forms if form]
        if not forms:
            continue
        if vendor == "sqlite":
            star = "*" if term.prefix else ""
            groups.append("(" + " OR ".join(f'"{form}"{star}' for form in forms) + ")")
        else:
            star = ":*" if term.prefix else ""
            groups.append("(" + " | ".join(f"'{form}'{star}" for form in forms) + ")")
    return (" AND " if vendor == "sqlite" else " & ").join(groups)


def facet_set_key(values) -> str:
    """The key of a SearchFacetSet: VALUES (facet name -> values, as in the SearchFacet
    rows) for the facets a search counts, as canonical JSON."""
    return json.dumps(
        {name: list(dict.fromkeys(values.get(name, ()))) for name in FACETS},
        ensure_ascii=False,
        separators=(",", ":"),
    )


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    @property
    def vendor(self) -> str:
        return connection.vendor

    def _check(self):
        # The operators' switch to take the index offline (maintenance); the outbox keeps
        # the updates meanwhile. Tests use it to make the store really refuse work.
        if getattr(settings, "SEARCH_OFFLINE", False):
            raise SearchUnavailable("the search index is offline")
        if self.vendor not in ("sqlite", "postgresql"):
            raise SearchUnavailable(f"no full-text support for {self.vendor}")

    def health(self):
        try:
            self._check()
        except SearchUnavailable as exc:
            return str(exc)
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'ok'")
            else:
                cursor.execute(
                    "SELECT count(*) FROM search_searchentry WHERE search_vector @@ 'ok'"
                )
        return None

    def setup(self):
        self._check()  # the index is created by the migrations

    # Writing -------------------------------------------------------------------------

    def _entry_fields(self, doc: SearchDoc) -> dict:
        languages = doc.analysis_languages
        return {
            "title": doc.title,
            "summary": doc.summary,
            "body": doc.body,
            "url": doc.url,
            "language": doc.language,
            "languages": ",".join(languages),
            "hub": doc.hub,
            "access_hub_id": doc.hub_id,
            "themes": list(doc.themes),
            "country": doc.country,
            "region": doc.region,
            "sdgs": list(doc.sdgs),
            "published": doc.published,
            "index_title": index_text(doc.title, languages),
            "index_body": index_text(f"{doc.summary}\n{doc.body}", languages),
        }

    @staticmethod
    def _facets(entry: SearchEntry, doc: SearchDoc) -> list[SearchFacet]:
        return [
            SearchFacet(entry=entry, name=name, value=value[:100])
            for name, values in doc.facet_values.items()
            for value in dict.fromkeys(values)
        ]

    @staticmethod
    def _facet_set_id(doc: SearchDoc, known: dict[str, int] | None = None) -> int:
        values = {name: [value[:100] for value in doc.facet_values[name]] for name in FACETS}
        key = facet_set_key(values)
        if known is not None and key in known:
            return known[key]
        facet_set, _ = SearchFacetSet.objects.get_or_create(key=key)
        if known is not None:
            known[key] = facet_set.id
        return facet_set.id

    def index(self, docs: Iterable[SearchDoc]) -> int:
        self._check()
        written = 0
        try:
            with transaction.atomic():
                for doc in docs:
                    fields = self._entry_fields(doc)
                    fields["facet_set_id"] = self._facet_set_id(doc)
                    entry, _ = SearchEntry.objects.update_or_create(
                        doc_type=doc.type, object_id=doc.object_id, defaults=fields
                    )
                    SearchFacet.objects.filter(entry=entry).delete()
                    SearchFacet.objects.bulk_create(self._facets(entry, doc))
                    written += 1
        except DatabaseError as exc:
            raise SearchUnavailable(str(exc)) from exc
        return written

    def delete(self, doc_type: str, object_ids: Iterable[int]) -> None:
        self._check()
        try:
            SearchEntry.objects.filter(doc_type=doc_type, object_id__in=list(object_ids)).delete()
        except DatabaseError as exc:
            raise SearchUnavailable(str(exc)) from exc

    def rebuild(self, docs: Iterable[SearchDoc]) -> dict[str, int]:
        self._check()
        counts = defaultdict(int)
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            SearchFacetSet.objects.all().delete()
            known = {}
            batch = []
            for doc in docs:
                batch.append(doc)
                counts[doc.type] += 1
                if len(batch) >= 200:
                    self._bulk_insert(batch, known)
                    batch = []
            self._bulk_insert(batch, known)
        self._optimise()
        return dict(counts)

    def _optimise(self) -> None:
        """After a bulk load: fresh planner statistics (the row estimates of an unanalysed
        table make PostgreSQL pick nested loops), and FTS5's segments merged."""
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("ANALYZE search_searchentry")
                cursor.execute("ANALYZE search_searchfacet")
            else:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("PRAGMA optimize")

    def _bulk_insert(self, docs: list[SearchDoc], known: dict[str, int]) -> None:
        entries = SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    doc_type=d.type,
                    object_id=d.object_id,
                    facet_set_id=self._facet_set_id(d, known),
                    **self._entry_fields(d),
                )
                for d in docs
            ]
        )
        SearchFacet.objects.bulk_create(
            [
                facet
                for entry, doc in zip(entries, docs, strict=True)
                for facet in self._facets(entry, doc)
            ]
        )

    def count(self) -> dict[str, int]:
        self._check()
        rows = SearchEntry.objects.values("doc_type").order_by().annotate(n=Count("id"))
        return {row["doc_type"]: row["n"] for row in rows}

    # Searching -----------------------------------------------------------------------

    # The engine's matches as (id, score), or (id) alone: bm25 is most of a query's cost
    # and only the page needs it, not the total nor the facets.
    HITS_SQL = {
        ("sqlite", True): "SELECT rowid AS id, -bm25(search_fts, 4.0, 1.0) AS score "
        "FROM search_fts WHERE search_fts MATCH %s",
        ("sqlite", False): "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s",
        ("postgresql", True): "SELECT id, ts_rank(search_vector, q, 1) AS score "
        "FROM search_searchentry, to_tsquery('simple', %s) q WHERE search_vector @@ q",
        ("postgresql", False): "SELECT id FROM search_searchentry "
        "WHERE search_vector @@ to_tsquery('simple', %s)",
    }

    # The newest matches first (FTS5 walks rowids backwards), scored only up to the limit.
    CAPPED_HITS_SQL = (
        "SELECT id, score FROM (SELECT rowid AS id, -bm25(search_fts, 4.0, 1.0) AS score "
        "FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s)"
    )

    def _hits_sql(
        self, terms: list[Term], *, scored: bool = True, cap: int | None = None
    ) -> tuple[str, list]:
        if not terms:
            if scored:
                return "SELECT id, 0.0 AS score FROM search_searchentry", []
            return "SELECT id FROM search_searchentry", []
        expression = match_expression(terms, self.vendor)
        if cap is not None and scored and self.vendor == "sqlite":
            return self.CAPPED_HITS_SQL, [expression, cap]
        return self.HITS_SQL[self.vendor, scored], [expression]

    @staticmethod
    def _filters_sql(request: SearchRequest) -> tuple[str, list]:
        ids = sorted(request.accessible_hub_ids)
        visible = "e.access_hub_id IS NULL"
        if ids:
            visible += f" OR e.access_hub_id IN ({', '.join(['%s'] * len(ids))})"
        clauses, params = [f"({visible})"], list(ids)
        for column in ("type", "country"):
            if value := getattr(request, column):
                clauses.append(f"e.{'doc_type' if column == 'type' else column} = %s")
                params.append(value)
        # A document may have several hubs (an event or learning process of two hubs), so
        # the hub filter reads the facet rows, like the theme.
        for name in ("theme", "hub", "sdg"):
            if value := getattr(request, name):
                clauses.append(
                    "EXISTS (SELECT 1 FROM search_searchfacet f "
                    "WHERE f.entry_id = e.id AND f.name = %s AND f.value = %s)"
                )
                params += [name, value]
        return " AND ".join(clauses), params

    def _matched_sql(
        self,
        request: SearchRequest,
        terms: list[Term],
        select: str,
        *,
        scored: bool,
        cap: int | None = None,
    ) -> tuple[str, list]:
        """SELECT over the visible, filtered matches (`hits` joined to their entry `e`).
        The entry columns used here are all in the covering index search_entry_cover, so
        the join never reads the entries' text."""
        hits_sql, hits_params = self._hits_sql(terms, scored=scored, cap=cap)
        where, where_params = self._filters_sql(request)
        # SQLite's planner prefers the rowid (the whole row) without fresh statistics.
        cover = " INDEXED BY search_entry_cover" if self.vendor == "sqlite" else ""
        # Only constant SQL fragments are joined here; every value is a parameter.
        sql = (
            f"WITH hits AS ({hits_sql}) SELECT {select} FROM hits "  # noqa: S608
            f"JOIN search_searchentry e{cover} ON e.id = hits.id WHERE {where}"
        )
        return sql, hits_params + where_params

    def search(self, request: SearchRequest) -> SearchResults:
        self._check()
        results = SearchResults(request=request, facets={name: [] for name in FACETS})
        terms = parse_query(request.query)
        if not terms and not request.filters:
            return results
        # One pass gives the total and the facets: the matches counted per facet set (an
        # integer, cheap to group by), then the few sets found read for their values.
        groups_sql, groups_params = self._matched_sql(
            request, terms, "e.facet_set_id, count(*) AS n", scored=False
        )
        groups_sql = (
            f"SELECT s.key, g.n FROM ({groups_sql} GROUP BY e.facet_set_id) g "  # noqa: S608
            "LEFT JOIN search_searchfacetset s ON s.id = g.facet_set_id"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(groups_sql, groups_params)
                groups = cursor.fetchall()
                results.total = sum(row[1] for row in groups)
                if not results.total:
                    return results
                page = []
                if request.within_window:
                    expected = min(request.page_size, results.total - request.offset)
                    capped = (
                        terms
                        and results.total > SCORE_CAP
                        and request.offset + request.page_size <= SCORE_CAP
                    )
                    for cap in (SCORE_CAP, None) if capped else (None,):
                        page_sql, page_params = self._matched_sql(
                            request, terms, "e.id, hits.score", scored=True, cap=cap
                        )
                        cursor.execute(
                            f"{page_sql} ORDER BY hits.score DESC, e.published DESC NULLS LAST, "
                            "e.id DESC LIMIT %s OFFSET %s",
                            [*page_params, request.page_size, request.offset],
                        )
                        page = cursor.fetchall()
                        if len(page) >= expected:
                            break
        except DatabaseError as exc:
            raise SearchUnavailable(str(exc)) from exc
        results.facets = self._facet_counts(groups)
        entries = SearchEntry.objects.in_bulk([row[0] for row in page])
        results.hits = [
            self._hit(entries[entry_id], score, terms)
            for entry_id, score in page
            if entry_id in entries
        ]
        return results

    @staticmethod
    def _facet_counts(groups) -> dict[str, list[FacetCount]]:
        """Facet counts from (facet set key, matches) groups, as the SearchFacet rows of
        those entries would give them: most frequent first, then by value."""
        counts = {name: defaultdict(int) for name in FACETS}
        for key, count in groups:
            values = json.loads(key) if key else {}
            for name in FACETS:
                for value in values.get(name, ()):
                    counts[name][value] += count
        return {
            name: [
                FacetCount(value=value, count=count)
                for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0]))[
                    :FACET_SIZE
                ]
            ]
            for name, values in counts.items()
        }

    @staticmethod
    def _hit(entry: SearchEntry, score: float, terms: list[Term]) -> Hit:
        languages = entry.languages.split(",")
        snippet = (
            highlight(entry.summary, terms, languages)
            or highlight(entry.body, terms, languages)
            or excerpt(entry.summary or entry.body)
        )
        return Hit(
            type=entry.doc_type,
            object_id=entry.object_id,
            title=entry.title,
            url=entry.url,
            snippet=snippet,
            hub=entry.hub,
            themes=tuple(entry.themes),
            country=entry.country,
            published=entry.published,
            score=float(score),
        )

    # For benchmarks: the engine alone -------------------------------------------------

    def raw_match(self, query: str, *, limit: int = 10) -> list[tuple[int, float]]:
        """Run QUERY on the engine alone (FTS5 MATCH with bm25, or tsquery with ts_rank):
        no visibility, filters, facets or snippets. Returns (entry id, score), best first."""
        hits_sql, params = self._hits_sql(parse_query(query))
        with connection.cursor() as cursor:
            cursor.execute(f"{hits_sql} ORDER BY score DESC LIMIT %s", [*params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
