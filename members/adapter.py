from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Signup creates the user, the profile and the consents in one transaction; logging in
    switches the site to the member's preferred language."""

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


def preferred_language(user) -> str | None:
    """The member's preferred language if the site speaks it (None without a profile)."""
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None)
    return language if language in dict(settings.LANGUAGES) else None
