"""Publishing policy documents. A published version and its texts are never changed: the
consent ledger points at them. A correction is a new version."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ActionError
from core.markdown import render_markdown

from .. import realtime
from ..models import PolicyDocument, PolicyText, PolicyVersion

MAX_TEXT_LENGTH = 100_000


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ActionError(_("The text is empty."))
    if len(body) > MAX_TEXT_LENGTH:
        raise ActionError(
            _("The text is longer than %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}
        )
    return body + "\n"


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ActionError(
            _("Unknown language %(language)r; use one of: %(languages)s.")
            % {"language": language, "languages": ", ".join(dict(settings.LANGUAGES))}
        )


def _text_create(*, version: PolicyVersion, language: str, body: str) -> PolicyText:
    return PolicyText.objects.create(
        version=version, language=language, body=body, body_html=render_markdown(body)
    )


@transaction.atomic
def policy_publish(
    *,
    document: str,
    body: str,
    translations: dict[str, str] | None = None,
    effective_date: datetime.date | None = None,
    acting_user=None,
) -> PolicyVersion:
    """Publish a new version of DOCUMENT with the English BODY (markdown) and optional
    TRANSLATIONS {language: markdown}. From its effective date (default today) every member
    must accept it before going on."""
    if document not in PolicyDocument.values:
        raise ActionError(
            _("Unknown document %(document)r; use one of: %(documents)s.")
            % {"document": document, "documents": ", ".join(PolicyDocument.values)}
        )
    texts = {"en": _clean_body(body)}
    for language, text in (translations or {}).items():
        _check_language(language)
        if language == "en":
            raise ActionError(_("The English text is given as the body."))
        if (text or "").strip():
            texts[language] = _clean_body(text)
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date < today:
        raise ActionError(_("The effective date cannot be in the past."))
    latest = PolicyVersion.objects.filter(document=document).aggregate(Max("number"))
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                document=document,
                number=(latest["number__max"] or 0) + 1,
                effective_date=effective_date,
                published_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
    except IntegrityError:
        raise ActionError(
            _("Another version was published at the same moment; please try again.")
        ) from None
    for language, text in texts.items():
        _text_create(version=version, language=language, body=text)
    if effective_date <= today:
        # In effect now: open sockets of members who have not accepted it close (a later
        # date is caught by the sockets' own rechecks).
        realtime.consent_recheck_on_commit()
    return version


@transaction.atomic
def policy_translation_add(*, version: PolicyVersion, language: str, body: str) -> PolicyText:
    """Add the text of VERSION in LANGUAGE. Refused if that language is already there:
    members may have accepted that text, so a change is a new version."""
    _check_language(language)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.texts.filter(language=language).exists():
        raise ActionError(
            _(
                "Version %(number)d already has a text in this language. Published texts are "
                "never changed: publish a new version instead."
            )
            % {"number": version.number}
        )
    return _text_create(version=version, language=language, body=_clean_body(body))
