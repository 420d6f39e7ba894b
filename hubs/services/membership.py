"""Membership writes. Every change of a membership goes through here, so the guardian
object permissions on the hub always equal the membership state, and every decision is
written to the moderation log."""

import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.shortcuts import assign_perm, remove_perm

from core.exceptions import ActionError

from .. import selectors, signals
from ..models import Hub, Membership, ModerationLogEntry
from ..realtime import groups

HUB_PERMISSIONS = ("access_hub", "participate_hub", "moderate_hub")
Action = ModerationLogEntry.Action
State = Membership.State
Role = Membership.Role
TEXT_LIMIT = 2000  # characters of a join message or a decision reason


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        raise ActionError(
            _("The text is too long: at most %(limit)d characters, please.") % {"limit": TEXT_LIMIT}
        )
    return text


def permissions_for(membership: Membership | None) -> set[str]:
    """The hub permissions a membership in its current state grants."""
    if membership is None or membership.state != State.ACTIVE:
        return set()
    granted = {"access_hub", "participate_hub"}
    if membership.role == Role.COORDINATOR:
        granted.add("moderate_hub")
    return granted


def _sync_permissions(membership: Membership) -> None:
    granted = permissions_for(membership)
    for codename in HUB_PERMISSIONS:
        if codename in granted:
            assign_perm(f"hubs.{codename}", membership.user, membership.hub)
        else:
            remove_perm(f"hubs.{codename}", membership.user, membership.hub)


def log_entry_create(
    *, hub, actor, action, subject=None, thread=None, message=None, target="", reason=""
):
    return ModerationLogEntry.objects.create(
        hub=hub,
        actor=actor,
        action=action,
        subject=subject,
        thread=thread if thread is not None else getattr(message, "thread", None),
        message=message,
        target=target,
        reason=reason,
    )


def _require_moderator(*, hub, acting_user):
    if not selectors.user_can_moderate(user=acting_user, hub=hub):
        raise ActionError(_("Only this hub's coordinators may do this."), code="forbidden")


def _save_new_or_existing(membership):
    """Save; a concurrent first request for the same person and hub (a double click) loses
    cleanly instead of failing with an integrity error."""
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ActionError(
            _("This membership was changed at the same moment. Please reload the page.")
        ) from None


def _save(membership, *fields):
    membership.save(update_fields=list(fields))
    _sync_permissions(membership)


@transaction.atomic
def membership_request(*, hub: Hub, user, message: str = "") -> Membership:
    """Ask to join HUB. An open hub admits at once; otherwise the request waits for a
    coordinator."""
    if not user.is_authenticated or not user.is_active:
        raise ActionError(_("Log in to join a hub."), code="forbidden")
    message = _clean_text(message)
    membership = Membership.objects.select_for_update().filter(user=user, hub=hub).first()
    if membership and membership.state == State.ACTIVE:
        raise ActionError(_("You are already a member of this hub."))
    if membership and membership.state == State.REQUESTED:
        raise ActionError(_("Your request to join is already waiting for a coordinator."))
    if membership and membership.state == State.SUSPENDED:
        raise ActionError(
            _("Your membership is suspended. Please contact the hub's coordinators."),
            code="forbidden",
        )
    now = timezone.now()
    admit = hub.join_policy == Hub.JoinPolicy.OPEN
    if not admit and membership is not None:
        _require_cooldown_over(membership, now)
    if membership is None:
        membership = Membership(user=user, hub=hub, requested_at=now)
    membership.state = State.ACTIVE if admit else State.REQUESTED
    membership.role = Role.MEMBER
    membership.message = message
    membership.requested_at = now
    membership.joined_at = now if admit else None
    membership.decided_by = None
    membership.decided_at = now if admit else None
    membership.decision_reason = ""
    _save_new_or_existing(membership)
    _sync_permissions(membership)
    log_entry_create(
        hub=hub,
        actor=user,
        action=Action.JOINED if admit else Action.JOIN_REQUESTED,
        subject=user,
        reason=message,
    )
    if not admit:
        signals.send_on_commit(signals.join_requested, membership_id=membership.pk)
    return membership


