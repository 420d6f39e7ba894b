import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified email address who can log in with PASSWORD."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@city{n}.example")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def consented(self, create, extracted, **kwargs):
        """Like every member, has accepted the policy versions in effect (at signup);
        UserFactory(consented=False) for someone who has not."""
        if create and extracted is not False:
            consent_to_current_policies(self)


def consent_to_current_policies(user):
    """Record USER's acceptance of the policy versions in effect (as at signup)."""
    from members.services import consent_record_current

    consent_record_current(user=user)
    return user


class ProfileFactory(factory.django.DjangoModelFactory):
    """A member's profile (signup fields); pass user=... or get a new user."""

    class Meta:
        model = "members.Profile"

    user = factory.SubFactory(UserFactory)
    organisation = factory.Faker("company")
    organisation_type = "municipality"
    city = factory.Faker("city")
    country = "MA"
    preferred_language = "en"


class GoodPracticeFactory(factory.Factory):
    """A good practice under /practices/, published unless `live=False`.

    `themes` are theme slugs, `region` a region slug, `sdgs` goal numbers."""

    class Meta:
        model = dict

    title = factory.Sequence(lambda n: f"Good practice {n}")
    summary = "What a city did about a local challenge."
    city = "Rustavi"
    country = "GE"
    region = "see"
    themes = ("municipal_services",)
    sdgs = (11,)
    live = True
    body = factory.LazyFunction(
        lambda: [
            {"type": "challenge", "value": {"text": "<p>The challenge.</p>"}},
            {"type": "approach", "value": {"text": "<p>The approach.</p>"}},
        ]
    )

    @classmethod
    def _create(cls, model_class, **kwargs):
        import json

        from goodpractices.models import (
            GoodPracticeIndexPage,
            GoodPracticePage,
            Region,
            SustainableDevelopmentGoal,
            Theme,
        )

        index_page = GoodPracticeIndexPage.objects.get(locale__language_code="en")
        live = kwargs.pop("live")
        page = GoodPracticePage(
            title=kwargs["title"],
            summary=kwargs["summary"],
            city=kwargs["city"],
            country=kwargs["country"],
            region=Region.objects.get(slug=kwargs["region"]),
            body=json.dumps(kwargs["body"]),
            live=False,
        )
        page.themes.set(Theme.objects.filter(slug__in=kwargs["themes"]))
        page.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=kwargs["sdgs"]))
        index_page.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page


class HubFactory(factory.django.DjangoModelFactory):
    """A hub that admits members at once (the three regional hubs come from a migration)."""

    class Meta:
        model = "hubs.Hub"

    name = factory.Sequence(lambda n: f"Test hub {n}")
    slug = factory.Sequence(lambda n: f"test-hub-{n}")
    region = "Test region"
    join_policy = "open"
