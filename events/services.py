"""Event writes: creating, proposing and deciding events, changing and cancelling them,
registrations with their waitlist, attendance, documentation, reminders and the personal
calendar feed. Every write is atomic and logged where someone decides about someone else.

The places of an event are counted under a lock on the event row (`select_for_update`), so
two people registering for the last place at the same moment get one place and one spot on
the waitlist (tests/events/test_concurrency.py, on PostgreSQL).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ActionError, NotFound
from hubs import selectors as hub_selectors

from . import notifications, selectors
from .models import (
    CalendarSettings,
    Event,
    EventFile,
    EventLogEntry,
    LearningProcess,
    MailRecord,
    Registration,
)
from .signals import event_changed

Status = Event.Status
RState = Registration.State
Action = EventLogEntry.Action
TEXT_LIMIT = 2000
# Fields a participant's calendar must hear of, by the words the change mail uses.
TIME_FIELDS = ("starts_at", "ends_at", "time_zone")
PLACE_FIELDS = ("online", "venue", "city", "country")
LINK_FIELDS = ("meeting_link",)
EDITABLE_FIELDS = (
    "title",
    "kind",
    "description",
    "learning_process",
    "members_only",
    "theme",
    *TIME_FIELDS,
    *PLACE_FIELDS,
    *LINK_FIELDS,
    "language",
    "capacity",
    "registration_opens",
    "registration_deadline",
    "motivation_question",
    "review_registrations",
)
REMINDERS = ((7, "reminder-7d"), (1, "reminder-1d"))


def _clean_text(text: str, *, required_message=None) -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise ActionError(required_message)
    if len(text) > TEXT_LIMIT:
        raise ActionError(
            _("The text is too long: at most %(limit)d characters, please.") % {"limit": TEXT_LIMIT}
        )
    return text


def _log(event, actor, action, *, subject=None, reason=""):
    EventLogEntry.objects.create(
        event=event, actor=actor, action=action, subject=subject, reason=reason
    )


def _indexed(event):
    # Inside the transaction: the search outbox row commits (or rolls back) with the change.
    event_changed.send(sender=Event, event_id=event.pk)


def _require_login(user):
    if not user.is_authenticated or not user.is_active:
        raise ActionError(_("Please log in first."), code="forbidden")


def _require_organiser(*, event, user):
    _require_login(user)
    if not selectors.user_organises(user=user, event=event):
        raise ActionError(_("Only the organisers of this event may do this."), code="forbidden")


def _check_times(data):
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends < starts:
        raise ActionError(_("The event cannot end before it starts."))
    if data.get("capacity") is not None and data["capacity"] < 1:
        raise ActionError(_("An event needs at least one place."))
    deadline = data.get("registration_deadline")
    if deadline and starts and deadline > ends:
        raise ActionError(_("The registration deadline must be before the end of the event."))


def _new_event(*, data, hub, **fields) -> Event:
    _check_times(data)
    values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    event = Event(**values, **fields)
    event.save()
    event.hubs.set([hub] if hub is not None else [])
    return event


# Creating and proposing ----------------------------------------------------------------


@transaction.atomic
def event_create(*, acting_user, hub, data: dict) -> Event:
    """A coordinator of HUB (or an editor) creates and publishes an event of HUB; without a
    hub, a network-wide event (editors only)."""
    _require_login(acting_user)
    if not (
        (hub is not None and hub_selectors.user_can_moderate(user=acting_user, hub=hub))
        or selectors.user_is_editor(acting_user)
    ):
        raise ActionError(
            _("Only this hub's coordinators may create its events."), code="forbidden"
        )
    event = _new_event(data=data, hub=hub, status=Status.PUBLISHED, created_by=acting_user)
    _log(event, acting_user, Action.CREATED)
    _indexed(event)
    return event


@transaction.atomic
def event_propose(*, user, hub, data: dict) -> Event:
    """A member proposes an event in one of their hubs; its coordinators decide."""
    _require_login(user)
    if not hub_selectors.user_can_participate(user=user, hub=hub):
        raise ActionError(
            _("Only the members of %(hub)s may propose its events.") % {"hub": hub.name},
            code="forbidden",
        )
    event = _new_event(
        data=data, hub=hub, status=Status.PROPOSED, proposed_by=user, created_by=user
    )
    _log(event, user, Action.PROPOSED)
    notifications.proposal_submitted(event)
    return event


def _decidable(event_id, acting_user) -> Event:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    _require_login(acting_user)
    if not selectors.user_decides_proposal(user=acting_user, event=event):
        raise ActionError(
            _("Only the coordinators of the event's hub may decide this proposal."),
            code="forbidden",
        )
    if event.status != Status.PROPOSED:
        raise ActionError(_("This proposal has already been decided."))
    return event


@transaction.atomic
def event_approve(*, event, acting_user, reason: str = "") -> Event:
    event = _decidable(event.pk, acting_user)
    reason = _clean_text(reason)
    event.status = Status.PUBLISHED
    event.decided_by, event.decided_at, event.decision_reason = acting_user, timezone.now(), reason
    event.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated"])
    if event.proposed_by_id:
        event.organisers.add(event.proposed_by_id)
    _log(event, acting_user, Action.APPROVED, subject=event.proposed_by, reason=reason)
    notifications.proposal_decided(event)
    _indexed(event)
    return event


@transaction.atomic
def event_decline(*, event, acting_user, reason: str) -> Event:
    event = _decidable(event.pk, acting_user)
    reason = _clean_text(reason, required_message=_("Please give the proposer a reason."))
    event.status = Status.DECLINED
    event.decided_by, event.decided_at, event.decision_reason = acting_user, timezone.now(), reason
    event.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated"])
    _log(event, acting_user, Action.DECLINED, subject=event.proposed_by, reason=reason)
    notifications.proposal_decided(event)
    return event


# Changing and cancelling ---------------------------------------------------------------


def _locked(event) -> Event:
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def event_update(*, event, acting_user, data: dict) -> Event:
    """Change an event. A new time, place or meeting link bumps the iCalendar SEQUENCE and
    mails everyone registered; a new link alone goes to the accepted participants only."""
    event = _locked(event)
    _require_organiser(event=event, user=acting_user)
    if event.is_cancelled:
        raise ActionError(_("This event was cancelled; it can no longer be changed."))
    _check_times({**{name: getattr(event, name) for name in EDITABLE_FIELDS}, **data})
    changed = [
        name for name in EDITABLE_FIELDS if name in data and getattr(event, name) != data[name]
    ]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, data[name])
    words = []
    if any(name in TIME_FIELDS for name in changed):
        words.append("time")
    if any(name in PLACE_FIELDS for name in changed):
        words.append("place")
    if any(name in LINK_FIELDS for name in changed):
        words.append("link")
    calendar_fields = {"title", "description", *TIME_FIELDS, *PLACE_FIELDS, *LINK_FIELDS}
    if calendar_fields & set(changed):
        event.sequence += 1
        changed.append("sequence")
    event.save(update_fields=[*changed, "updated"])
    _log(event, acting_user, Action.CHANGED, reason=", ".join(words))
    if words:
        _tell_registered(event, words)
    if "capacity" in changed or "review_registrations" in changed:
        _move_up(event)
    _indexed(event)
    return event


def _tell_registered(event, words):
    states = Registration.REGISTERED if words != ["link"] else (RState.ACCEPTED,)
    key = f"changed-{event.sequence}"
    for registration in event.registrations.filter(state__in=states).select_related(
        "user", "user__profile"
    ):
        if _record(registration, key):
            notifications.event_changed(registration, changes=words)


def _record(registration, key) -> bool:
    """Write the sent-record of KEY; False if that mail was already sent."""
    try:
        with transaction.atomic():
            MailRecord.objects.create(registration=registration, key=key)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def event_cancel(*, event, acting_user, reason: str) -> Event:
    event = _locked(event)
    _require_organiser(event=event, user=acting_user)
    if event.is_cancelled:
        raise ActionError(_("This event is already cancelled."))
    if event.status != Status.PUBLISHED:
        raise ActionError(_("Only a published event can be cancelled."))
    reason = _clean_text(reason, required_message=_("Please tell the participants why."))
    event.status, event.cancel_reason = Status.CANCELLED, reason
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated"])
    _log(event, acting_user, Action.CANCELLED, reason=reason)
    for registration in event.registrations.filter(
        state__in=Registration.REGISTERED
    ).select_related("user", "user__profile"):
        if _record(registration, "cancelled"):
            notifications.event_cancelled(registration)
    _indexed(event)
    return event


# Registrations -------------------------------------------------------------------------


def _taken(event) -> int:
    return event.registrations.filter(state__in=Registration.HOLDS_PLACE).count()


def _first_state(event) -> str:
    return RState.PENDING if event.review_registrations else RState.ACCEPTED


@transaction.atomic
def registration_create(*, event, user, motivation: str = "", now=None) -> Registration:
    """Register USER: accepted at once or waiting for review while places are free, on the
    waitlist once they are taken. Refusals store nothing."""
    now = now or timezone.now()
    _require_login(user)
    event = _locked(event)  # places are counted under the event's row lock
    if not selectors._can_see(user=user, event=event):
        if event.members_only and event.status in selectors.LISTED:
            raise ActionError(
                _("This event is for the members of its hubs only."), code="forbidden"
            )
        raise NotFound()
    if event.is_cancelled:
        raise ActionError(_("This event was cancelled."))
    if not event.is_published:
        raise ActionError(_("This event is not open for registration."))
    if event.registration_opens and now < event.registration_opens:
        raise ActionError(_("Registration for this event has not opened yet."))
    if (event.registration_deadline and now > event.registration_deadline) or (
        now >= event.starts_at
    ):
        raise ActionError(_("The registration deadline for this event has passed."))
    motivation = _clean_text(motivation)
    if event.motivation_question and not motivation:
        raise ActionError(_("Please answer the organisers' question."))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.state in Registration.REGISTERED:
        raise ActionError(_("You are already registered for this event."))
    if registration is not None and registration.state == RState.DECLINED:
        raise ActionError(_("The organisers have declined your registration for this event."))
    state = _first_state(event) if _taken(event) < event.capacity else RState.WAITLISTED
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.state = state
    registration.motivation = motivation
    registration.queued_at = now
    registration.decided_by = None
    registration.decided_at = now if state == RState.ACCEPTED else None
    registration.attended = None
    registration.save()
    notifications.registration_received(registration)
    return registration


def _move_up(event):
    """Give free places to the waitlist, first come first served, each with a mail."""
    free = event.capacity - _taken(event)
    if free <= 0:
        return
    waiting = event.registrations.filter(state=RState.WAITLISTED).select_related("user")
    for registration in waiting.order_by("queued_at", "pk")[:free]:
        registration.state = _first_state(event)
        registration.decided_at = timezone.now() if registration.state == RState.ACCEPTED else None
        registration.save(update_fields=["state", "decided_at"])
        notifications.moved_up(registration)


@transaction.atomic
def registration_cancel(*, event, user) -> Registration:
    _require_login(user)
    event = _locked(event)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None or registration.state not in Registration.REGISTERED:
        raise ActionError(_("You are not registered for this event."))
    if event.is_published and timezone.now() >= event.ends_at:
        raise ActionError(_("This event is over."))
    held = registration.state in Registration.HOLDS_PLACE
    registration.state = RState.CANCELLED
    registration.save(update_fields=["state"])
    if held and event.is_published:
        _move_up(event)
    return registration


def _registration_for_organiser(registration, acting_user):
    event = _locked(registration.event)
    _require_organiser(event=event, user=acting_user)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    registration.event = event
    return event, registration


@transaction.atomic
def registration_accept(*, registration, acting_user) -> Registration:
    event, registration = _registration_for_organiser(registration, acting_user)
    if registration.state == RState.ACCEPTED:
        raise ActionError(_("This registration is already accepted."))
    if registration.state == RState.WAITLISTED and _taken(event) >= event.capacity:
        raise ActionError(_("All places are taken; someone must cancel first."))
    if registration.state not in (RState.PENDING, RState.WAITLISTED):
        raise ActionError(_("Only a waiting registration can be accepted."))
    registration.state = RState.ACCEPTED
    registration.decided_by, registration.decided_at = acting_user, timezone.now()
    registration.save(update_fields=["state", "decided_by", "decided_at"])
    _log(event, acting_user, Action.ACCEPTED, subject=registration.user)
    notifications.registration_decided(registration)
    return registration


@transaction.atomic
def registration_decline(*, registration, acting_user, reason: str) -> Registration:
    event, registration = _registration_for_organiser(registration, acting_user)
    if registration.state not in Registration.REGISTERED:
        raise ActionError(_("Only a live registration can be declined."))
    reason = _clean_text(reason, required_message=_("Please give the applicant a reason."))
    held = registration.state in Registration.HOLDS_PLACE
    registration.state = RState.DECLINED
    registration.decline_reason = reason
    registration.decided_by, registration.decided_at = acting_user, timezone.now()
    registration.save(update_fields=["state", "decline_reason", "decided_by", "decided_at"])
    _log(event, acting_user, Action.REFUSED, subject=registration.user, reason=reason)
    notifications.registration_decided(registration)
    if held:
        _move_up(event)
    return registration


@transaction.atomic
def registration_mark_attendance(*, registration, acting_user, attended: bool, now=None):
    event, registration = _registration_for_organiser(registration, acting_user)
    if registration.state != RState.ACCEPTED:
        raise ActionError(_("Only accepted participants can be marked as attending."))
    if (now or timezone.now()) < event.starts_at:
        raise ActionError(_("Attendance can be marked once the event has started."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    _log(event, acting_user, Action.ATTENDANCE, subject=registration.user)
    return registration


# Documentation -------------------------------------------------------------------------


@transaction.atomic
def event_document(
    *, event, acting_user, summary: str, practices=(), threads=(), file=None, file_title=""
) -> Event:
    """After the event: a summary, files, and the practices and threads it produced."""
    event = _locked(event)
    _require_organiser(event=event, user=acting_user)
    if not event.is_published or timezone.now() < event.starts_at:
        raise ActionError(_("An event is documented once it has taken place."))
    event.summary = (summary or "").strip()
    event.documented_at = timezone.now()
    event.save(update_fields=["summary", "documented_at", "updated"])
    event.practices.set(practices)
    event.threads.set(threads)
    if file is not None:
        EventFile.objects.create(
            event=event, title=(file_title or file.name)[:200], file=file, uploaded_by=acting_user
        )
    _log(event, acting_user, Action.DOCUMENTED)
    _indexed(event)
    return event


# Reminders -----------------------------------------------------------------------------


def reminders_send(*, now=None) -> int:
    """Remind accepted participants 7 days and 1 day before. Each reminder is recorded in
    the transaction that sends it, so a second run (or two workers) sends nothing again.
    Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for days, key in REMINDERS:
        # The 7-day reminder covers 7 days to 1 day before; the 1-day one the last day.
        earliest = now + timedelta(days=1) if days == 7 else now
        due = Registration.objects.filter(
            state=RState.ACCEPTED,
            event__status=Status.PUBLISHED,
            event__starts_at__gt=earliest,
            event__starts_at__lte=now + timedelta(days=days),
        ).exclude(mail_records__key=key)
        for registration_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                registration = (
                    Registration.objects.select_for_update(of=("self",))
                    .select_related("event", "user", "user__profile")
                    .get(pk=registration_id)
                )
                if _record(registration, key):
                    left = registration.event.starts_at - now
                    notifications.reminder(
                        registration, days=max(1, round(left / timedelta(days=1)))
                    )
                    sent += 1
    return sent