def request_cooldown() -> timedelta:
    """How long after asking to join (or being turned down) a person must wait to ask the
    same hub again: each request emails its coordinators."""
    return timedelta(hours=float(getattr(settings, "HUBS_REQUEST_COOLDOWN_HOURS", 24)))


def _require_cooldown_over(membership, now) -> None:
    last = max(filter(None, (membership.requested_at, membership.decided_at)), default=None)
    if last is None or now - last >= request_cooldown():
        return
    hours = max(1, math.ceil((last + request_cooldown() - now).total_seconds() / 3600))
    raise ActionError(
        ngettext(
            "You asked to join this hub a short while ago. Please wait %(hours)d hour "
            "before asking again.",
            "You asked to join this hub a short while ago. Please wait %(hours)d hours "
            "before asking again.",
            hours,
        )
        % {"hours": hours},
        code="rate_limited",
    )


def _decide(*, membership, acting_user, state, reason, action):
    membership.state = state
    membership.decided_by = acting_user
    membership.decided_at = timezone.now()
    membership.decision_reason = reason
    fields = ["state", "decided_by", "decided_at", "decision_reason"]
    if state == State.ACTIVE and membership.joined_at is None:
        membership.joined_at = membership.decided_at
        fields.append("joined_at")
    _save(membership, *fields)
    log_entry_create(
        hub=membership.hub,
        actor=acting_user,
        action=action,
        subject=membership.user,
        reason=reason,
    )
    return membership


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("hub", "user")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_approve(*, membership: Membership, acting_user, reason: str = "") -> Membership:
    membership = _locked(membership)
    _require_moderator(hub=membership.hub, acting_user=acting_user)
    if membership.state != State.REQUESTED:
        raise ActionError(_("This request has already been decided."))
    reason = _clean_text(reason)
    membership = _decide(
        membership=membership,
        acting_user=acting_user,
        state=State.ACTIVE,
        reason=reason,
        action=Action.APPROVED,
    )
    signals.send_on_commit(signals.membership_decided, membership_id=membership.pk)
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, acting_user, reason: str) -> Membership:
    membership = _locked(membership)
    _require_moderator(hub=membership.hub, acting_user=acting_user)
    if membership.state != State.REQUESTED:
        raise ActionError(_("This request has already been decided."))
    reason = _clean_text(reason)
    if not reason:
        raise ActionError(_("Please give the applicant a reason."))
    membership = _decide(
        membership=membership,
        acting_user=acting_user,
        state=State.REJECTED,
        reason=reason,
        action=Action.REJECTED,
    )
    signals.send_on_commit(signals.membership_decided, membership_id=membership.pk)
    return membership


@transaction.atomic
def membership_leave(*, hub: Hub, user) -> Membership:
    """Leave HUB, or withdraw a pending request. A suspended member cannot leave (and
    rejoin an open hub at once): the suspension stands until a coordinator lifts it."""
    if not user.is_authenticated:
        raise ActionError(_("You are not a member of this hub."))
    membership = Membership.objects.select_for_update().filter(user=user, hub=hub).first()
    if membership is not None and membership.state == State.SUSPENDED:
        raise ActionError(
            _("Your membership is suspended. Please contact the hub's coordinators."),
            code="forbidden",
        )
    if membership is None or membership.state not in (State.ACTIVE, State.REQUESTED):
        raise ActionError(_("You are not a member of this hub."))
    membership.state = State.LEFT
    membership.role = Role.MEMBER
    _save(membership, "state", "role")
    log_entry_create(hub=hub, actor=user, action=Action.LEFT, subject=user)
    groups.access_revoked_on_commit(user_id=user.pk, hub_id=hub.pk)
    signals.send_on_commit(signals.membership_left, user_id=user.pk, hub_id=hub.pk)
    return membership


