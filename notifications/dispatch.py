"""What each hub event means for whom. Run in tasks (tasks.py), never in the request that
caused the event: a post to a thread with 1,000 followers costs the poster nothing more.

Every recipient is checked against what they may read now (a mention never tells an outsider
that a thread exists); each function loads what it needs by id and is safe to run twice
where running twice could tell someone twice (mentions are once per message)."""

from django.conf import settings
from django.db import transaction

from core.markdown import mentioned_handles
from hubs.models import Membership, Message, Report, Thread

from . import selectors, services
from .models import Kind, Notification

MAX_MENTIONS = 10


def _mention_limit() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_MENTIONS", MAX_MENTIONS))


def _message(message_id: int) -> Message | None:
    return (
        Message.objects.select_related("thread", "thread__hub", "author")
        .filter(pk=message_id, hidden=False, deleted=False)
        .first()
    )


def _mentions(message: Message) -> set[int]:
    """Notify the people MESSAGE newly @mentions (at most MAX_MENTIONS handles a message;
    those already told of this message are not told again). Returns the ids told now or
    before, so that they are not also told of the same message as a reply."""
    handles = mentioned_handles(message.body)[: _mention_limit()]
    if not handles:
        return set()
    thread = message.thread
    already = set(
        Notification.objects.filter(kind=Kind.MENTION, message=message).values_list(
            "recipient_id", flat=True
        )
    )
    muted = selectors.thread_muter_ids(thread_id=thread.pk)
    people = [
        person
        for person in selectors.users_by_handle(handles)
        if person.pk != message.author_id
        and person.pk not in already
        and person.pk not in muted
        and selectors.can_read_thread(user=person, thread=thread)
    ]
    channels = selectors.channels_for(kind=Kind.MENTION, user_ids=[p.pk for p in people])
    for person in people:
        services.notify(
            recipient_id=person.pk,
            kind=Kind.MENTION,
            channel=channels[person.pk],
            actor_id=message.author_id,
            hub_id=thread.hub_id,
            thread_id=thread.pk,
            message_id=message.pk,
        )
    return already | {person.pk for person in people}


def message_posted(*, message_id: int) -> None:
    """Replies to the thread's followers (its author follows from the start), mentions to
    the people named; the poster now follows the thread."""
    message = _message(message_id)
    if message is None:
        return
    thread = message.thread
    if message.author_id is not None:
        services.thread_follow_automatically(user_id=message.author_id, thread_id=thread.pk)
    mentioned = _mentions(message)
    followers = selectors.thread_follower_ids(thread_id=thread.pk)
    followers -= mentioned | {message.author_id}
    if not followers:
        return
    recipients = followers & selectors.hub_reader_ids(hub=thread.hub)
    channels = selectors.channels_for(kind=Kind.REPLY, user_ids=recipients)
    for recipient_id in sorted(recipients):
        services.notify(
            recipient_id=recipient_id,
            kind=Kind.REPLY,
            channel=channels[recipient_id],
            actor_id=message.author_id,
            hub_id=thread.hub_id,
            thread_id=thread.pk,
            message_id=message.pk,
        )


def message_edited(*, message_id: int) -> None:
    """An edit that adds a mention tells only the person newly named."""
    message = _message(message_id)
    if message is not None:
        _mentions(message)


def thread_created(*, thread_id: int) -> None:
    """The author follows their thread; the hub's followers hear of it."""
    thread = Thread.objects.select_related("hub").filter(pk=thread_id).first()
    if thread is None:
        return
    if thread.author_id is not None:
        services.thread_follow_automatically(user_id=thread.author_id, thread_id=thread.pk)
    followers = selectors.hub_follower_ids(hub_id=thread.hub_id) - {thread.author_id}
    recipients = followers & selectors.hub_reader_ids(hub=thread.hub)
    channels = selectors.channels_for(kind=Kind.NEW_THREAD, user_ids=recipients)
    for recipient_id in sorted(recipients):
        services.notify(
            recipient_id=recipient_id,
            kind=Kind.NEW_THREAD,
            channel=channels[recipient_id],
            actor_id=thread.author_id,
            hub_id=thread.hub_id,
            thread_id=thread.pk,
        )


def _tell_author(*, message: Message, kind: str, actor_id, outcome="", detail="") -> None:
    author = message.author
    if author is None or author.pk == actor_id or not author.is_active:
        return
    if not selectors.can_read_thread(user=author, thread=message.thread):
        return
    services.notify(
        recipient_id=author.pk,
        kind=kind,
        actor_id=actor_id,
        hub_id=message.thread.hub_id,
        thread_id=message.thread_id,
        message_id=message.pk,
        outcome=outcome,
        detail=detail,
    )


