"""Rows whose few words of text are shown in every language (hubs, regions): the original
in the model's own fields, the other languages in a JSON field `translations`,
`{"fr": {"name": "...", "description": "..."}, "ar": {...}}`, edited in the admin. A
language without a value shows the original."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translations_field():
    return models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Per language code, the translated texts, for example {"fr": {"name": "…"}}. '
            "A missing text shows the original."
        ),
    )


def clean_translations(value, fields) -> dict:
    """Only the site's languages and the model's translatable fields, as strings; empty
    texts dropped."""
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    cleaned = {}
    for code, texts in (value or {}).items() if isinstance(value, dict) else ():
        if code not in languages or not isinstance(texts, dict):
            continue
        kept = {
            name: str(text).strip()
            for name, text in texts.items()
            if name in fields and str(text or "").strip()
        }
        if kept:
            cleaned[code] = kept
    return cleaned


class TranslatedTextMixin:
    """`translated("name")`: the field in the active language (or `language`)."""

    translated_fields: tuple[str, ...] = ()

    def translated(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        texts = (self.translations or {}).get(language) or {}
        return texts.get(field) or getattr(self, field)
