"""Reads about the languages of a page: which translations exist, which readers may see, and
whether each is still up to date with its original.

An original is a page in the default locale (English). A translation is made with
wagtail-localize, which keeps, per original, a `TranslationSource`: the original's content as
it was when the translators were last given it ("synced"). A translation is *out of date*
when the original has changed since (its live content differs from the synced content, and
we can name the fields), or when the source was synced again and the translation has not
been published since (the new strings wait for the translator).
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import Translation, TranslationSource

ORIGINAL = "original"
TRANSLATED = "translated"
OUT_OF_DATE = "out_of_date"
DRAFT = "draft"

STATE_LABELS = {
    ORIGINAL: _("original"),
    TRANSLATED: _("translated"),
    OUT_OF_DATE: _("out of date"),
    DRAFT: _("translation not yet published"),
}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's own name ("Français", "العربية"), as a reader looks for it."""
    return translation.get_language_info(code)["name_local"]


_default_locale = {}


def default_locale() -> Locale:
    """The locale of the originals, remembered for the process (every page URL asks for it;
    a change of the locale rows forgets it, see `apps.py`)."""
    if "locale" not in _default_locale:
        _default_locale["locale"] = Locale.get_default()
    return _default_locale["locale"]


def forget_default_locale(**kwargs) -> None:
    _default_locale.clear()


def original_of(page: Page) -> Page:
    """The page in the default locale that `page` translates (the page itself if it is one,
    or if its original is gone)."""
    locale = default_locale()
    if page.locale_id == locale.pk:
        return page
    return page.get_translation_or_none(locale) or page


def readable_in(page: Page, language: str) -> Page:
    """What a reader of `language` sees for `page`: its live translation into that language,
    otherwise the original. A draft translation is never returned."""
    original = original_of(page)
    if language == original.locale.language_code:
        return original
    found = (
        type(original.specific)
        .objects.live()
        .filter(
            translation_key=original.translation_key,
            locale__language_code=language,
            alias_of__isnull=True,
        )
        .first()
    )
    return found or original


def live_languages(page: Page) -> list[str]:
    """The languages a reader can read `page` in (the original's first), in the order of
    LANGUAGES: only live translations count, not the aliases wagtail-localize makes of
    untranslated parent pages (they show the original's content)."""
    original = original_of(page)
    codes = set(
        Page.objects.live()
        .filter(translation_key=original.translation_key, alias_of__isnull=True)
        .values_list("locale__language_code", flat=True)
    )
    first = original.locale.language_code
    return [first] + [code for code in language_codes() if code in codes and code != first]


def localized_many(pages, language: str) -> list:
    """`pages` (originals) as a reader of `language` sees them: each replaced by its live
    translation where there is one. One query for all of them."""
    pages = list(pages)
    if not pages:
        return pages
    model = type(pages[0])
    keys = [page.translation_key for page in pages]
    found = {
        page.translation_key: page
        for page in model.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language, alias_of__isnull=True)
        .exclude(locale_id=pages[0].locale_id)
    }
    return [found.get(page.translation_key, page) for page in pages]


@dataclass
class LanguageStatus:
    code: str
    name: str
    state: str
    changed_fields: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def live(self) -> bool:
        return self.state in (ORIGINAL, TRANSLATED, OUT_OF_DATE)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field of the source that the model no longer has
        return name


def changed_since_sync(original: Page, source: TranslationSource) -> list[str]:
    """The translatable fields whose live content differs from what was last given to the
    translators, as the model names them."""
    specific = original.specific
    current = specific.serializable_data()
    synced = json.loads(source.content_json)
    model = type(specific)
    names = [
        item.field_name
        for item in get_translatable_fields(model)
        if item.is_translated(specific) and item.field_name != "slug"
    ]
    return [_field_label(model, name) for name in names if current.get(name) != synced.get(name)]


def translation_statuses(page: Page) -> list[LanguageStatus]:
    """Per language that the page exists in, its state: the original; a translation that is
    up to date, out of date (with the fields that changed) or still a draft."""
    original = original_of(page).specific
    pages = {
        item.locale.language_code: item
        for item in Page.objects.filter(
            translation_key=original.translation_key, alias_of__isnull=True
        ).select_related("locale")
    }
    source = (
        TranslationSource.objects.filter(
            object_id=original.translation_key, locale_id=original.locale_id
        )
        .order_by("-last_updated_at")
        .first()
    )
    translations = {}
    changed = []
    if source is not None:
        translations = {
            item.target_locale.language_code: item
            for item in Translation.objects.filter(source=source).select_related("target_locale")
        }
        changed = changed_since_sync(original, source)

    statuses = [
        LanguageStatus(
            original.locale.language_code,
            language_name(original.locale.language_code),
            ORIGINAL,
            url=original.url or "",
        )
    ]
    for code in language_codes():
        target = pages.get(code)
        if target is None or target.pk == original.pk:
            continue
        if not target.live:
            statuses.append(LanguageStatus(code, language_name(code), DRAFT))
            continue
        state, fields = TRANSLATED, []
        record = translations.get(code)
        if record is not None:
            if changed:
                state, fields = OUT_OF_DATE, changed
            elif (
                target.last_published_at
                and source is not None
                and target.last_published_at < source.last_updated_at
            ):
                state = OUT_OF_DATE
        statuses.append(
            LanguageStatus(code, language_name(code), state, fields, url=original.url or "")
        )
    return statuses
