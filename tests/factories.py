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


class HubFactory(factory.django.DjangoModelFactory):
    """A hub that admits members at once (the three regional hubs come from a migration)."""

    class Meta:
        model = "hubs.Hub"

    name = factory.Sequence(lambda n: f"Test hub {n}")
    slug = factory.Sequence(lambda n: f"test-hub-{n}")
    region = "Test region"
    join_policy = "open"
