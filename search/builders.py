"""From the models to search documents: the only module of `search/` that knows the
searchable models. A source builds the document of one object from the database as it is
now (None when the object is gone or must not be found) and streams all documents for a
rebuild. Theme facet values are the codes of `core.themes.ThematicField`, which threads
store and practices' Theme rows use as slugs."""

import html
from collections.abc import Iterator

from django.apps import apps
from django.utils.html import strip_tags

from .types import EVENT, LEARNING_PROCESS, PRACTICE, THREAD, SearchDoc

MAX_BODY_CHARS = 200_000


def plain_text(markup: str) -> str:
    """Readable text of HTML: tags removed, entities decoded, blocks kept apart."""
    markup = (
        (markup or "").replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    )
    return html.unescape(strip_tags(markup)).strip()


class PracticeSource:
    """Good practices: found by everyone, but only while live and not restricted."""

    doc_type = PRACTICE

    @staticmethod
    def model():
        return apps.get_model("goodpractices", "GoodPracticePage")

    def queryset(self):
        return (
            self.model()
            .objects.live()
            .public()
            .select_related("region", "region__hub", "locale")
            .prefetch_related("themes", "sdgs")
            .order_by("pk")
        )

    def build(self, object_id: int) -> SearchDoc | None:
        page = self.queryset().filter(pk=object_id).first()
        return self.document(page) if page is not None else None

    def count(self) -> int:
        return self.queryset().count()

    def iter_docs(self) -> Iterator[SearchDoc]:
        for page in self.queryset().iterator(chunk_size=200):
            yield self.document(page)

    @staticmethod
    def body_text(page) -> str:
        body = page.body
        try:
            parts = body.stream_block.get_searchable_content(body)
        except AttributeError:
            parts = [str(body or "")]
        return "\n".join(plain_text(str(part)) for part in parts if part)

    def document(self, page) -> SearchDoc:
        region = page.region
        hub = region.hub if region is not None else None
        country = page.country
        place = ", ".join(
            part for part in (page.city, str(country.name) if country else "") if part
        )
        body = "\n".join(part for part in (place, self.body_text(page), page.partners) if part)
        language = (page.locale.language_code or "en")[:2].lower()
        return SearchDoc(
            type=PRACTICE,
            object_id=page.pk,
            title=page.title,
            summary=page.summary,
            body=body[:MAX_BODY_CHARS],
            url=page.get_url() or page.url_path,
            language=language,
            hub=hub.slug if hub is not None else (region.slug if region is not None else ""),
            hub_id=None,
            themes=tuple(theme.slug for theme in page.themes.all()),
            region=region.slug if region is not None else "",
            country=country.code if country else "",
            sdgs=tuple(goal.number for goal in page.sdgs.all()),
            published=page.first_published_at,
        )


