"""Consultation thread writes: threads, messages, moderation of messages, reports.

Every function checks permission through the selectors, stores first, announces the change
to the thread's websocket group only after the transaction commits, and sends
`thread_content_changed` inside the transaction (the search index listens).

Refusals raise `ActionError` with a `code` the websocket protocol uses as is:
forbidden, invalid, locked, not_found, rate_limited, too_large.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import shared_cache as cache
from core.exceptions import ActionError
from core.markdown import render_markdown
from core.themes import ThematicField

from .. import selectors, signals
from ..models import Message, ModerationLogEntry, Report, Thread, ThreadReadState
from ..models.threads import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from ..realtime import events
from ..signals import thread_content_changed
from .membership import log_entry_create, membership_record_activity

Action = ModerationLogEntry.Action
REASON_MAX_LENGTH = 2000


def post_rate_limit() -> tuple[int, int]:
    """(messages, seconds): at most that many posts per person in that window."""
    return (
        int(getattr(settings, "THREADS_POST_RATE_LIMIT", 10)),
        int(getattr(settings, "THREADS_POST_RATE_WINDOW", 10)),
    )


def change_rate_limit() -> tuple[int, int]:
    """(actions, seconds): at most that many edits, deletions, reports, hides and unhides
    together per person in that window."""
    return (
        int(getattr(settings, "THREADS_CHANGE_RATE_LIMIT", 20)),
        int(getattr(settings, "THREADS_CHANGE_RATE_WINDOW", 20)),
    )


def _changed(thread_id: int) -> None:
    # Called after the thread_events call, so the broadcast (an on_commit hook too) goes
    # out before the search index is updated: people waiting for a message come first.
    thread_content_changed.send(sender=Thread, thread_id=thread_id)


def _acted(*, user, hub_id: int) -> None:
    """USER took part in a thread of HUB_ID: the dashboard's "last activity"."""
    membership_record_activity(hub_id=hub_id, user_id=user.pk)


def _require(condition: bool, message: str, code: str = "forbidden") -> None:
    if not condition:
        raise ActionError(message, code=code)


def _clean_text(text, *, field: str, max_length: int, required: bool = True) -> str:
    if not isinstance(text, str):
        raise ActionError(_("%(field)s must be text.") % {"field": field}, code="invalid")
    text = text.replace("\x00", "").strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database stores it
        raise ActionError(
            _("%(field)s is not valid Unicode text.") % {"field": field}, code="invalid"
        ) from None
    if required and not text:
        raise ActionError(_("%(field)s cannot be empty.") % {"field": field}, code="invalid")
    if len(text) > max_length:
        raise ActionError(
            _("%(field)s is too long: at most %(max)d characters.")
            % {"field": field, "max": max_length},
            code="too_large",
        )
    return text


def _require_participant(*, user, thread: Thread) -> None:
    _require(
        selectors.user_can_participate(user=user, hub=thread.hub)
        or selectors.user_can_moderate(user=user, hub=thread.hub),
        _("Only members of this hub can take part in its threads."),
    )


def _require_moderator(*, user, thread: Thread) -> None:
    _require(
        selectors.user_can_moderate(user=user, hub=thread.hub),
        _("Only this hub's coordinators may do this."),
    )


def _require_unlocked(thread: Thread) -> None:
    _require(not thread.locked, _("This thread is locked."), code="locked")


def _lock_thread(thread: Thread) -> Thread:
    """The thread row, locked: posts to one thread commit in the order of their ids. Only the
    thread's row: locking the joined hub row too let two processes deadlock (each held one
    row of the join and waited for the other)."""
    return Thread.objects.select_for_update(of=("self",)).select_related("hub").get(pk=thread.pk)


def _lock_message(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("thread", "thread__hub", "author")
        .get(pk=message.pk)
    )


