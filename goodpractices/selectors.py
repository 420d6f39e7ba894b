"""Reads that decide who sees and reviews which good practice. Views, the workflow task,
templates' contexts and tests call these; nothing else queries the practices for people."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from guardian.shortcuts import get_objects_for_user, get_users_with_perms
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, TaskState

from hubs import selectors as hub_selectors
from hubs.models import Hub
from hubs.selectors import people
from members.models import Profile

from . import translations
from .models import (
    SDG_NAMES,
    GoodPracticeIndexPage,
    GoodPracticePage,
    HubReviewTaskState,
    Proposal,
    Region,
    Theme,
)

PAGE_SIZE = 12
CARD_RENDITION = "fill-480x270"
FILTERS = ("theme", "region", "country", "sdg")


# Public reads ---------------------------------------------------------------


def practice_index() -> GoodPracticeIndexPage | None:
    """The index page of the original tree (its translations are served at its URL)."""
    return GoodPracticeIndexPage.objects.live().filter(locale=translations.default_locale()).first()


def practices_public():
    """Live original practices anybody may see (no view restriction): one row a practice
    whatever the number of its translations. `translations.localized_many` turns them into
    what a reader of a language sees."""
    return GoodPracticePage.objects.live().public().filter(locale=translations.default_locale())


def _with_cards(queryset):
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    return queryset.select_related("region", "locale").prefetch_related(
        "themes", Prefetch("lead_image", queryset=images)
    )


def practices_newest(*, limit: int, language: str | None = None):
    """The newest practices, each in `language` where a live translation exists (the active
    language by default)."""
    newest = list(_with_cards(practices_public()).order_by("-first_published_at", "-pk")[:limit])
    return _localized_cards(newest, language)


def _localized_cards(practices, language: str | None = None):
    language = language or get_language() or "en"
    if language == translations.default_locale().language_code:
        return list(practices)
    shown = translations.localized_many(practices, language)
    swapped = [
        page.pk for page, original in zip(shown, practices, strict=True) if page is not original
    ]
    if swapped:
        loaded = {
            page.pk: page for page in _with_cards(GoodPracticePage.objects.filter(pk__in=swapped))
        }
        shown = [loaded.get(page.pk, page) for page in shown]
    return shown


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


def _querystring(active: dict, **changes) -> str:
    params = {**active, **changes}
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return "?" + urlencode(params) if params else "?"


def _clean_filters(params) -> dict:
    """Only known values count; anything else is ignored, never an error."""
    active = {}
    theme = params.get("theme", "")
    if theme and Theme.objects.filter(slug=theme).exists():
        active["theme"] = theme
    region = params.get("region", "")
    if region and Region.objects.filter(slug=region).exists():
        active["region"] = region
    country = params.get("country", "").upper()
    if country and country in dict(countries):
        active["country"] = country
    sdg = params.get("sdg", "")
    if sdg.isdigit() and int(sdg) in SDG_NAMES:
        active["sdg"] = str(int(sdg))
    return active


def _apply(queryset, active: dict, *, skip: str = ""):
    if "theme" in active and skip != "theme":
        queryset = queryset.filter(themes__slug=active["theme"])
    if "region" in active and skip != "region":
        queryset = queryset.filter(region__slug=active["region"])
    if "country" in active and skip != "country":
        queryset = queryset.filter(country=active["country"])
    if "sdg" in active and skip != "sdg":
        queryset = queryset.filter(sdgs__number=int(active["sdg"]))
    return queryset


def _counts(queryset, field: str) -> dict:
    rows = queryset.order_by().values(field).annotate(n=Count("pk", distinct=True))
    return {row[field]: row["n"] for row in rows if row[field] is not None}


def practice_listing(*, index_page, params) -> dict:
    """The index page's context: the filtered, paginated practices and, for each filter,
    its options with the number of practices each would give combined with the others.

    A fixed number of queries whatever the number of practices."""
    base = practices_public().child_of(translations.original_of(index_page))
    active = _clean_filters(params)

    def option(name, value, label, count):
        selected = active.get(name) == str(value)
        url = _querystring(active, **{name: "" if selected else value, "page": ""})
        return FacetOption(str(value), str(label), count, selected, url)

    facets = {}
    counts = _counts(_apply(base, active, skip="theme"), "themes")
    facets["theme"] = [
        option("theme", theme.slug, theme.label, counts.get(theme.pk, 0))
        for theme in Theme.objects.all()
    ]
    counts = _counts(_apply(base, active, skip="region"), "region")
    facets["region"] = [
        option("region", region.slug, region.label, counts.get(region.pk, 0))
        for region in Region.objects.all()
    ]
    counts = _counts(_apply(base, active, skip="country"), "country")
    facets["country"] = sorted(
        (
            option("country", code, countries.name(code), count)
            for code, count in counts.items()
            if code
        ),
        key=lambda item: item.label,
    )
    counts = _counts(_apply(base, active, skip="sdg"), "sdgs")
    facets["sdg"] = [
        option("sdg", number, f"{number}. {name}", counts.get(number, 0))
        for number, name in SDG_NAMES.items()
    ]

    results = _with_cards(_apply(base, active)).distinct().order_by("-first_published_at", "-pk")
    page_obj = Paginator(results, PAGE_SIZE).get_page(params.get("page"))
    return {
        "practices": _localized_cards(page_obj.object_list),
        "page_obj": page_obj,
        "facets": facets,
        "active_filters": active,
        "filter_querystring": _querystring(active),
        "previous_url": _querystring(active, page=page_obj.previous_page_number())
        if page_obj.has_previous()
        else "",
        "next_url": _querystring(active, page=page_obj.next_page_number())
        if page_obj.has_next()
        else "",
        "filter_labels": {
            "theme": _("Thematic field"),
            "region": _("Region"),
            "country": _("Country"),
            "sdg": _("Sustainable development goal"),
        },
    }


def contact_profile_for(*, page, viewer):
    """The contact person's profile, if they are in the expert directory and VIEWER may see
    their profile (never for anonymous visitors)."""
    if page.contact_person_id is None:
        return None
    return (
        people.profiles_visible_to(viewer)
        .filter(user_id=page.contact_person_id, available_for_advice=True)
        .select_related("user")
        .first()
    )


def user_is_expert(user) -> bool:
    """Listed in the expert directory (and so may be named as a practice's contact)."""
    return Profile.objects.filter(
        user=user, user__is_active=True, available_for_advice=True
    ).exists()


# Who reviews what -----------------------------------------------------------


def hub_for_practice(page) -> Hub | None:
    """The hub whose coordinators review PAGE: the hub of its region, if any."""
    region_id = getattr(page, "region_id", None)
    if region_id is None:
        return None
    return Hub.objects.filter(practice_regions__pk=region_id).first()


def hubs_moderated_by(user):
    if not user.is_authenticated or not user.is_active:
        return Hub.objects.none()
    return get_objects_for_user(
        user, "hubs.moderate_hub", klass=Hub, accept_global_perms=False, with_superuser=False
    )


def user_is_coordinator(user) -> bool:
    return hubs_moderated_by(user).exists()


def user_can_publish_practice(*, user, page) -> bool:
    """Editors: whoever Wagtail lets publish this page (or, without a page, the index)."""
    if not user.is_authenticated or not user.is_active:
        return False
    target = page if page is not None and page.pk else practice_index()
    if target is None:
        return user.is_superuser
    return target.permissions_for_user(user).can_publish()


def _hub_under_review(*, page, task) -> Hub | None:
    state = (
        HubReviewTaskState.objects.filter(
            task=task,
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__object_id=str(page.pk),
        )
        .select_related("hub")
        .first()
    )
    if state is not None:
        return state.hub
    return hub_for_practice(page)


def user_can_review_practice(*, user, page, task) -> bool:
    """Editors review every practice; a coordinator only the practices under review for
    their own hub's region."""
    if not user.is_authenticated or not user.is_active:
        return False
    cache = user.__dict__.setdefault("_practice_review_checks", {})
    key = (task.pk, page.pk)
    if key not in cache:
        if user.is_superuser or user_can_publish_practice(user=user, page=page):
            cache[key] = True
        else:
            hub = _hub_under_review(page=page, task=task)
            cache[key] = hub is not None and hub_selectors.user_can_moderate(user=user, hub=hub)
    return cache[key]


def review_task_states_for(*, user, task):
    """In-progress task states of TASK that USER may decide (the admin's dashboard)."""
    states = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    if not user.is_authenticated or not user.is_active:
        return TaskState.objects.none()
    if user.is_superuser or user_can_publish_practice(user=user, page=None):
        return states
    return states.filter(hubreviewtaskstate__hub__in=hubs_moderated_by(user))


def practice_editors():
    """People who may publish good practices: members of groups holding the publish
    permission on the practice index or above it."""
    index_page = practice_index()
    if index_page is None:
        return get_user_model().objects.none()
    groups = GroupPagePermission.objects.filter(
        permission__codename="publish_page",
        page__in=index_page.get_ancestors(inclusive=True),
    ).values("group")
    return get_user_model().objects.filter(groups__in=groups, is_active=True).distinct()


def review_recipients(task_state):
    """Who is told of a review task: the coordinators of its hub; for a region without a
    hub, the editors. Never the coordinators of another hub."""
    hub = getattr(task_state, "hub", None)
    if hub is not None:
        users = get_users_with_perms(
            hub, only_with_perms_in=["moderate_hub"], with_group_users=False
        )
        return users.filter(is_active=True)
    return practice_editors()


# Proposals ------------------------------------------------------------------


@dataclass
class ProposalStatus:
    proposal: Proposal
    code: str
    label: str
    comment: str
    url: str


def proposals_of(user):
    return Proposal.objects.filter(proposer=user).select_related("page").order_by("-created", "-pk")


def proposal_status(proposal: Proposal) -> ProposalStatus:
    """Where a proposal stands, in words for its proposer."""
    page = proposal.page
    if page is None:
        return ProposalStatus(proposal, "removed", str(_("Not taken up")), "", "")
    if page.live:
        return ProposalStatus(proposal, "published", str(_("Published")), "", page.url or "")
    workflow_state = page.workflow_states.order_by("-created_at").first()
    if workflow_state is None or workflow_state.status == workflow_state.STATUS_CANCELLED:
        return ProposalStatus(proposal, "draft", str(_("Draft, not in review")), "", "")
    if workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
        task_state = workflow_state.current_task_state
        comment = task_state.comment if task_state else ""
        return ProposalStatus(proposal, "changes", str(_("Sent back for changes")), comment, "")
    if workflow_state.status == workflow_state.STATUS_APPROVED:
        return ProposalStatus(proposal, "approved", str(_("Approved, to be published")), "", "")
    return ProposalStatus(proposal, "review", str(_("In review")), "", "")


def proposal_statuses_of(user) -> list[ProposalStatus]:
    return [proposal_status(proposal) for proposal in proposals_of(user)]


def proposal_for_page(page) -> Proposal | None:
    return Proposal.objects.select_related("proposer").filter(page_id=page.pk).first()
