"""Reads that decide who sees and may do what with events. Every check goes through here.

- An event is seen by everyone while published or cancelled, unless it is for the members of
  its hubs only: then by those members, its organisers and the editors. A proposal is seen by
  its proposer, the coordinators of its hubs and the editors.
- Organisers: the coordinators of the event's hubs, the editors (Django group "Editors" or the
  `events.change_event` permission), and the members named as organisers (a proposer whose
  proposal a coordinator approved). Staff get no say of their own.
- The participant list: organisers, and the accepted participants (names only). The CSV and
  the meeting link follow the same rule, the CSV for organisers only.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.exceptions import NotFound
from core.themes import ThematicField
from hubs import selectors as hub_selectors
from hubs.models import Hub
from members import timezones

from .models import CalendarSettings, Event, LearningProcess, Registration

Status = Event.Status
RState = Registration.State
EDITORS_GROUP = "Editors"
LISTED = (Status.PUBLISHED, Status.CANCELLED)


def user_is_editor(user) -> bool:
    """Superusers, the "Editors" group, and whoever holds `events.change_event` (given in
    Wagtail's group settings), in one query, remembered on the user object."""
    if not user.is_authenticated or not user.is_active:
        return False
    cache_ = user.__dict__
    if "_events_editor" not in cache_:
        permission = {"codename": "change_event", "content_type__app_label": "events"}
        cache_["_events_editor"] = user.is_superuser or (
            get_user_model()
            .objects.filter(pk=user.pk)
            .filter(
                Q(groups__name=EDITORS_GROUP)
                | Q(**{f"groups__permissions__{k}": v for k, v in permission.items()})
                | Q(**{f"user_permissions__{k}": v for k, v in permission.items()})
            )
            .exists()
        )
    return cache_["_events_editor"]


def _accessible_hub_ids(user) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cache_ = user.__dict__
    if "_events_hub_ids" not in cache_:
        cache_["_events_hub_ids"] = set(
            hub_selectors.hubs_accessible_to(user).values_list("pk", flat=True)
        )
    return cache_["_events_hub_ids"]


def _moderated_hub_ids(user) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cache_ = user.__dict__
    if "_events_moderated_ids" not in cache_:
        from guardian.shortcuts import get_objects_for_user

        cache_["_events_moderated_ids"] = set(
            get_objects_for_user(
                user,
                "hubs.moderate_hub",
                klass=Hub,
                with_superuser=False,
                accept_global_perms=False,
            ).values_list("pk", flat=True)
        )
    return cache_["_events_moderated_ids"]


def hubs_coordinated_by(user) -> QuerySet[Hub]:
    return Hub.objects.filter(pk__in=_moderated_hub_ids(user)).order_by("name")


def hubs_of_member(user) -> QuerySet[Hub]:
    """The hubs in which USER may propose events: those they are an active member of."""
    return Hub.objects.filter(pk__in=_accessible_hub_ids(user)).order_by("name")


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events USER may see (the calendar, feeds, search)."""
    queryset = Event.objects.filter(status__in=LISTED)
    if user_is_editor(user):
        return queryset
    visible = Q(members_only=False)
    if user.is_authenticated:
        visible |= Q(hubs__in=_accessible_hub_ids(user)) | Q(organisers=user)
    ids = queryset.filter(visible).values("pk")
    return Event.objects.filter(pk__in=ids)


@dataclass(frozen=True)
class EventAccess:
    """What one person may do with one event, worked out once per request."""

    event: Event
    registration: Registration | None
    is_organiser: bool
    is_decider: bool  # may approve or decline a proposal

    @property
    def is_accepted(self) -> bool:
        return self.registration is not None and self.registration.state == RState.ACCEPTED

    @property
    def can_see_link(self) -> bool:
        return self.is_organiser or self.is_accepted

    @property
    def can_see_participants(self) -> bool:
        return self.is_organiser or self.is_accepted

    @property
    def can_export(self) -> bool:
        return self.is_organiser

    @property
    def is_registered(self) -> bool:
        return self.registration is not None and self.registration.state in Registration.REGISTERED


def user_organises(*, user, event) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_editor(user):
        return True
    if event.status in (Status.PROPOSED, Status.DECLINED):
        return False  # a proposal is decided first; the proposer is no organiser yet
    hub_ids = {hub.pk for hub in event.hubs.all()}
    if hub_ids & _moderated_hub_ids(user):
        return True
    return event.organisers.filter(pk=user.pk).exists()


def user_decides_proposal(*, user, event) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_editor(user):
        return True
    return bool({hub.pk for hub in event.hubs.all()} & _moderated_hub_ids(user))


def registration_for(*, user, event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, event=event).first()


def _can_see(*, user, event) -> bool:
    if event.status in (Status.PROPOSED, Status.DECLINED):
        return (user.is_authenticated and event.proposed_by_id == user.pk) or user_decides_proposal(
            user=user, event=event
        )
    if not event.members_only:
        return True
    if not user.is_authenticated:
        return False
    hub_ids = {hub.pk for hub in event.hubs.all()}
    return bool(hub_ids & _accessible_hub_ids(user)) or user_organises(user=user, event=event)


def event_for_viewer(*, user, pk) -> Event:
    """The event PK if USER may see it; `NotFound` otherwise (a members-only event of another
    hub is not found, not forbidden: its existence is the hub's business)."""
    event = (
        Event.objects.select_related("learning_process")
        .prefetch_related("hubs")
        .filter(pk=pk)
        .first()
    )
    if event is None or not _can_see(user=user, event=event):
        raise NotFound()
    return event


def event_access(*, user, event) -> EventAccess:
    return EventAccess(
        event=event,
        registration=registration_for(user=user, event=event),
        is_organiser=user_organises(user=user, event=event),
        is_decider=event.status == Status.PROPOSED
        and user_decides_proposal(user=user, event=event),
    )


# The calendar ----------------------------------------------------------------------------

FILTERS = ("hub", "kind", "theme", "language", "mode")


def clean_filters(params) -> dict[str, str]:
    """The calendar's filters from query parameters; unknown values are dropped."""
    active = {}
    hub = str(params.get("hub") or "").strip()
    if hub and Hub.objects.filter(slug=hub).exists():
        active["hub"] = hub
    kind = str(params.get("kind") or "")
    if kind in Event.Kind.values:
        active["kind"] = kind
    theme = str(params.get("theme") or "")
    if theme in ThematicField.values:
        active["theme"] = theme
    language = str(params.get("language") or "").strip()[:8]
    if language.isalpha():
        active["language"] = language.lower()
    mode = str(params.get("mode") or "")
    if mode in ("online", "on_site"):
        active["mode"] = mode
    return active


def calendar(*, user, params, past: bool = False, now=None) -> tuple[QuerySet[Event], dict]:
    """Events USER may see, filtered; upcoming (soonest first) or past (latest first)."""
    now = now or timezone.now()
    active = clean_filters(params)
    queryset = events_visible_to(user)
    if past:
        queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        queryset = queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if "hub" in active:
        queryset = queryset.filter(hubs__slug=active["hub"])
    if "kind" in active:
        queryset = queryset.filter(kind=active["kind"])
    if "theme" in active:
        queryset = queryset.filter(
            Q(theme=active["theme"])
            | Q(theme="", learning_process__themes__contains=active["theme"])
        )
    if "language" in active:
        queryset = queryset.filter(language=active["language"])
    if "mode" in active:
        queryset = queryset.filter(online=active["mode"] == "online")
    return _for_cards(queryset), active


def _for_cards(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.select_related("learning_process").prefetch_related(
        Prefetch("hubs", queryset=Hub.objects.order_by("name"))
    )


def next_events(*, user, hub=None, limit: int = 3, member_of_hub=None, now=None) -> list[Event]:
    """The next LIMIT published events USER may see (of HUB, when given). MEMBER_OF_HUB,
    when the caller already knows whether USER may access HUB, saves working it out."""
    now = now or timezone.now()
    if hub is not None and member_of_hub is not None:
        queryset = Event.objects.filter(status=Status.PUBLISHED, hubs=hub)
        if not member_of_hub and not user_is_editor(user):
            visible = Q(members_only=False)
            if user.is_authenticated:
                visible |= Q(organisers=user)
            queryset = queryset.filter(visible).distinct()
    else:
        queryset = events_visible_to(user).filter(status=Status.PUBLISHED)
        if hub is not None:
            queryset = queryset.filter(hubs=hub)
    queryset = queryset.filter(ends_at__gte=now)
    return list(_for_cards(queryset.order_by("starts_at", "pk"))[:limit])


def public_upcoming(*, now=None) -> QuerySet[Event]:
    """The public feed: published and cancelled events open to all, not yet over."""
    now = now or timezone.now()
    return Event.objects.filter(
        status__in=LISTED, members_only=False, ends_at__gte=now - timedelta(days=1)
    ).order_by("starts_at", "pk")


def proposals_for(*, user) -> QuerySet[Event]:
    """Proposals waiting for USER's decision (editors: all of them)."""
    queryset = Event.objects.filter(status=Status.PROPOSED).select_related("proposed_by")
    if not user_is_editor(user):
        queryset = queryset.filter(hubs__in=_moderated_hub_ids(user)).distinct()
    return queryset.prefetch_related("hubs").order_by("created", "pk")


def proposals_of(*, user) -> QuerySet[Event]:
    return Event.objects.filter(proposed_by=user).order_by("-created", "-pk")


def participants(*, event, organiser: bool) -> QuerySet[Registration]:
    """The accepted participants (for accepted participants); every registration except
    cancelled ones (for organisers), in queue order."""
    queryset = Registration.objects.filter(event=event).select_related("user", "user__profile")
    if organiser:
        return queryset.exclude(state=RState.CANCELLED).order_by("state", "queued_at", "pk")
    return queryset.filter(state=RState.ACCEPTED).order_by("user__name", "pk")


def registration_in_event(*, event, pk) -> Registration:
    registration = Registration.objects.filter(event=event, pk=pk).select_related("user").first()
    if registration is None:
        raise NotFound()
    return registration


def registrations_of(*, user) -> QuerySet[Registration]:
    """USER's live registrations (not cancelled or declined), for the personal feed."""
    return (
        Registration.objects.filter(user=user, state__in=Registration.REGISTERED)
        .select_related("event")
        .order_by("event__starts_at")
    )


# Learning processes ----------------------------------------------------------------------


def learning_processes_visible() -> QuerySet[LearningProcess]:
    """The learning processes whose page anyone may open (the list, the page, search):
    all but drafts (from topic calls), which stay in the admin."""
    return LearningProcess.objects.exclude(status=LearningProcess.Status.DRAFT)


def learning_processes() -> QuerySet[LearningProcess]:
    """The learning processes on the site, for the list."""
    return (
        learning_processes_visible()
        .annotate(event_count=Count("events", filter=Q(events__status__in=LISTED)))
        .prefetch_related("hubs")
    )


def learning_process_get(*, slug) -> LearningProcess:
    process = learning_processes_visible().prefetch_related("hubs").filter(slug=slug).first()
    if process is None:
        raise NotFound()
    return process


def process_events(*, user, process) -> list[Event]:
    """The events of PROCESS that USER may see, in order, with their documentation."""
    return list(
        _for_cards(events_visible_to(user).filter(learning_process=process))
        .prefetch_related("practices", "threads", "files")
        .order_by("starts_at", "pk")
    )


# Time zones ------------------------------------------------------------------------------


# The viewer's zone is a profile field; the rule (chosen, else the country's, else UTC) is
# the members app's.
valid_time_zones = timezones.valid_time_zones
zone_for_country = timezones.zone_for_country
viewer_time_zone = timezones.time_zone_of


def calendar_settings_for(user) -> CalendarSettings | None:
    return CalendarSettings.objects.filter(user=user).first()


def user_for_feed_token(token: str):
    # Tokens are URL-safe text; anything else (a NUL byte, which PostgreSQL refuses to even
    # compare) names no feed.
    if not token or len(token) > 64 or not all(c.isalnum() or c in "-_" for c in token):
        raise NotFound()
    settings = (
        CalendarSettings.objects.filter(feed_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if settings is None:
        raise NotFound()
    return settings.user


def event_for_registration(*, pk) -> Event:
    """The event PK for the registration service, which decides and says why not."""
    event = Event.objects.prefetch_related("hubs").filter(pk=pk).first()
    if event is None:
        raise NotFound()
    return event


def places_left(event) -> int:
    taken = event.registrations.filter(state__in=Registration.HOLDS_PLACE).count()
    return max(event.capacity - taken, 0)


def registration_open(event, *, now=None) -> bool:
    now = now or timezone.now()
    if not event.is_published or now >= event.starts_at:
        return False
    if event.registration_opens and now < event.registration_opens:
        return False
    return not (event.registration_deadline and now > event.registration_deadline)


def calendar_languages() -> list[tuple[str, str]]:
    """The working languages of listed events, as (code, name)."""
    from members.models import language_name

    codes = (
        Event.objects.filter(status__in=LISTED)
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return [(code, language_name(code)) for code in codes]


def threads_visible(*, user, threads) -> list:
    """Of THREADS (linked from an event or process), those USER may read."""
    return list(
        threads.filter(hub__in=hub_selectors.hubs_accessible_to(user)).select_related("hub")
    )


def process_outputs(*, user, process) -> tuple[list, list]:
    """The live good practices and the readable threads of PROCESS and of its events."""
    from goodpractices.models import GoodPracticePage
    from hubs.models import Thread

    event_ids = events_visible_to(user).filter(learning_process=process).values("pk")
    practices = (
        GoodPracticePage.objects.live()
        .public()
        .filter(Q(learning_processes=process) | Q(events__in=event_ids))
        .filter(locale__language_code=settings.LANGUAGE_CODE)  # originals: one a practice
        .distinct()
        .order_by("title")
    )
    threads = Thread.objects.filter(
        Q(learning_processes=process) | Q(events__in=event_ids)
    ).distinct()
    return list(practices), threads_visible(user=user, threads=threads.order_by("-created"))