def _take_allowance(user, *, budget: str, limit: int, window: int, message: str) -> None:
    """Count an action against USER's BUDGET in the shared cache (Redis at scale, so the
    limit holds across processes, for the websocket and the pages alike): at most LIMIT in
    WINDOW seconds, which start with the first action; past it ActionError rate_limited
    with MESSAGE."""
    key = f"threads:{budget}-rate:{user.pk}"
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            count = 1
        if count == 1:
            # The window expired between the existence check and the increment, and Redis's
            # INCR made the key afresh without an expiry: without one, the count would
            # never reset and the person would stay blocked for good.
            cache.touch(key, window)
    if count > limit:
        raise ActionError(message, code="rate_limited")


def _take_post_allowance(user) -> None:
    """Threads and messages posted."""
    limit, window = post_rate_limit()
    _take_allowance(
        user,
        budget="post",
        limit=limit,
        window=window,
        message=_("You are posting too fast. Please wait a few seconds."),
    )


def _take_change_allowance(user) -> None:
    """Edits, deletions, reports, hides and unhides: one allowance, apart from posting (a
    coordinator clearing spam can still answer). Taken once the action is allowed, so
    refusals use none of it."""
    limit, window = change_rate_limit()
    _take_allowance(
        user,
        budget="change",
        limit=limit,
        window=window,
        message=_("You are changing messages too fast. Please wait a few seconds."),
    )


# Threads ------------------------------------------------------------------


@transaction.atomic
def thread_create(*, hub, author, title: str, question: str, theme: str = "") -> Thread:
    _require(
        selectors.user_can_participate(user=author, hub=hub)
        or selectors.user_can_moderate(user=author, hub=hub),
        _("Only members of this hub can start a consultation."),
    )
    title = _clean_text(title, field=_("The title"), max_length=TITLE_MAX_LENGTH)
    question = _clean_text(question, field=_("The question"), max_length=BODY_MAX_LENGTH)
    if theme and theme not in ThematicField.values:
        raise ActionError(_("Choose one of the thematic fields."), code="invalid")
    _take_post_allowance(author)
    now = timezone.now()
    thread = Thread.objects.create(
        hub=hub,
        title=title,
        question=question,
        question_html=render_markdown(question),
        author=author,
        theme=theme or "",
        created=now,
        last_activity=now,
    )
    _acted(user=author, hub_id=hub.pk)
    _changed(thread.pk)
    signals.send_on_commit(signals.thread_created, thread_id=thread.pk)
    return thread


def _thread_flag(*, thread, acting_user, field: str, value: bool, on, off) -> Thread:
    thread = _lock_thread(thread)
    _require_moderator(user=acting_user, thread=thread)
    if getattr(thread, field) == value:
        return thread
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    log_entry_create(
        hub=thread.hub,
        actor=acting_user,
        action=on if value else off,
        subject=thread.author,
        thread=thread,
        target=f"thread {thread.pk}: {thread.title}"[:200],
    )
    events.thread_changed(thread)
    return thread


@transaction.atomic
def thread_set_locked(*, thread: Thread, acting_user, locked: bool) -> Thread:
    return _thread_flag(
        thread=thread,
        acting_user=acting_user,
        field="locked",
        value=locked,
        on=Action.THREAD_LOCKED,
        off=Action.THREAD_UNLOCKED,
    )


@transaction.atomic
def thread_set_pinned(*, thread: Thread, acting_user, pinned: bool) -> Thread:
    return _thread_flag(
        thread=thread,
        acting_user=acting_user,
        field="pinned",
        value=pinned,
        on=Action.THREAD_PINNED,
        off=Action.THREAD_UNPINNED,
    )


