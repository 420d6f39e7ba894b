"""allauth's hooks: signup through our service, the member's language on login, and
allauth's mail (confirmations, password resets) sent like all our mail (core.mail)."""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from core.mail import mail_render, mail_send, recipient_language, site_url
from core.tasks import enqueue_on_commit

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Signup creates the user, the profile and the consents in one transaction; logging in
    switches the site to the member's preferred language; mail goes out from a task."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's mail in the recipient's language (the one in their profile; the
        page's for an address we do not know), text and HTML, links on SITE_URL, and send
        it from a task after commit."""
        request = allauth_context.request
        user = context.get("user")
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = recipient_language(user) if user else translation.get_language()
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **{key: _on_site_url(value, request) for key, value in context.items()},
        }
        message = mail_render(
            to=email,
            template=template_prefix,
            template_names=(
                f"{template_prefix}_subject.txt",
                f"{template_prefix}_message.txt",
                f"{template_prefix}_message.html",
            ),
            context=context,
            language=language,
        )
        with translation.override(language):
            message["subject"] = self.format_email_subject(message["subject"])
        enqueue_on_commit(mail_send, message=message)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        language = preferred_language(user)
        if language:
            # The cookie Django's language switcher sets: the member may switch again.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        return services.member_register(
            email=data["email"],
            password=data.get("password1"),
            name=data["name"],
            organisation=data["organisation"],
            organisation_type=data["organisation_type"],
            city=data["city"],
            country=data["country"],
            preferred_language=data["preferred_language"],
            accepted=form.accepted_versions(),
            language=translation.get_language() or "en",
        )


def _on_site_url(value, request):
    """allauth builds its links from the request's host; ours come from SITE_URL."""
    if not isinstance(value, str) or request is None or "://" not in value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or parts.netloc != request.get_host():
        return value
    origin = urlsplit(site_url())
    return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, parts.fragment))


def preferred_language(user) -> str | None:
    """The member's preferred language if the site speaks it (None without a profile)."""
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None)
    return language if language in dict(settings.LANGUAGES) else None
