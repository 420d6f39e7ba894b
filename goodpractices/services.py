"""Good-practice writes: proposals from members, reviews, and telling proposers what
became of their proposal."""

import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core.exceptions import ActionError
from members import selectors as member_selectors

from . import selectors
from .models import GoodPracticePage, Proposal


def user_may_propose(user) -> bool:
    """A logged-in, active member whose consent to the current guidelines and privacy
    notice is on record."""
    if not user.is_authenticated or not user.is_active:
        return False
    return member_selectors.consent_is_current(user)


def _paragraphs(text: str) -> str:
    """Plain text from a form as rich-text HTML: every character escaped, blank lines
    separate paragraphs, single line breaks kept."""
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in part.split("\n")) + "</p>"
        for part in parts
        if part
    )


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70] or "practice"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def proposal_submit(
    *,
    proposer,
    title: str,
    summary: str,
    city: str,
    country: str,
    region,
    themes,
    sdgs=(),
    period: str = "",
    partners: str = "",
    challenge: str,
    approach: str,
    results: str = "",
    lessons: str = "",
    organisation: str = "",
    list_me_as_contact: bool = False,
    image_file=None,
    image_alt: str = "",
    document_file=None,
) -> Proposal:
    """Create a draft practice from a member's proposal and submit it to the review
    workflow; all or nothing."""
    if not user_may_propose(proposer):
        raise ActionError(
            _("Please accept the current guidelines and privacy notice first."), code="forbidden"
        )
    index_page = selectors.practice_index()
    if index_page is None:
        raise ActionError(_("Good practices cannot be proposed at the moment."))

    body = [
        {"type": "challenge", "value": {"text": _paragraphs(challenge)}},
        {"type": "approach", "value": {"text": _paragraphs(approach)}},
    ]
    if results.strip():
        body.append({"type": "results", "value": {"text": _paragraphs(results)}})
    if lessons.strip():
        body.append({"type": "lessons", "value": {"text": _paragraphs(lessons)}})

    lead_image = None
    if image_file is not None:
        lead_image = get_image_model().objects.create(
            title=title[:255], file=image_file, uploaded_by_user=proposer
        )
        if image_alt.strip():
            body.append(
                {
                    "type": "image",
                    "value": {"image": lead_image.pk, "alt_text": image_alt, "caption": ""},
                }
            )
    if document_file is not None:
        document = get_document_model().objects.create(
            title=title[:255], file=document_file, uploaded_by_user=proposer
        )
        body.append({"type": "document", "value": {"document": document.pk, "title": ""}})

    page = GoodPracticePage(
        title=title,
        slug=_unique_slug(index_page, title),
        summary=summary,
        city=city,
        country=country,
        region=region,
        period=period,
        partners=partners,
        lead_image=lead_image,
        body=json.dumps(body),
        contact_person=proposer
        if list_me_as_contact and selectors.user_is_expert(proposer)
        else None,
        contact_organisation=organisation,
        live=False,
        owner=proposer,
    )
    page.themes.set(list(themes))
    page.sdgs.set(list(sdgs))
    index_page.add_child(instance=page)
    page.save_revision(user=proposer, log_action=True)

    workflow = page.get_workflow()
    if workflow is not None:
        state = workflow.start(page, proposer)
        # The proposer does not use the admin: Wagtail's admin mail ("approved",
        # "rejected") goes to `requested_by`; proposers get our own mail instead.
        state.requested_by = None
        state.save(update_fields=["requested_by"])
    return Proposal.objects.create(page=page, proposer=proposer, title=title)


@transaction.atomic
def practice_review(*, page, user, action: str, comment: str = ""):
    """Approve or send back the practice's current review task, as USER. Refused unless
    USER may review it (a coordinator of its hub, or an editor)."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        raise ActionError(_("This practice is not in review."), code="invalid")
    task = task_state.task.specific
    if action not in {"approve", "reject"}:
        raise ActionError(_("Unknown review action."), code="invalid")
    try:
        task.on_action(task_state, user, action, comment=comment)
    except PermissionDenied:
        # Wagtail's contract for a task; ours is the one error type.
        raise ActionError(
            _("Only this region's coordinators and the editors review it."), code="forbidden"
        ) from None
    return task_state


# Telling the proposer -------------------------------------------------------
# The mails themselves are the notifications app's (kind `proposal_decided`), which hears
# Wagtail's publishing and workflow signals; this records that the proposer was told.


@transaction.atomic
def proposal_mark_published(*, page) -> bool:
    """Record, once, that PAGE's proposer is to be told it is published. Returns whether
    this call recorded it (False: told before, or PAGE is no proposal)."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .filter(page_id=page.pk, published_notified_at__isnull=True)
        .first()
    )
    if proposal is None:
        return False
    proposal.published_notified_at = timezone.now()
    proposal.save(update_fields=["published_notified_at"])
    return True


# Translations ---------------------------------------------------------------


def translation_save(*, page, language: str, strings: dict[str, str], user=None, publish=True):
    """Translates `page` (an original) into `language` through wagtail-localize, as an
    editor does in its translation editor: `strings` maps source strings to their
    translations (a string not in it keeps the original's text), the translation is saved
    and, unless `publish` is false, published. Returns the translated page.

    The first translation of a page gives the translators its content as it is now (the
    source); later translations use that same source until someone syncs it again
    (`translation_sync`), which is how a translation goes out of date."""
    from wagtail.models import Locale
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    from . import translations

    original = translations.original_of(page).specific
    if language == original.locale.language_code:
        raise ActionError(_("This is the page's original language."), code="invalid")
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise ActionError(_("The site has no such language."), code="invalid")
    with transaction.atomic():
        source = TranslationSource.objects.get_for_instance_or_none(original)
        if source is None:
            source, _created = TranslationSource.get_or_create_from_instance(original)
        record, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            text = strings.get(segment.string.data)
            if text is None:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        # wagtail-localize publishes after the commit; we publish the saved revision here
        # and now, so that the caller gets the page as readers will see it.
        record.save_target(user=user, publish=False)
        target = record.get_target_instance()
        if publish:
            target.get_latest_revision().publish(user=user)
            target.refresh_from_db()
    return target


def translation_sync(*, page):
    """Gives the translators the original's current content (wagtail-localize's "sync");
    every translation of it is out of date until it is published again."""
    from wagtail_localize.models import TranslationSource

    from . import translations

    original = translations.original_of(page).specific
    source, _created = TranslationSource.update_or_create_from_instance(original)
    return source