@transaction.atomic
def thread_resolve(*, thread: Thread, acting_user, accepted_answer: Message | None = None):
    """The author or a coordinator marks the consultation resolved, optionally naming the
    answer that helped."""
    thread = _lock_thread(thread)
    is_moderator = selectors.user_can_moderate(user=acting_user, hub=thread.hub)
    is_author = thread.author_id is not None and thread.author_id == acting_user.pk
    _require(
        is_moderator
        or (is_author and selectors.user_can_participate(user=acting_user, hub=thread.hub)),
        _("Only the person who asked or a coordinator can resolve this consultation."),
    )
    if accepted_answer is not None:
        if accepted_answer.thread_id != thread.pk:
            raise ActionError(_("That message is not in this thread."), code="not_found")
        if accepted_answer.hidden or accepted_answer.deleted:
            raise ActionError(_("That message cannot be the accepted answer."), code="invalid")
        if thread.author_id is not None and accepted_answer.author_id == thread.author_id:
            raise ActionError(
                _("The accepted answer is a reply from someone other than the person who asked."),
                code="invalid",
            )
    thread.state = Thread.State.RESOLVED
    thread.accepted_answer = accepted_answer
    thread.save(update_fields=["state", "accepted_answer"])
    _acted(user=acting_user, hub_id=thread.hub_id)
    events.thread_changed(thread)
    _changed(thread.pk)
    if accepted_answer is not None:
        signals.send_on_commit(
            signals.answer_accepted,
            thread_id=thread.pk,
            message_id=accepted_answer.pk,
            acting_user_id=acting_user.pk,
        )
    return thread


@transaction.atomic
def thread_reopen(*, thread: Thread, acting_user) -> Thread:
    thread = _lock_thread(thread)
    is_author = thread.author_id is not None and thread.author_id == acting_user.pk
    _require(
        selectors.user_can_moderate(user=acting_user, hub=thread.hub)
        or (is_author and selectors.user_can_participate(user=acting_user, hub=thread.hub)),
        _("Only the person who asked or a coordinator can reopen this consultation."),
    )
    thread.state = Thread.State.OPEN
    thread.accepted_answer = None
    thread.save(update_fields=["state", "accepted_answer"])
    _acted(user=acting_user, hub_id=thread.hub_id)
    events.thread_changed(thread)
    _changed(thread.pk)
    return thread


@transaction.atomic
def thread_mark_read(*, thread: Thread, user, last_message_id: int) -> None:
    """Remember that USER has read THREAD up to LAST_MESSAGE_ID (never backwards)."""
    if not user.is_authenticated:
        return
    state, created = ThreadReadState.objects.select_for_update().get_or_create(
        user=user, thread=thread, defaults={"last_read_message_id": last_message_id}
    )
    if created or last_message_id > state.last_read_message_id:
        signals.send_on_commit(
            signals.thread_read,
            user_id=user.pk,
            thread_id=thread.pk,
            last_message_id=last_message_id,
        )
    if not created and last_message_id > state.last_read_message_id:
        state.last_read_message_id = last_message_id
        state.save(update_fields=["last_read_message_id", "updated"])


# Messages -----------------------------------------------------------------


def _parse_client_id(client_id) -> uuid.UUID | None:
    if client_id is None or client_id == "":
        return None
    if isinstance(client_id, uuid.UUID):
        return client_id
    if not isinstance(client_id, str):
        raise ActionError(_("client_id must be a UUID."), code="invalid")
    try:
        return uuid.UUID(client_id)
    except ValueError:
        raise ActionError(_("client_id must be a UUID."), code="invalid") from None


def message_post(*, thread: Thread, author, body: str, client_id=None) -> tuple[Message, bool]:
    """Post BODY to THREAD. Returns (message, created).

    Idempotent by CLIENT_ID: a post whose client_id the author already used returns the
    stored message and creates nothing (`created` is False), so a client may resend its
    outbox after any failure without duplicates. The author has read the thread up to their
    new message (callers need not mark it) and this is their last activity in the hub.
    """
    _require_participant(user=author, thread=thread)
    parsed = _parse_client_id(client_id)
    if parsed is not None:
        existing = _existing_post(author=author, client_id=parsed, thread=thread)
        if existing is not None:
            return existing, False
    try:
        return _message_create(thread=thread, author=author, body=body, client_id=parsed), True
    except IntegrityError:
        # The same client_id raced in through another connection: return that one.
        existing = _existing_post(author=author, client_id=parsed, thread=thread)
        if parsed is None or existing is None:
            raise
        return existing, False