class ThreadSource:
    """Consultation threads: found only by the active members of their hub; the text of
    hidden and deleted messages is never indexed."""

    doc_type = THREAD

    @staticmethod
    def model():
        return apps.get_model("hubs", "Thread")

    def queryset(self):
        return self.model().objects.select_related("hub").order_by("pk")

    def build(self, object_id: int) -> SearchDoc | None:
        thread = self.queryset().filter(pk=object_id).first()
        return self.document(thread) if thread is not None else None

    def count(self) -> int:
        return self.queryset().count()

    def iter_docs(self) -> Iterator[SearchDoc]:
        for thread in self.queryset().iterator(chunk_size=200):
            yield self.document(thread)

    @staticmethod
    def visible_messages(thread):
        return thread.messages.filter(hidden=False, deleted=False).order_by("pk")

    def texts_within_budget(self, thread) -> list[str]:
        """The question and as many of the newest visible messages as fit MAX_BODY_CHARS, in
        the order they were written: past the budget the oldest replies give way."""
        question = (plain_text(thread.question_html) or thread.question)[: MAX_BODY_CHARS // 4]
        budget = MAX_BODY_CHARS - len(question)
        newest_first = []
        messages = self.visible_messages(thread).order_by("-pk").values_list("html", "body")
        for markup, body in messages.iterator(chunk_size=200):
            text = plain_text(markup) or body
            if len(text) + 1 > budget:
                break
            newest_first.append(text)
            budget -= len(text) + 1
        return [question, *reversed(newest_first)]

    def document(self, thread) -> SearchDoc:
        hub = thread.hub
        texts = self.texts_within_budget(thread)
        languages = tuple(hub.language_codes) or ("en",)
        return SearchDoc(
            type=THREAD,
            object_id=thread.pk,
            title=thread.title,
            summary="",
            body="\n".join(texts)[:MAX_BODY_CHARS],
            url=f"/hubs/{hub.slug}/threads/{thread.pk}/",
            language=languages[0],
            languages=languages,
            hub=hub.slug,
            hub_id=hub.pk,
            themes=(thread.theme,) if thread.theme else (),
            region=hub.region,
            published=thread.created,
        )


class EventSource:
    """Published events and learning-process events (cancelled and proposed ones are not
    found). A members-only event is found only by the active members of its first hub (the
    index restricts a document to one hub: the others' members find it on the calendar)."""

    doc_type = EVENT

    @staticmethod
    def model():
        return apps.get_model("events", "Event")

    def queryset(self):
        return (
            self.model()
            .objects.filter(status="published")
            .select_related("learning_process")
            .prefetch_related("hubs")
            .order_by("pk")
        )

    def build(self, object_id: int) -> SearchDoc | None:
        event = self.queryset().filter(pk=object_id).first()
        return self.document(event) if event is not None else None

    def count(self) -> int:
        return self.queryset().count()

    def iter_docs(self) -> Iterator[SearchDoc]:
        for event in self.queryset().iterator(chunk_size=200):
            yield self.document(event)

    def document(self, event) -> SearchDoc:
        hubs = sorted(event.hubs.all(), key=lambda hub: hub.pk)
        process = event.learning_process
        themes = [event.theme] if event.theme else list(process.theme_codes if process else [])
        place = ", ".join(
            part
            for part in (event.venue, event.city, str(event.country.name) if event.country else "")
            if part
        )
        texts = [
            event.get_kind_display(),
            place,
            event.description,
            process.title if process else "",
            process.topic if process else "",
            event.summary,
        ]
        return SearchDoc(
            type=EVENT,
            object_id=event.pk,
            title=event.title,
            summary=event.description[:300],
            body="\n".join(text for text in texts if text)[:MAX_BODY_CHARS],
            url=f"/events/{event.pk}/",
            language=(event.language or "en")[:2],
            hub=hubs[0].slug if hubs else "",
            hubs=tuple(hub.slug for hub in hubs),
            hub_id=hubs[0].pk if hubs and event.members_only else None,
            themes=tuple(themes),
            region=hubs[0].region if hubs else "",
            country=event.country.code if event.country else "",
            published=event.starts_at,
        )


class LearningProcessSource:
    """Learning processes, found by everyone who may open their page
    (`events.selectors.learning_process_get`: every process but a draft from a topic call),
    with the facets of all their hubs and their thematic fields."""

    doc_type = LEARNING_PROCESS

    def queryset(self):
        from events.selectors import learning_processes_visible  # the page's own rule

        return learning_processes_visible().prefetch_related("hubs").order_by("pk")

    def build(self, object_id: int) -> SearchDoc | None:
        process = self.queryset().filter(pk=object_id).first()
        return self.document(process) if process is not None else None

    def count(self) -> int:
        return self.queryset().count()

    def iter_docs(self) -> Iterator[SearchDoc]:
        for process in self.queryset().iterator(chunk_size=200):
            yield self.document(process)

    def document(self, process) -> SearchDoc:
        hubs = sorted(process.hubs.all(), key=lambda hub: hub.pk)
        country = process.host_country
        host = ", ".join(
            part for part in (process.host_name, str(country.name) if country else "") if part
        )
        partners = [
            str(partner.get("name") or "")
            for partner in (process.partners or [])
            if isinstance(partner, dict)
        ]
        texts = [host, process.description, process.goals, ", ".join(p for p in partners if p)]
        languages = tuple(dict.fromkeys(code for hub in hubs for code in hub.language_codes))
        return SearchDoc(
            type=LEARNING_PROCESS,
            object_id=process.pk,
            title=process.title,
            summary=process.topic,
            body="\n".join(text for text in texts if text)[:MAX_BODY_CHARS],
            url=f"/learning-processes/{process.slug}/",
            language="en",
            languages=languages,
            hub=hubs[0].slug if hubs else "",
            hubs=tuple(hub.slug for hub in hubs),
            hub_id=None,
            themes=tuple(process.theme_codes),
            region=hubs[0].region if hubs else "",
            country=country.code if country else "",
            published=process.created,
        )


SOURCES = {
    PRACTICE: PracticeSource(),
    THREAD: ThreadSource(),
    EVENT: EventSource(),
    LEARNING_PROCESS: LearningProcessSource(),
}