# The personal calendar -----------------------------------------------------------------


def calendar_settings(*, user) -> CalendarSettings:
    _require_login(user)
    settings_, _created = CalendarSettings.objects.get_or_create(user=user)
    return settings_


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarSettings:
    """A new secret feed URL; the old one stops working at once."""
    from .models import new_feed_token

    settings_ = calendar_settings(user=user)
    settings_.feed_token = new_feed_token()
    settings_.save(update_fields=["feed_token"])
    return settings_


# Learning processes -----------------------------------------------------------------------


def _free_slug(text: str) -> str:
    from django.utils.text import slugify

    base = (slugify(text)[:70] or "learning-process").strip("-")
    slug, n = base, 1
    while LearningProcess.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def learning_process_from_proposal(*, proposal_id: int) -> LearningProcess | None:
    """The draft learning process of an accepted topic-call proposal: host, topic, thematic
    fields, texts and partners filled in from the proposal, for the editors to complete in
    the admin. Made once: a second call (a retried signal) returns the same process. None
    when the proposal is not (or no longer) accepted."""
    from calls.selectors import learning_process_seed

    seed = learning_process_seed(proposal_id)
    if seed is None:
        return None
    existing = LearningProcess.objects.filter(source_proposal_id=proposal_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return LearningProcess.objects.create(
                source_proposal_id=proposal_id,
                status=LearningProcess.Status.DRAFT,
                title=seed["title"][:200],
                slug=_free_slug(f"{seed['title']} {seed['year']}"),
                topic=seed["topic"][:300],
                themes=",".join(seed["thematic_fields"]),
                host_name=seed["host_name"][:200],
                host_country=seed["host_country"],
                year=seed["year"],
                description=seed["description"],
                goals=seed["goals"],
                partners=seed["partners"],
            )
    except IntegrityError:  # made meanwhile by a concurrent run
        return LearningProcess.objects.get(source_proposal_id=proposal_id)