def _existing_post(*, author, client_id, thread) -> Message | None:
    if client_id is None or not author.is_authenticated:
        return None
    existing = (
        Message.objects.filter(author=author, client_id=client_id).select_related("author").first()
    )
    if existing is not None and existing.thread_id != thread.pk:
        raise ActionError(_("This client_id was already used for another thread."), code="invalid")
    return existing


@transaction.atomic
def _message_create(*, thread, author, body, client_id) -> Message:
    body = _clean_text(body, field=_("The message"), max_length=BODY_MAX_LENGTH)
    thread = _lock_thread(thread)
    _require_participant(user=author, thread=thread)
    _require_unlocked(thread)
    _take_post_allowance(author)
    # Read under the row lock: the message before this one in the thread's commit order.
    previous_id = (
        Message.objects.filter(thread=thread).order_by("-pk").values_list("pk", flat=True).first()
    )
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=author,
        body=body,
        html=render_markdown(body),
        client_id=client_id,
        created=now,
    )
    thread.last_activity = now
    thread.save(update_fields=["last_activity"])
    thread_mark_read(thread=thread, user=author, last_message_id=message.pk)
    _acted(user=author, hub_id=thread.hub_id)
    events.message_posted(message, after=previous_id)
    _changed(thread.pk)
    signals.send_on_commit(signals.message_posted, message_id=message.pk)
    return message


@transaction.atomic
def message_edit(*, message: Message, user, body: str) -> Message:
    message = _lock_message(message)
    thread = message.thread
    _require_participant(user=user, thread=thread)
    _require(
        message.author_id is not None and message.author_id == user.pk,
        _("You can only edit your own messages."),
    )
    _require_unlocked(thread)
    if message.deleted:
        raise ActionError(_("This message was deleted."), code="not_found")
    _require(not message.hidden, _("A hidden message cannot be edited."))
    body = _clean_text(body, field=_("The message"), max_length=BODY_MAX_LENGTH)
    _take_change_allowance(user)
    message.body = body
    message.html = render_markdown(body)
    message.edited = timezone.now()
    message.save(update_fields=["body", "html", "edited"])
    _acted(user=user, hub_id=thread.hub_id)
    events.message_edited(message)
    _changed(thread.pk)
    signals.send_on_commit(signals.message_edited, message_id=message.pk)
    return message


@transaction.atomic
def message_delete(*, message: Message, user) -> Message:
    """The author withdraws a message: its text is erased, a placeholder keeps the order."""
    message = _lock_message(message)
    thread = message.thread
    _require_participant(user=user, thread=thread)
    _require(
        message.author_id is not None and message.author_id == user.pk,
        _("You can only delete your own messages."),
    )
    if message.deleted:
        return message
    # A coordinator hid it: the author may not make it (and the decision) disappear.
    _require(not message.hidden, _("A hidden message cannot be deleted."))
    _take_change_allowance(user)
    message.deleted = True
    message.deleted_at = timezone.now()
    message.body = ""
    message.html = ""
    message.save(update_fields=["deleted", "deleted_at", "body", "html"])
    if thread.accepted_answer_id == message.pk:
        Thread.objects.filter(pk=thread.pk).update(accepted_answer=None)
    _acted(user=user, hub_id=thread.hub_id)
    events.message_deleted(message)
    _changed(thread.pk)
    return message


def _hide(*, message: Message, acting_user, reason: str) -> Message:
    message.hidden = True
    message.hidden_by = acting_user
    message.hidden_reason = reason
    message.hidden_at = timezone.now()
    message.save(update_fields=["hidden", "hidden_by", "hidden_reason", "hidden_at"])
    log_entry_create(
        hub=message.thread.hub,
        actor=acting_user,
        action=Action.MESSAGE_HIDDEN,
        subject=message.author,
        message=message,
        target=f"message {message.pk} in thread {message.thread_id}",
        reason=reason,
    )
    events.message_hidden(message)
    _changed(message.thread_id)
    signals.send_on_commit(
        signals.message_hidden, message_id=message.pk, acting_user_id=acting_user.pk
    )
    return message


