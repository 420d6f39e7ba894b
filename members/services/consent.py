"""The consent ledger: every acceptance and withdrawal is a new row; rows are never
changed."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors
from ..exceptions import ConsentError
from ..models import ConsentRecord, PolicyDocument, PolicyVersion


def _label(document: str) -> str:
    try:
        return PolicyDocument(document).label
    except ValueError:
        return document


How = ConsentRecord.How


def _record(*, user, versions, how, language) -> list[ConsentRecord]:
    rows = []
    for version in versions:
        shown = selectors.policy_text_for(version, language).language
        rows.append(ConsentRecord(user=user, version=version, language=shown, how=how))
    return ConsentRecord.objects.bulk_create(rows)


@transaction.atomic
def consent_accept(
    *, user, accepted: dict[str, int], language: str, how: str = How.RECONSENT
) -> list[ConsentRecord]:
    """Record that USER accepted ACCEPTED {document: version number}, shown in LANGUAGE.

    The one place that decides whether a consent is stale: every named version must be the
    one in effect now (not an old, unknown or forged one), and every version in effect
    that USER has not accepted yet must be named (a form shown before a document changed
    leaves it out). Otherwise a ConsentError (code "stale") is raised and nothing is
    recorded. Versions already accepted are not recorded twice."""
    current = selectors.current_policy_versions()
    versions = []
    for document, number in accepted.items():
        version = current.get(document)
        if version is None or version.number != number:
            raise ConsentError(
                _("This is not the version in effect of %(document)s.")
                % {"document": _label(document)},
                code="stale",
            )
        versions.append(version)
    for version in selectors.pending_policy_versions(user, current):
        if version.document not in accepted:
            raise ConsentError(
                _("A new version of %(document)s is in effect: please read it first.")
                % {"document": _label(version.document)},
                code="stale",
            )
    already = selectors.accepted_version_ids(user, versions)
    return _record(
        user=user,
        versions=[version for version in versions if version.pk not in already],
        how=how,
        language=language,
    )


@transaction.atomic
def consent_record_current(*, user, how: str = How.SIGNUP, language: str = "en") -> None:
    """Record USER's acceptance of every version in effect they have not accepted yet
    (signup with the versions shown, demo users, tests)."""
    pending = selectors.pending_policy_versions(user)
    _record(user=user, versions=pending, how=how, language=language)


def consent_withdraw_all(*, user) -> list[ConsentRecord]:
    """Append a withdrawal for every version USER has accepted (account deletion)."""
    versions = PolicyVersion.objects.filter(consents__user=user).distinct()
    accepted = selectors.accepted_version_ids(user, versions)
    rows = [
        ConsentRecord(user=user, version=version, language="", how=How.WITHDRAWAL)
        for version in versions
        if version.pk in accepted
    ]
    return ConsentRecord.objects.bulk_create(rows)