def message_hidden(*, message_id: int, acting_user_id: int) -> None:
    """The author hears that a coordinator hid their message, and why."""
    message = (
        Message.objects.select_related("thread", "thread__hub", "author")
        .filter(pk=message_id, hidden=True)
        .first()
    )
    if message is not None:
        _tell_author(
            message=message,
            kind=Kind.MESSAGE_HIDDEN,
            actor_id=acting_user_id,
            outcome="hidden",
            detail=message.hidden_reason,
        )


def answer_accepted(*, thread_id: int, message_id: int, acting_user_id: int) -> None:
    message = _message(message_id)
    if message is not None and message.thread.accepted_answer_id == message.pk:
        _tell_author(message=message, kind=Kind.ANSWER_ACCEPTED, actor_id=acting_user_id)


def report_created(*, report_id: int) -> None:
    """The hub's coordinators hear of a new report."""
    report = (
        Report.objects.select_related("message__thread__hub")
        .filter(pk=report_id, state=Report.State.OPEN)
        .first()
    )
    if report is None:
        return
    thread = report.message.thread
    for coordinator_id in selectors.coordinator_ids(hub=thread.hub):
        if coordinator_id == report.reporter_id:
            continue
        services.notify(
            recipient_id=coordinator_id,
            kind=Kind.NEW_REPORT,
            actor_id=report.reporter_id,
            hub_id=thread.hub_id,
            thread_id=thread.pk,
            message_id=report.message_id,
            detail=report.reason,
        )


def report_resolved(*, report_id: int) -> None:
    """Everyone whose report was resolved by this decision hears its outcome."""
    report = Report.objects.select_related("message__thread__hub").filter(pk=report_id).first()
    if report is None or report.state == Report.State.OPEN:
        return
    thread = report.message.thread
    decided_together = Report.objects.filter(
        message_id=report.message_id, resolved_at=report.resolved_at, reporter__isnull=False
    ).select_related("reporter")
    for each in decided_together:
        if not selectors.can_read_thread(user=each.reporter, thread=thread):
            continue
        services.notify(
            recipient_id=each.reporter_id,
            kind=Kind.REPORT_OUTCOME,
            actor_id=report.resolved_by_id,
            hub_id=thread.hub_id,
            thread_id=thread.pk,
            message_id=report.message_id,
            outcome=each.state,
        )


def _membership(membership_id: int) -> Membership | None:
    return Membership.objects.select_related("hub", "user").filter(pk=membership_id).first()


def join_requested(*, membership_id: int) -> None:
    """Coordinators of the hub hear of a request still waiting (staff, if it has none)."""
    membership = _membership(membership_id)
    if membership is None or membership.state != Membership.State.REQUESTED:
        return
    recipients = selectors.coordinator_ids(hub=membership.hub)
    if not recipients:
        # Nobody coordinates this hub (yet): staff, who can assign a coordinator, are told,
        # so that the request is not left unseen.
        recipients = selectors.staff_ids()
    for coordinator_id in recipients:
        services.notify(
            recipient_id=coordinator_id,
            kind=Kind.JOIN_REQUEST,
            actor_id=membership.user_id,
            hub_id=membership.hub_id,
            detail=membership.message,
        )


def membership_decided(*, membership_id: int) -> None:
    membership = _membership(membership_id)
    if membership is None or membership.state not in (
        Membership.State.ACTIVE,
        Membership.State.REJECTED,
    ):
        return
    services.notify(
        recipient_id=membership.user_id,
        kind=Kind.MEMBERSHIP_DECIDED,
        actor_id=membership.decided_by_id,
        hub_id=membership.hub_id,
        outcome="approved" if membership.state == Membership.State.ACTIVE else "rejected",
        detail=membership.decision_reason,
    )


@transaction.atomic
def membership_suspended(*, membership_id: int) -> None:
    """What the member had not read about the hub goes; they are told of the suspension."""
    membership = _membership(membership_id)
    if membership is None:
        return
    services.notifications_withdraw(user_id=membership.user_id, hub_id=membership.hub_id)
    if membership.state == Membership.State.SUSPENDED:
        services.notify(
            recipient_id=membership.user_id,
            kind=Kind.SUSPENSION,
            actor_id=membership.decided_by_id,
            hub_id=membership.hub_id,
            outcome="suspended",
            detail=membership.decision_reason,
        )


def membership_reinstated(*, membership_id: int) -> None:
    membership = _membership(membership_id)
    if membership is None or membership.state != Membership.State.ACTIVE:
        return
    services.notify(
        recipient_id=membership.user_id,
        kind=Kind.SUSPENSION,
        actor_id=membership.decided_by_id,
        hub_id=membership.hub_id,
        outcome="reinstated",
        detail=membership.decision_reason,
    )


def membership_left(*, user_id: int, hub_id: int) -> None:
    services.notifications_withdraw(user_id=user_id, hub_id=hub_id)


