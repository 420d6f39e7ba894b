"""Elasticsearch documents and index settings (elasticsearch-dsl). The mappings live here
and are created by `manage.py search_index --rebuild` (and `setup()`).

Every text field is indexed four more times in language sub-fields (`title.en`, `title.fr`,
`title.de`, `title.ar`) with Elasticsearch's English, French, German and Arabic analyzers
(stemming, stopwords, Arabic normalisation), and once with a folding analyzer (lower case,
no diacritics) that serves prefixes and highlighting. A query searches all of them, so
"waste" finds "wastes" and "déchet" finds "déchets" whatever the reader's language."""

import hashlib
import json

from django.conf import settings
from elasticsearch_dsl import Date, Document, Index, Integer, Keyword, Long, Text, analyzer

ANALYZERS = {"en": "english", "fr": "french", "de": "german", "ar": "arabic"}

folded = analyzer("folded", tokenizer="standard", filter=["lowercase", "asciifolding"])

MAX_RESULT_WINDOW = 10_000


def index_settings() -> dict:
    """Shards and replicas from the settings (ELASTICSEARCH_SHARDS, _REPLICAS)."""
    return {
        "number_of_shards": int(getattr(settings, "ELASTICSEARCH_SHARDS", None) or 1),
        "number_of_replicas": int(getattr(settings, "ELASTICSEARCH_REPLICAS", None) or 0),
        "max_result_window": MAX_RESULT_WINDOW,
    }


def multilingual_text():
    return Text(
        analyzer=folded,
        fields={code: Text(analyzer=name) for code, name in ANALYZERS.items()},
    )


class SearchDocument(Document):
    """Fields shared by every searchable thing; the search runs over both indices."""

    doc_type = Keyword()
    object_id = Long()
    title = multilingual_text()
    summary = multilingual_text()
    body = multilingual_text()
    url = Keyword(index=False)
    language = Keyword()
    hub = Keyword()  # the hub shown with a hit
    hubs = Keyword()  # every hub facet value: filters and counts
    # Only the active members of this hub may find the document; absent: everyone.
    hub_id = Integer()
    themes = Keyword()
    region = Keyword()
    country = Keyword()
    sdgs = Keyword()
    published = Date()

    @classmethod
    def from_doc(cls, doc):
        return cls(
            meta={"id": doc.key},
            doc_type=doc.type,
            object_id=doc.object_id,
            title=doc.title,
            summary=doc.summary,
            body=doc.body,
            url=doc.url,
            language=doc.language,
            hub=doc.hub or None,
            hubs=list(doc.hub_values),
            hub_id=doc.hub_id,
            themes=list(doc.themes),
            region=doc.region or None,
            country=doc.country or None,
            sdgs=[str(number) for number in doc.sdgs],
            published=doc.published,
        )


class PracticeDocument(SearchDocument):
    """A live good practice (title, summary, body text with city and country, region,
    themes, SDGs, published date, URL)."""

    kind = "practices"


class ThreadDocument(SearchDocument):
    """A consultation thread: hub, title, question and the text of its visible messages."""

    kind = "threads"


class EventDocument(SearchDocument):
    """A published event: kind, place, description, its learning process and documentation."""

    kind = "events"


class LearningProcessDocument(SearchDocument):
    """A learning process: topic, host, description, goals, partners, hubs and themes."""

    kind = "learning-processes"


DOCUMENTS = {
    "practice": PracticeDocument,
    "thread": ThreadDocument,
    "event": EventDocument,
    "learning_process": LearningProcessDocument,
}


def build_index(name: str, document: type[SearchDocument]) -> Index:
    """The index NAME with our settings, analyzers and DOCUMENT's mapping."""
    index = Index(name)
    index.settings(**index_settings())
    index.analyzer(folded)
    index.mapping(document._doc_type.mapping)  # without binding the class to this index
    return index


def mapping_version() -> str:
    """Eight hex digits that change whenever a mapping or an analyzer changes (not with the
    shards or replicas): part of every index name, so that indices made by older code are
    recognised (`health()`) and replaced by a rebuild."""
    shapes = {}
    for doc_type, document in sorted(DOCUMENTS.items()):
        body = build_index("x", document).to_dict()
        body["settings"] = {
            key: value
            for key, value in body["settings"].items()
            if key not in ("number_of_shards", "number_of_replicas")
        }
        shapes[doc_type] = body
    text = json.dumps(shapes, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


MAPPING_VERSION = mapping_version()
