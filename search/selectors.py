"""Searching, for a given person: what they asked (validated, never an error) and the
results they may see. Threads are found only by the active members of their hub, decided
at query time, so a member who leaves stops finding the hub's threads at once."""

import re
from collections.abc import Mapping

from hubs.selectors import hubs_accessible_to

from .backends import get_backend
from .labels import label_facets
from .types import DOC_TYPES, MAX_RESULT_WINDOW, PAGE_SIZE, SearchRequest, SearchResults

MAX_QUERY_LENGTH = 500
MAX_PAGE = MAX_RESULT_WINDOW // PAGE_SIZE + 1
_SLUG = re.compile(r"^[-\w]{1,100}$")


def accessible_hub_ids(user) -> frozenset[int]:
    return frozenset(hubs_accessible_to(user).values_list("id", flat=True))


def _page(value) -> int:
    try:
        page = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


def _value(params: Mapping, name: str) -> str:
    value = str(params.get(name) or "").strip()
    return value if _SLUG.match(value) else ""


def search_request(*, user, params: Mapping) -> SearchRequest:
    """A SearchRequest from query parameters. Anything malformed is dropped or replaced by
    its default (a bad page is the first page); unknown values simply match nothing."""
    doc_type = str(params.get("type") or "").strip()
    return SearchRequest(
        query=" ".join(str(params.get("q") or "").split())[:MAX_QUERY_LENGTH],
        type=doc_type if doc_type in DOC_TYPES else "",
        theme=_value(params, "theme"),
        hub=_value(params, "hub"),
        country=_value(params, "country").upper()[:2],
        sdg=_value(params, "sdg"),
        page=_page(params.get("page", 1)),
        accessible_hub_ids=accessible_hub_ids(user),
    )


def search_results(*, user, params: Mapping) -> SearchResults:
    """Run the search USER asked for with PARAMS, with facet labels. Raises
    `search.backends.base.SearchUnavailable` when the backend cannot answer."""
    request = search_request(user=user, params=params)
    results = get_backend().search(request)
    results.labels = label_facets(results)
    return results
