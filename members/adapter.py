from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Signup creates the user, the profile and the consents in one transaction."""

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