@transaction.atomic
def membership_suspend(*, membership: Membership, acting_user, reason: str) -> Membership:
    membership = _locked(membership)
    _require_moderator(hub=membership.hub, acting_user=acting_user)
    refusal = selectors.membership_suspend_refusal(membership=membership, acting_user=acting_user)
    if refusal is not None:
        raise refusal
    reason = _clean_text(reason)
    if not reason:
        raise ActionError(_("Please give a reason for the suspension."))
    membership = _decide(
        membership=membership,
        acting_user=acting_user,
        state=State.SUSPENDED,
        reason=reason,
        action=Action.SUSPENDED,
    )
    groups.access_revoked_on_commit(user_id=membership.user_id, hub_id=membership.hub_id)
    signals.send_on_commit(signals.membership_suspended, membership_id=membership.pk)
    return membership


@transaction.atomic
def membership_reinstate(*, membership: Membership, acting_user, reason: str = "") -> Membership:
    membership = _locked(membership)
    _require_moderator(hub=membership.hub, acting_user=acting_user)
    if membership.state != State.SUSPENDED:
        raise ActionError(_("Only a suspended member can be reinstated."))
    reason = _clean_text(reason)
    signals.send_on_commit(signals.membership_reinstated, membership_id=membership.pk)
    return _decide(
        membership=membership,
        acting_user=acting_user,
        state=State.ACTIVE,
        reason=reason,
        action=Action.REINSTATED,
    )


@transaction.atomic
def coordinator_assign(*, hub: Hub, user, acting_user=None) -> Membership:
    """Make USER a coordinator of HUB (staff, in the admin or `assign_coordinator`).

    Idempotent: assigning a coordinator again changes and logs nothing."""
    if not user.is_active:
        raise ActionError(_("This account is deactivated."))
    membership = Membership.objects.select_for_update().filter(user=user, hub=hub).first()
    now = timezone.now()
    if membership is None:
        membership = Membership(user=user, hub=hub, requested_at=now)
    if membership.state == State.ACTIVE and membership.role == Role.COORDINATOR:
        return membership
    membership.state = State.ACTIVE
    membership.role = Role.COORDINATOR
    membership.joined_at = membership.joined_at or now
    membership.decided_by = acting_user
    membership.decided_at = now
    membership.decision_reason = ""
    _save_new_or_existing(membership)
    _sync_permissions(membership)
    log_entry_create(hub=hub, actor=acting_user, action=Action.COORDINATOR_ASSIGNED, subject=user)
    return membership


@transaction.atomic
def coordinator_remove(*, hub: Hub, user, acting_user=None) -> Membership:
    """USER stays a member of HUB but loses the coordinator role."""
    membership = Membership.objects.select_for_update().filter(user=user, hub=hub).first()
    if membership is None or membership.role != Role.COORDINATOR:
        raise ActionError(_("This person is not a coordinator of this hub."))
    membership.role = Role.MEMBER
    _save(membership, "role")
    log_entry_create(hub=hub, actor=acting_user, action=Action.COORDINATOR_REMOVED, subject=user)
    return membership


def membership_record_activity(*, hub_id: int, user_id: int, when=None) -> None:
    """Note that USER_ID did something in HUB_ID (posted, for example): the dashboard shows
    it as the member's last activity. One UPDATE, no log entry."""
    Membership.objects.filter(hub_id=hub_id, user_id=user_id).update(
        last_activity=when or timezone.now()
    )


@transaction.atomic
def personal_data_erase(*, user) -> None:
    """Account deletion: remove USER's memberships (and with them the hub permissions) and
    blank the free text of log entries about them. The log rows stay, without the person:
    the hub keeps the record that a decision was taken."""
    hub_ids = []
    for membership in Membership.objects.select_for_update().filter(user=user):
        membership.state = State.LEFT
        _sync_permissions(membership)
        hub_ids.append(membership.hub_id)
    Membership.objects.filter(user=user).delete()
    ModerationLogEntry.objects.filter(subject=user).update(reason="", subject=None)
    groups.access_revoked_on_commit(user_id=user.pk, hub_ids=hub_ids)
