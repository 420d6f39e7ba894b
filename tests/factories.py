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


class HubFactory(factory.django.DjangoModelFactory):
    """A hub that admits members at once (the three regional hubs come from a migration)."""

    class Meta:
        model = "hubs.Hub"

    name = factory.Sequence(lambda n: f"Test hub {n}")
    slug = factory.Sequence(lambda n: f"test-hub-{n}")
    region = "Test region"
    join_policy = "open"
