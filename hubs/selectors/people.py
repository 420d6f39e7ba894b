"""Who may see whose profile, and the expert directory.

A profile's visibility is stored by the members app (`Profile.Visibility`), but one of its
choices, "members of a hub we share", is about hubs: so the reads that decide it live here,
above both apps, and so do the profile page and the expert directory, which show a member's
hubs and filter by hub (their URLs stay under /members/).
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.exceptions import NotFound
from members.models import Profile

from ..models import Hub, Membership


def _active_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(state=Membership.State.ACTIVE)


def profiles_visible_to(viewer) -> QuerySet[Profile]:
    """Profiles VIEWER may see: nobody's for anonymous visitors; for a member, their own,
    those visible to all members, and those visible to members of a hub they share (both
    active in it)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return Profile.objects.none()
    viewer_hubs = _active_memberships().filter(user=viewer).values("hub_id")
    shares_a_hub = Exists(
        _active_memberships().filter(user_id=OuterRef("user_id"), hub_id__in=viewer_hubs)
    )
    return Profile.objects.filter(user__is_active=True).filter(
        Q(user=viewer)
        | Q(visibility=Profile.Visibility.MEMBERS)
        | (Q(visibility=Profile.Visibility.HUBS) & shares_a_hub)
    )


def _with_details(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Everything a profile card shows (with the member's hubs), in a fixed number of
    queries."""
    return profiles.select_related("user").prefetch_related(
        "expertise",
        "languages",
        Prefetch(
            "user__memberships",
            queryset=_active_memberships().select_related("hub").order_by("hub__name"),
            to_attr="active_memberships",
        ),
    )


def profile_for_viewer(*, viewer, user_id: int) -> Profile:
    """USER_ID's profile if VIEWER may see it; NotFound otherwise (whether it exists stays
    hidden)."""
    profile = _with_details(profiles_visible_to(viewer)).filter(user_id=user_id).first()
    if profile is None:
        raise NotFound
    return profile


def expert_hubs() -> QuerySet[Hub]:
    """The hubs the expert directory can be filtered by."""
    return Hub.objects.order_by("name")


def experts_visible_to(
    viewer,
    *,
    text: str = "",
    theme: str = "",
    hub: Hub | None = None,
    country: str = "",
    language: str = "",
) -> QuerySet[Profile]:
    """The expert directory: members who are available for peer advice and whose profile
    VIEWER may see, filtered."""
    experts = profiles_visible_to(viewer).filter(available_for_advice=True)
    if theme:
        experts = experts.filter(expertise__theme=theme)
    if language:
        experts = experts.filter(languages__language=language)
    if country:
        experts = experts.filter(country=country)
    if hub is not None:
        experts = experts.filter(
            Exists(_active_memberships().filter(user_id=OuterRef("user_id"), hub=hub))
        )
    for word in text.split()[:8]:
        experts = experts.filter(
            Q(user__name__icontains=word) | Q(organisation__icontains=word) | Q(bio__icontains=word)
        )
    return _with_details(experts.distinct().order_by("user__name", "user_id"))
