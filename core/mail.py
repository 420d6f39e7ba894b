"""Every mail the site sends: rendered in the recipient's language, multipart (plain text
and HTML), with absolute links from SITE_URL and the site's own name, and sent by a
background task after the transaction that caused it commits.

    mail_enqueue(
        to=user.email,
        template="notifications/email/kinds/membership_decided",
        context={"hub": hub, "hub_url": absolute_url(hub_path)},
        language=recipient_language(user),
    )

renders `<template>_subject.txt` (plain text: no HTML escaping, one line),
`<template>.txt` (no escaping) and `<template>.html` (escaped; when a kind has no HTML
template, its text is shown in `email/base.html`). Templates get `site_name`, `site_url`,
`subject` and the context. Rendering happens in the caller, where the objects are at hand;
the task receives the finished message (JSON) and only sends it, retrying with backoff when
the mail server fails (see core.tasks).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .tasks import enqueue_on_commit, retried_task

logger = logging.getLogger(__name__)

FALLBACK_HTML = "email/fallback.html"


def site_url() -> str:
    """SITE_URL without its trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """PATH (as `reverse` gives it) on the site's own origin, SITE_URL."""
    if "://" in path:
        return path
    return site_url() + "/" + path.lstrip("/")


def recipient_language(user) -> str:
    """The language mail to USER is written in: their profile's preferred language where the
    site speaks it, else the site's default. Never the language of whoever caused the mail."""
    available = {code for code, _name in settings.LANGUAGES}
    for source in (user, getattr(user, "profile", None)):
        code = getattr(source, "preferred_language", "") or ""
        if code in available:
            return code
    return settings.LANGUAGE_CODE


def _language(code: str | None) -> str:
    available = {c for c, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def _render_plain(name: str, context: dict) -> str:
    # Plain text is never HTML-escaped: a subject must not show `&#x27;` for an apostrophe.
    return get_template(name).template.render(Context(context, autoescape=False))


def mail_render(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str | None,
    headers: dict | None = None,
    reply_to: Iterable[str] | None = None,
    template_names: tuple[str, str, str] | None = None,
) -> dict:
    """The finished message as JSON-ready data (see `mail_enqueue`). TEMPLATE_NAMES
    (subject, text, html) replaces the names derived from TEMPLATE (allauth names its
    templates its own way)."""
    subject_name, text_name, html_name = template_names or (
        f"{template}_subject.txt",
        f"{template}.txt",
        f"{template}.html",
    )
    language = _language(language)
    with translation.override(language):
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": site_url(),
            **context,
        }
        subject = " ".join(_render_plain(subject_name, context).split())
        context["subject"] = subject
        text = _render_plain(text_name, context).strip() + "\n"
        try:
            html = render_to_string(html_name, context)
        except TemplateDoesNotExist:
            html = render_to_string(FALLBACK_HTML, {**context, "text": text})
    return {
        "subject": subject,
        "body": text,
        "html": html,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": [to] if isinstance(to, str) else list(to),
        "reply_to": list(reply_to or []),
        "headers": dict(headers or {}),
        "language": language,
    }


def mail_enqueue(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str | None,
    headers: dict | None = None,
    reply_to: Iterable[str] | None = None,
    template_names: tuple[str, str, str] | None = None,
) -> dict:
    """Render one mail now, in LANGUAGE, and send it from a background task once the current
    transaction commits (nothing goes out for a change that is rolled back). One message
    with every address of TO in its To: header: call once per person so that nobody sees
    another's address. Returns the rendered message."""
    message = mail_render(
        to=to,
        template=template,
        context=context,
        language=language,
        headers=headers,
        reply_to=reply_to,
        template_names=template_names,
    )
    if message["to"]:
        enqueue_on_commit(mail_send, message=message)
    return message


def mail_deliver(message: dict) -> None:
    """Send one rendered message (from `mail_render`) now: for tasks that already run in the
    worker. A failure of the mail server raises."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        reply_to=message.get("reply_to") or None,
        headers={
            "Content-Language": message.get("language", settings.LANGUAGE_CODE),
            **message.get("headers", {}),
        },
    )
    mail.attach_alternative(message["html"], "text/html")
    mail.send()


@retried_task
def mail_send(*, message: dict) -> None:
    """Send one rendered message (from `mail_render`). A failure of the mail server raises,
    and `retried_task` tries again later."""
    mail_deliver(message)
