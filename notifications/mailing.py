"""Mail at once for direct things, in the recipient's language, at most one mail per thread
per window (NOTIFICATIONS_MAIL_WINDOW seconds, 10 minutes): what comes meanwhile waits and
goes out together in the next mail. Every mail carries a one-click unsubscribe link and the
RFC 8058 headers."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import mail, mail_kinds, selectors, tokens
from .models import CONTENT_KINDS, MailThrottle, Notification

logger = logging.getLogger(__name__)
Pending = Notification.MailState.PENDING


def mail_window() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFICATIONS_MAIL_WINDOW", 600)))


def unsubscribe_url(*, user_id: int, what: str) -> str:
    token = tokens.make_token(user_id=user_id, what=what)
    return mail.absolute(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a POST to URL, no login, no confirmation."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def notification_url(notification: Notification) -> str:
    """Where an entry leads: the exact message, else the thread, hub or page."""
    if notification.kind == "new_thread" and notification.count > 1:
        return reverse("hubs:detail", args=[notification.hub.slug])  # several: the list
    if notification.thread_id:
        path = reverse("hubs:thread_detail", args=[notification.hub.slug, notification.thread_id])
        if notification.message_id:
            path += f"#message-{notification.message_id}"
        return path
    if notification.page_id:
        if notification.kind == "proposal_review":
            return reverse("wagtailadmin_pages:edit", args=[notification.page_id])
        published = notification.outcome == "published" or notification.kind == "new_practice"
        if published and notification.page.url:
            return notification.page.url
        return reverse("goodpractices:proposals")
    if notification.kind in ("join_request",) and notification.hub_id:
        return reverse("hubs:moderation", args=[notification.hub.slug])
    if notification.hub_id:
        return reverse("hubs:detail", args=[notification.hub.slug])
    return reverse("notifications:list")


def _still_allowed(notification: Notification) -> bool:
    """No mail about a hub's content to someone who may no longer read it."""
    recipient = notification.recipient
    if not recipient.is_active:
        return False
    if notification.kind in CONTENT_KINDS and notification.thread_id:
        return selectors.can_read_thread(user=recipient, thread=notification.thread)
    return True


def _defer(notification_id: int, when) -> None:
    from django_tasks import default_task_backend

    from . import tasks

    if default_task_backend.supports_defer:
        transaction.on_commit(
            lambda: tasks.mail_notification.using(run_after=when).enqueue(notification_id)
        )
    # Otherwise it waits for the thread's next mail or `flush_notification_mail`.


@transaction.atomic
def mail_pending(*, notification_id: int, now=None) -> bool:
    """Send the mail NOTIFICATION_ID waits for, with whatever else waits for the same thread
    and person. Returns whether a mail went out."""
    now = now or timezone.now()
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient", "recipient__profile", "thread", "hub")
        .filter(pk=notification_id, mail_state=Pending)
        .first()
    )
    if notification is None:
        return False  # mailed with another, withdrawn, or not for mail
    if notification.read_at is not None or not _still_allowed(notification):
        Notification.objects.filter(pk=notification.pk).update(mail_state="")
        return False
    batch = [notification]
    if notification.thread_id:
        throttle, _created = MailThrottle.objects.select_for_update().get_or_create(
            user_id=notification.recipient_id,
            thread_id=notification.thread_id,
            defaults={"last_sent": now - mail_window() - timedelta(seconds=1)},
        )
        if throttle.last_sent + mail_window() > now:
            _defer(notification.pk, throttle.last_sent + mail_window())
            return False
        batch = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("actor", "thread", "hub")
            .filter(
                recipient_id=notification.recipient_id,
                thread_id=notification.thread_id,
                mail_state=Pending,
                read_at=None,
            )
            .order_by("created", "pk")
        )
        throttle.last_sent = now
        throttle.save(update_fields=["last_sent"])
    Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
        mail_state=Notification.MailState.SENT
    )
    _send(recipient=notification.recipient, batch=batch)
    return True


def _send(*, recipient, batch: list[Notification]) -> None:
    kinds = list(dict.fromkeys(n.kind for n in batch))
    # One kind: the link stops that kind; several: the first, the one that opened the mail.
    url = unsubscribe_url(user_id=recipient.pk, what=kinds[0])
    items = [{"notification": n, "url": mail.absolute(notification_url(n))} for n in batch]
    context = {
        "recipient": recipient,
        "items": items,
        "first": batch[0],
        "unsubscribe_url": url,
        "settings_url": mail.absolute(reverse("notifications:settings")),
    }
    template = "notifications/email/notification"
    own = mail_kinds.template_for(batch[0]) if len(batch) == 1 else None
    if own is not None:  # a decision or a join request: the kind's own, fuller mail
        template = own
        context.update(mail_kinds.context_for(batch[0]))
    if not recipient.email:
        return
    mail.send(
        to=recipient.email,
        template=template,
        context=context,
        language=mail.language_of(recipient),
        headers=unsubscribe_headers(url),
    )


def mail_flush_due(*, now=None) -> int:
    """Send what waits and whose thread's window has passed (for a backend that cannot
    defer a task, run from a schedule). Returns how many mails went out."""
    now = now or timezone.now()
    sent = 0
    waiting = Notification.objects.filter(mail_state=Pending).order_by("created", "pk")
    for notification_id in waiting.values_list("pk", flat=True):
        try:
            sent += mail_pending(notification_id=notification_id, now=now)
        except OSError:
            logger.exception("Could not send notification mail %s", notification_id)
    return sent
