"""Sending one notification mail, through the site's shared mail code (core.mail): rendered
from `<template>_subject.txt`, `.txt` and `.html` in the recipient's language, multipart
text and HTML, links from SITE_URL. Called from tasks, which already run in the worker."""

from django.utils.translation import get_language_info

from core.mail import absolute_url, mail_deliver, mail_render, recipient_language


def language_of(user) -> str:
    """USER's preferred language if the site speaks it, else the site default."""
    return recipient_language(user)


def absolute(path: str) -> str:
    return absolute_url(path)


def send(*, to: str, template: str, context: dict, language: str, headers=None) -> None:
    """Render TEMPLATE in LANGUAGE and send it to TO now (raises what the backend raises)."""
    context = {"language_bidi": get_language_info(language)["bidi"], **context}
    mail_deliver(
        mail_render(to=to, template=template, context=context, language=language, headers=headers)
    )