# Good practices (Wagtail's workflow and publishing signals) -------------------------------


def proposal_review(*, task_state_id: int) -> None:
    """A regional review started: who may decide it hears of it (the coordinators of its
    hub; for a region without a hub, the editors), not whoever asked for it."""
    from wagtail.models import TaskState

    from goodpractices import selectors as practice_selectors

    task_state = TaskState.objects.filter(pk=task_state_id).first()
    if task_state is None:
        return
    task_state = task_state.specific
    if not hasattr(task_state, "hub"):
        return  # another workflow's task: Wagtail tells its own reviewers
    page = task_state.workflow_state.content_object
    if page is None:
        return
    requester = task_state.workflow_state.requested_by_id
    reviewers = practice_selectors.review_recipients(task_state).exclude(pk=requester)
    for reviewer_id in reviewers.values_list("pk", flat=True):
        services.notify(
            recipient_id=reviewer_id,
            kind=Kind.PROPOSAL_REVIEW,
            actor_id=requester,
            hub_id=task_state.hub_id,
            page_id=page.pk,
        )


def _is_practice(page) -> bool:
    return page is not None and page.specific_class._meta.label == "goodpractices.GoodPracticePage"


def _proposer(page):
    """The member who proposed PAGE: the proposal's author, else the page's owner (a
    practice proposed before proposals were recorded)."""
    from goodpractices import selectors as practice_selectors

    if not _is_practice(page):
        return None
    proposal = practice_selectors.proposal_for_page(page)
    person = proposal.proposer if proposal is not None else page.owner
    return person if person is not None and person.is_active else None


def proposal_published(*, page_id: int, publisher_id: int | None) -> None:
    """The proposer hears once, at the first publication. PUBLISHER_ID is the author of the
    revision that went live: for a proposal that is the proposer, whose revision a reviewer
    approved, so it decides nothing; a page without a proposal tells its owner unless they
    published it themselves."""
    from wagtail.models import Page

    from goodpractices import selectors as practice_selectors
    from goodpractices import services as practice_services

    page = Page.objects.filter(pk=page_id).select_related("owner").first()
    proposer = _proposer(page)
    if proposer is None:
        return
    if practice_selectors.proposal_for_page(page) is not None:
        # The proposal records, under a row lock, that its proposer was told: once, even
        # with two workers or a retry.
        if not practice_services.proposal_mark_published(page=page):
            return
    elif proposer.pk == publisher_id or (
        Notification.objects.filter(
            recipient=proposer, kind=Kind.PROPOSAL_DECIDED, page=page, outcome="published"
        ).exists()
    ):
        return
    services.notify(
        recipient_id=proposer.pk,
        kind=Kind.PROPOSAL_DECIDED,
        actor_id=publisher_id if publisher_id != proposer.pk else None,
        page_id=page.pk,
        outcome="published",
    )


def proposal_sent_back(*, page_id: int, acting_user_id: int | None, comment: str = "") -> None:
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).select_related("owner").first()
    proposer = _proposer(page)
    if proposer is None or proposer.pk == acting_user_id:
        return
    services.notify(
        recipient_id=proposer.pk,
        kind=Kind.PROPOSAL_DECIDED,
        actor_id=acting_user_id,
        page_id=page.pk,
        outcome="sent_back",
        detail=comment,
    )


def practice_published(*, page_id: int) -> None:
    """A good practice went live for the first time: members whose expertise is one of its
    thematic fields hear of it (by default in their weekly digest), its owner excepted.
    Practices behind a view restriction tell nobody; a later publication tells nobody again."""
    from goodpractices import selectors as practice_selectors

    page = practice_selectors.practices_public().filter(pk=page_id).first()
    if page is None or page.first_published_at != page.last_published_at:
        return
    if Notification.objects.filter(kind=Kind.NEW_PRACTICE, page_id=page.pk).exists():
        return
    themes = list(page.themes.values_list("slug", flat=True))
    recipients = set(selectors.member_ids_with_expertise(themes)) - {page.owner_id}
    channels = selectors.channels_for(kind=Kind.NEW_PRACTICE, user_ids=recipients)
    for recipient_id in sorted(recipients):
        services.notify(
            recipient_id=recipient_id,
            kind=Kind.NEW_PRACTICE,
            channel=channels[recipient_id],
            page_id=page.pk,
        )


def thread_read(*, user_id: int, thread_id: int, last_message_id: int) -> None:
    """USER_ID read THREAD_ID up to LAST_MESSAGE_ID: what they were told of in it up to
    there is read (a group of replies once its newest reply is)."""
    services.notifications_mark_read_in_thread(
        user_id=user_id, thread_id=thread_id, last_message_id=last_message_id
    )
