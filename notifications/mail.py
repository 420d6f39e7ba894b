"""Sending one notification mail: rendered from `<template>_subject.txt`, `.txt` and `.html`
in the recipient's language, sent as multipart text and HTML. Kept thin so that it can hand
over to the site's shared mail function (core.mail) once that exists."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def language_of(user) -> str:
    """USER's preferred language if the site speaks it, else the site default."""
    available = {code for code, _name in settings.LANGUAGES}
    profile = getattr(user, "profile", None)  # None: no profile (RelatedObjectDoesNotExist)
    code = getattr(profile, "preferred_language", "") or ""
    return code if code in available else settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send(*, to: str, template: str, context: dict, language: str, headers=None) -> None:
    """Render TEMPLATE in LANGUAGE and send it to TO (raises what the backend raises)."""
    with translation.override(language):
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL.rstrip("/"),
            "language_bidi": translation.get_language_bidi(),
            **context,
        }
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
