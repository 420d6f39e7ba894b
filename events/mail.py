"""Queued mail for the events app: a thin stand-in for `core.mail.mail_enqueue` (same
signature) until the shared mail module lands. A mail is rendered from
`<template>_subject.txt`, `<template>.txt` and `<template>.html` in the recipient's language
and sent by a task after the transaction that asked for it commits, so nobody hears of a
change that was rolled back. The context must be JSON-serialisable (a task's arguments)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_mail(*, to: str, template: str, context: dict, language: str, headers=None) -> None:
    """Render TEMPLATE in LANGUAGE and send it to the address TO."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def mail_enqueue(*, to: str, template: str, context: dict, language: str, headers=None) -> None:
    """Send the mail from a task once the current transaction commits."""
    transaction.on_commit(
        lambda: send_mail.enqueue(
            to=to, template=template, context=context, language=language, headers=headers
        )
    )
