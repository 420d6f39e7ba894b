"""The interface every search backend implements. Callers use `search.backends.get_backend()`
and these methods only; nothing outside `search/` knows which backend runs."""

from abc import ABC, abstractmethod
from collections.abc import Iterable

from ..types import SearchDoc, SearchRequest, SearchResults


class SearchUnavailable(Exception):
    """The backend cannot be reached or refuses work right now. Index updates wait in the
    outbox; a search shows that search is unavailable."""


class SearchBackend(ABC):
    name: str

    @abstractmethod
    def health(self) -> str | None:
        """None when the backend works, else what is wrong (for /healthz)."""

    @abstractmethod
    def setup(self) -> None:
        """Create what the backend needs (indices) if missing. Idempotent."""

    @abstractmethod
    def index(self, docs: Iterable[SearchDoc]) -> int:
        """Add or replace DOCS (by type and object id). Returns how many were written."""

    @abstractmethod
    def delete(self, doc_type: str, object_ids: Iterable[int]) -> None:
        """Remove the documents, if present."""

    @abstractmethod
    def rebuild(self, docs: Iterable[SearchDoc]) -> dict[str, int]:
        """Replace the whole index with DOCS; returns the count per document type."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResults:
        """Run REQUEST: ranked hits of the page with snippets, the total, facet counts."""

    @abstractmethod
    def count(self) -> dict[str, int]:
        """How many documents of each type the index holds."""

    def refresh(self) -> None:  # noqa: B027 - optional: only near-real-time engines need it
        """Make every write so far visible to searches."""
