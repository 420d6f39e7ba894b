"""Reads that decide who may see and do what in a hub. Every check goes through here.

Permissions are django-guardian object permissions on `Hub`, granted and revoked by the
membership services only (`hubs.services.membership`). The checks read the permissions held
directly by the user, without Django's superuser shortcut: a hub's threads and decisions
belong to its members and coordinators. Staff (`is_staff` or `is_superuser`) get read-only
oversight: the members list, the coordinator dashboard and the moderation log, never the
power to decide; to act in a hub, staff make someone (themselves included) its coordinator,
which is logged (see docs/hubs.md).
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user, get_user_perms

from core.exceptions import ActionError, NotFound
from members.models import Profile

from ..models import Hub, Membership, ModerationLogEntry, Report

State = Membership.State
Role = Membership.Role


def hub_get(*, slug: str) -> Hub:
    """The hub SLUG; NotFound if there is none."""
    hub = Hub.objects.filter(slug=slug).first()
    if hub is None:
        raise NotFound(_("There is no such hub."))
    return hub


def hubs_list() -> QuerySet[Hub]:
    """All hubs with the number of active members (`member_count`)."""
    return Hub.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=State.ACTIVE))
    ).order_by("name")


def membership_for(*, user, hub) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, hub=hub).first()


def memberships_by_hub(*, user) -> dict[int, Membership]:
    """The user's memberships keyed by hub id (one query; empty for anonymous visitors)."""
    if not user.is_authenticated:
        return {}
    return {m.hub_id: m for m in Membership.objects.filter(user=user)}


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def hub_permissions(*, user, hub) -> set[str]:
    """The hub permissions USER holds on HUB (one query), as codenames."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(get_user_perms(user, hub))


def user_can_access_hub(*, user, hub) -> bool:
    """Read the hub's threads and members: active members and coordinators."""
    return "access_hub" in hub_permissions(user=user, hub=hub)


def user_can_participate(*, user, hub) -> bool:
    return "participate_hub" in hub_permissions(user=user, hub=hub)


def user_can_moderate(*, user, hub) -> bool:
    """Decide join requests, suspend and reinstate, moderate threads: the hub's coordinators."""
    return "moderate_hub" in hub_permissions(user=user, hub=hub)


@dataclass(frozen=True)
class HubAccess:
    """What one person may do in one hub, worked out once per request."""

    membership: Membership | None
    permissions: set[str] = field(default_factory=set)
    staff: bool = False

    @property
    def can_access(self) -> bool:
        return "access_hub" in self.permissions

    @property
    def can_participate(self) -> bool:
        return "participate_hub" in self.permissions

    @property
    def can_moderate(self) -> bool:
        return "moderate_hub" in self.permissions

    @property
    def can_view_members(self) -> bool:
        return self.can_access or self.staff

    @property
    def can_view_moderation(self) -> bool:
        """The dashboard and the log: coordinators, and staff for oversight (read-only)."""
        return self.can_moderate or self.staff

    @property
    def state(self) -> str | None:
        return self.membership.state if self.membership else None


def hub_access(*, user, hub) -> HubAccess:
    """USER's membership and permissions in HUB (two queries for a logged-in user)."""
    if not user.is_authenticated:
        return HubAccess(membership=None)
    return HubAccess(
        membership=membership_for(user=user, hub=hub),
        permissions=hub_permissions(user=user, hub=hub),
        staff=is_staff(user),
    )


def hubs_accessible_to(user) -> QuerySet[Hub]:
    """The hubs whose threads USER may read (search and lists use this)."""
    if not user.is_authenticated or not user.is_active:
        return Hub.objects.none()
    return get_objects_for_user(
        user, "hubs.access_hub", klass=Hub, with_superuser=False, accept_global_perms=False
    )


def hub_coordinators(*, hub) -> QuerySet:
    """The users who coordinate HUB, by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__hub=hub,
            memberships__state=State.ACTIVE,
            memberships__role=Role.COORDINATOR,
        )
        .order_by("name")
    )


def staff_users() -> QuerySet:
    """Active staff accounts (for what no coordinator can handle)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("pk")


