"""The search engine's own vocabulary, independent of the models it indexes and of the
backend that runs it: a document, a request, and the results."""

from dataclasses import dataclass, field
from datetime import datetime

PRACTICE = "practice"
THREAD = "thread"
EVENT = "event"
LEARNING_PROCESS = "learning_process"
DOC_TYPES = (PRACTICE, THREAD, EVENT, LEARNING_PROCESS)

# The facets the search page and API show, in order.
FACETS = ("theme", "hub", "country")
PAGE_SIZE = 10
# No backend is asked for results beyond this many (Elasticsearch's max_result_window).
MAX_RESULT_WINDOW = 10_000


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing, keyed by (type, object_id): ids of different types may be equal.
    `hub_id` restricts it to the active members of that hub (None: public); `hub` is the
    hub/region shown with a hit (a hub slug), set for threads and for practices from a hub's
    region; `hubs` are all its hub facet values when it has several (events and learning
    processes of more than one hub), else `hub` alone."""

    type: str
    object_id: int
    title: str
    body: str
    url: str
    language: str = "en"
    languages: tuple[str, ...] = ()
    summary: str = ""
    hub: str = ""
    hub_id: int | None = None
    hubs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    region: str = ""
    country: str = ""
    sdgs: tuple[int, ...] = ()
    published: datetime | None = None

    @property
    def analysis_languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.language, *self.languages)))

    @property
    def key(self) -> str:
        """The document's identity in an index: type and id (`event-12`)."""
        return f"{self.type}-{self.object_id}"

    @property
    def hub_values(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value for value in (self.hub, *self.hubs) if value))

    @property
    def facet_values(self) -> dict[str, tuple[str, ...]]:
        return {
            "theme": tuple(self.themes),
            "hub": self.hub_values,
            "country": (self.country,) if self.country else (),
            "sdg": tuple(str(number) for number in self.sdgs),
        }


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: the text, the filters, the page and who is asking (the hubs
    whose threads they may read)."""

    query: str = ""
    type: str = ""
    theme: str = ""
    hub: str = ""
    country: str = ""
    sdg: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE
    accessible_hub_ids: frozenset[int] = frozenset()

    @property
    def filters(self) -> dict[str, str]:
        return {
            name: value
            for name in ("type", "theme", "hub", "country", "sdg")
            if (value := getattr(self, name))
        }

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def within_window(self) -> bool:
        return self.offset + self.page_size <= MAX_RESULT_WINDOW


@dataclass(frozen=True)
class Hit:
    type: str
    object_id: int
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matched words
    hub: str = ""
    themes: tuple[str, ...] = ()
    country: str = ""
    published: datetime | None = None
    score: float = 0.0


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    label: str = ""


@dataclass
class SearchResults:
    request: SearchRequest
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    # facet name -> {value: label}, filled when the results are shown
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        size = self.request.page_size
        return min((self.total + size - 1) // size, MAX_RESULT_WINDOW // size)
