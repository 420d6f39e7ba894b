from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchFacetSet(models.Model):
    """The facet values an entry shows (theme, hub, country), stored once for all the
    entries that share them: a search counts its matches per set, an integer, and reads
    the values of the few sets it found. Written only by `search.backends.embedded`."""

    # {"theme": [...], "hub": [...], "country": [...]} as canonical JSON
    key = models.TextField(unique=True)

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """One indexed document of the embedded backend. The original text is kept for the
    snippets; `index_title` and `index_body` hold the stemmed words that the full-text index
    (SQLite FTS5 table `search_fts`, or the PostgreSQL tsvector column `search_vector`, both
    created in migration 0002 and never known to Django) is built from.

    Written only by `search.backends.embedded`."""

    doc_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    language = models.CharField(max_length=8, default="en")
    languages = models.CharField(max_length=40, default="en")
    hub = models.CharField(max_length=60, blank=True)
    access_hub = models.ForeignKey(
        "hubs.Hub",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only the active members of this hub may find the entry (empty: everyone).",
    )
    themes = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=120, blank=True)
    sdgs = models.JSONField(default=list, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    facet_set = models.ForeignKey(
        SearchFacetSet, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    index_title = models.TextField(blank=True)
    index_body = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="one_entry_per_object")
        ]
        indexes = [
            # Covers every column a search reads per match (visibility, filters, order,
            # facets), so joining tens of thousands of matches never reads the text.
            models.Index(
                fields=["id", "access_hub", "published", "doc_type", "hub", "country", "facet_set"],
                name="search_entry_cover",
            )
        ]

    def __str__(self):
        return f"{self.doc_type} {self.object_id}: {self.title}"


class SearchFacet(models.Model):
    """A facet value of an entry (theme, hub, country, sdg): filters and facet counts."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=10)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["name", "value"])]

    def __str__(self):
        return f"{self.name}={self.value}"


class SearchOutbox(models.Model):
    """An index update waiting to be applied. Written in the same transaction as the change
    (so it is never lost), applied after commit and by `manage.py search_index
    --process-outbox`; a row stays until its update has reached the backend."""

    doc_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search index update")
        verbose_name_plural = _("search index updates")
        ordering = ["id"]

    def __str__(self):
        return f"{self.doc_type} {self.object_id}"