def hub_member_count(*, hub) -> int:
    return Membership.objects.filter(hub=hub, state=State.ACTIVE).count()


def _with_profile(queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    """Join the member's profile (the dashboard and the members list show it)."""
    return queryset.select_related("user__profile")


def hub_members(*, hub) -> QuerySet[Membership]:
    """Active members of HUB with their users: coordinators first, then by name."""
    return _with_profile(
        Membership.objects.filter(hub=hub, state=State.ACTIVE)
        .select_related("user")
        .order_by("role", "user__name", "pk")  # coordinators first
    )


def hub_members_for_moderation(*, hub) -> QuerySet[Membership]:
    """Active and suspended members of HUB, for the coordinator dashboard."""
    return _with_profile(
        Membership.objects.filter(hub=hub, state__in=[State.ACTIVE, State.SUSPENDED])
        .select_related("user", "decided_by")
        .order_by("role", "state", "user__name", "pk")  # coordinators first
    )


def pending_requests(*, hub) -> QuerySet[Membership]:
    """Join requests waiting for a decision in HUB, oldest first."""
    return _with_profile(
        Membership.objects.filter(hub=hub, state=State.REQUESTED)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def membership_in_hub(*, hub, pk, states=None) -> Membership:
    """A membership of HUB by id; NotFound if it is not in this hub or not in STATES."""
    queryset = Membership.objects.filter(hub=hub).select_related("user", "hub")
    if states:
        queryset = queryset.filter(state__in=states)
    membership = queryset.filter(pk=pk).first()
    if membership is None:
        raise NotFound(_("There is no such membership in this hub."))
    return membership


def membership_suspend_refusal(*, membership: Membership, acting_user) -> ActionError | None:
    """Why ACTING_USER (a coordinator of the hub: checked by the caller) may not suspend
    MEMBERSHIP, or None if they may: only an active member, never oneself, never a
    coordinator (staff suspend coordinators). The dashboard's Suspend button and
    `membership_suspend` both ask this."""
    if membership.state != State.ACTIVE:
        return ActionError(_("Only an active member can be suspended."))
    if membership.user_id == acting_user.pk:
        return ActionError(_("You cannot suspend yourself."))
    if membership.role == Role.COORDINATOR:
        return ActionError(
            _("Coordinators are suspended by staff, not by another coordinator."),
            code="forbidden",
        )
    return None


def membership_can_suspend(*, membership: Membership, acting_user) -> bool:
    return membership_suspend_refusal(membership=membership, acting_user=acting_user) is None


def moderation_log(*, hub) -> QuerySet[ModerationLogEntry]:
    return ModerationLogEntry.objects.filter(hub=hub).select_related("actor", "subject")


def coordinated_hubs_with_pending(*, user) -> list[dict]:
    """For each hub USER coordinates: slug, name, the number of pending join requests and
    the number of open reports.

    One query; empty for everyone who coordinates nothing. Feeds the header navigation.
    Counted in subqueries: two counts over joins would multiply each other's rows.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    pending = (
        Membership.objects.filter(hub=OuterRef("hub"), state=State.REQUESTED)
        .order_by()
        .values("hub")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reports = (
        Report.objects.filter(message__thread__hub=OuterRef("hub"), state=Report.State.OPEN)
        .order_by()
        .values("message__thread__hub")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        Membership.objects.filter(user=user, state=State.ACTIVE, role=Role.COORDINATOR)
        .annotate(
            pending=Coalesce(Subquery(pending), 0),
            reports=Coalesce(Subquery(reports), 0),
        )
        .order_by("hub__name")
        .values("hub__slug", "hub__name", "pending", "reports")
    )


def applicant_profile(user) -> list[tuple[str, str]]:
    """The profile facts a coordinator sees next to a join request, as (label, value) pairs;
    empty for a person without a profile. Uses `user.profile` as loaded (the lists join it)."""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        return []
    values = {
        "organisation": profile.organisation,
        "organisation_type": profile.get_organisation_type_display(),
        "position": profile.position,
        "city": profile.city,
        "country": profile.country.name if profile.country else "",
    }
    return [
        (str(Profile._meta.get_field(name).verbose_name), str(value))
        for name, value in values.items()
        if value
    ]
