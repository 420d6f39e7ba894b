"""The search backend in use, chosen by settings: Elasticsearch when ELASTICSEARCH_URL is
set, else the embedded full-text backend on the database. Nothing outside `search/`
knows which one runs."""

from django.conf import settings


def get_backend():
    if settings.ELASTICSEARCH_URL:
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()