@transaction.atomic
def message_hide(*, message: Message, acting_user, reason: str = "") -> Message:
    message = _lock_message(message)
    _require_moderator(user=acting_user, thread=message.thread)
    reason = _clean_text(
        reason, field=_("The reason"), max_length=REASON_MAX_LENGTH, required=False
    )
    if message.hidden:
        raise ActionError(_("This message is already hidden."), code="invalid")
    if message.deleted:
        raise ActionError(_("This message was deleted."), code="not_found")
    _take_change_allowance(acting_user)
    return _hide(message=message, acting_user=acting_user, reason=reason)


@transaction.atomic
def message_unhide(*, message: Message, acting_user) -> Message:
    message = _lock_message(message)
    _require_moderator(user=acting_user, thread=message.thread)
    if not message.hidden:
        raise ActionError(_("This message is not hidden."), code="invalid")
    _take_change_allowance(acting_user)
    message.hidden = False
    message.hidden_by = None
    message.hidden_reason = ""
    message.hidden_at = None
    message.save(update_fields=["hidden", "hidden_by", "hidden_reason", "hidden_at"])
    log_entry_create(
        hub=message.thread.hub,
        actor=acting_user,
        action=Action.MESSAGE_UNHIDDEN,
        subject=message.author,
        message=message,
        target=f"message {message.pk} in thread {message.thread_id}",
    )
    events.message_unhidden(message)
    _changed(message.thread_id)
    return message


# Reports ------------------------------------------------------------------


@transaction.atomic
def report_create(*, message: Message, reporter, reason: str) -> Report:
    message = _lock_message(message)
    _require_participant(user=reporter, thread=message.thread)
    if message.hidden or message.deleted:
        raise ActionError(_("This message is no longer shown."), code="not_found")
    _require(message.author_id != reporter.pk, _("You cannot report your own message."))
    reason = _clean_text(reason, field=_("The reason"), max_length=REASON_MAX_LENGTH)
    if Report.objects.filter(message=message, reporter=reporter, state=Report.State.OPEN).exists():
        raise ActionError(
            _("You have already reported this message; the coordinators will look at it."),
            code="invalid",
        )
    _take_change_allowance(reporter)
    report = Report.objects.create(message=message, reporter=reporter, reason=reason)
    _acted(user=reporter, hub_id=message.thread.hub_id)
    signals.send_on_commit(signals.report_created, report_id=report.pk)
    return report


@transaction.atomic
def report_resolve(*, report: Report, acting_user, decision: str, reason: str = "") -> Report:
    """A coordinator hides the reported message or dismisses the report. Every open report
    of the same message is resolved with it."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("message", "message__thread", "message__thread__hub")
        .get(pk=report.pk)
    )
    message = _lock_message(report.message)
    _require_moderator(user=acting_user, thread=message.thread)
    if report.state != Report.State.OPEN:
        raise ActionError(_("This report has already been resolved."), code="invalid")
    if decision not in ("hide", "dismiss"):
        raise ActionError(_("Choose to hide the message or dismiss the report."), code="invalid")
    reason = _clean_text(
        reason, field=_("The reason"), max_length=REASON_MAX_LENGTH, required=False
    )
    if decision == "hide":
        state = Report.State.HIDDEN
        if not message.hidden:
            _hide(message=message, acting_user=acting_user, reason=reason or report.reason)
    else:
        state = Report.State.DISMISSED
        log_entry_create(
            hub=message.thread.hub,
            actor=acting_user,
            action=Action.REPORT_DISMISSED,
            subject=message.author,
            message=message,
            target=f"message {message.pk} in thread {message.thread_id}",
            reason=reason,
        )
    now = timezone.now()
    Report.objects.filter(message=message, state=Report.State.OPEN).update(
        state=state, resolved_by=acting_user, resolved_at=now
    )
    report.refresh_from_db()
    signals.send_on_commit(signals.report_resolved, report_id=report.pk)
    return report
