"""Reads that decide what a person sees: the current policy versions and whether a member's
consent is current. (Whose profile a member may see depends on the hubs they share:
`hubs.selectors.people`.)"""

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import NotFound

from .models import (
    ConsentRecord,
    PolicyDocument,
    PolicyText,
    PolicyVersion,
    Profile,
    User,
)

# Policy documents -----------------------------------------------------------


def current_policy_versions() -> dict[str, PolicyVersion]:
    """{document: the version in effect today} (one query). A document without any
    version in effect is missing from the dict."""
    today = timezone.localdate()
    latest = (
        PolicyVersion.objects.filter(document=OuterRef("document"), effective_date__lte=today)
        .order_by("-number")
        .values("pk")[:1]
    )
    versions = PolicyVersion.objects.filter(pk=Subquery(latest))
    return {version.document: version for version in versions}


def policy_version_get(*, document: str, number: int | None = None) -> PolicyVersion:
    """A published version (NotFound for unknown documents, numbers or future versions);
    the current one when NUMBER is None."""
    if document not in PolicyDocument.values:
        raise NotFound(_("There is no such document."))
    versions = PolicyVersion.objects.filter(
        document=document, effective_date__lte=timezone.localdate()
    )
    if number is not None:
        versions = versions.filter(number=number)
    version = versions.order_by("-number").first()
    if version is None:
        raise NotFound(_("There is no such version."))
    return version


def policy_versions_published(*, document: str) -> QuerySet[PolicyVersion]:
    """Every version in effect now or earlier, newest first."""
    return PolicyVersion.objects.filter(
        document=document, effective_date__lte=timezone.localdate()
    ).order_by("-number")


def policy_text_for(version: PolicyVersion, language: str | None = None) -> PolicyText:
    """The version's text in LANGUAGE (default: the active language), else in English."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    texts = {text.language: text for text in version.texts.all()}
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


# Consent -------------------------------------------------------------------


def accepted_version_ids(user, versions) -> set[int]:
    """Of VERSIONS, those USER has accepted and not withdrawn (one query)."""
    ids = [version.pk for version in versions]
    state: dict[int, bool] = {}
    rows = (
        ConsentRecord.objects.filter(user=user, version_id__in=ids)
        .order_by("created", "pk")
        .values_list("version_id", "how")
    )
    for version_id, how in rows:
        state[version_id] = how != ConsentRecord.How.WITHDRAWAL
    return {version_id for version_id, accepted in state.items() if accepted}


def pending_policy_versions(user, current: dict[str, PolicyVersion] | None = None):
    """The current versions USER has not accepted yet, in document order."""
    if current is None:
        current = current_policy_versions()
    if not user.is_authenticated or not current:
        return []
    accepted = accepted_version_ids(user, current.values())
    return [
        current[document]
        for document in PolicyDocument.values
        if document in current and current[document].pk not in accepted
    ]


def consent_is_current(user) -> bool:
    """Has USER accepted the version in effect of every policy document? Anonymous users
    have nothing to accept (they are asked at signup)."""
    if not user.is_authenticated:
        return True
    return not pending_policy_versions(user)


def consent_history(user) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).select_related("version").order_by("created")


# Profiles ------------------------------------------------------------------


def profile_of(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
