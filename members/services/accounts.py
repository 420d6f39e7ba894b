"""Registration and account deletion."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import personal_data
from core.exceptions import ActionError

from .. import selectors
from ..exceptions import ConsentError
from ..models import ConsentRecord, PolicyDocument, Profile, User
from ..names import display_name_clean
from .consent import _record, consent_withdraw_all


@transaction.atomic
def member_register(
    *,
    email: str,
    password: str | None,
    name: str,
    organisation: str,
    organisation_type: str,
    city: str,
    country: str,
    preferred_language: str,
    accepted: dict[str, int],
    language: str,
) -> User:
    """Create a member with their profile and their consents, all or nothing.

    ACCEPTED {document: version number} must name the version in effect of every policy
    document (the texts the person was shown, in LANGUAGE); otherwise ConsentError and no
    account exists."""
    current = selectors.current_policy_versions()
    for document in PolicyDocument.values:
        version = current.get(document)
        if version is not None and accepted.get(document) != version.number:
            raise ConsentError(
                _("Please accept the current %(document)s.")
                % {"document": PolicyDocument(document).label},
                code="consent_required",
            )
    name = display_name_clean(name)
    user = User.objects.create_user(email=email, password=password, name=name)
    Profile.objects.create(
        user=user,
        organisation=organisation.strip(),
        organisation_type=organisation_type,
        city=city.strip(),
        country=country,
        preferred_language=preferred_language,
    )
    _record(
        user=user,
        versions=[current[d] for d in PolicyDocument.values if d in current],
        how=ConsentRecord.How.SIGNUP,
        language=language,
    )
    return user


def sessions_end(*, user_id: int) -> int:
    """Delete every stored session of USER_ID (the database session backend); returns how
    many."""
    ended = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
    for session in sessions:
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def account_delete(*, user, password: str) -> None:
    """Delete USER's account after checking PASSWORD: every registered personal-data source
    erases its part, the consents are withdrawn and unlinked, sessions end, and the user row
    goes (the hubs' source closes the person's websockets after commit). A wrong password
    changes nothing."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not password or not user.check_password(password):
        raise ActionError(_("The password is not correct."), code="wrong_password")
    user_id = user.pk
    consent_withdraw_all(user=user)
    personal_data.erase_all(user)
    # The hubs' erasure (a registered source) closes the person's websockets after commit.
    sessions_end(user_id=user_id)
    user.delete()
