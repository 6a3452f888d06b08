import factory
from django.utils import timezone

from apps.accounts.models import StripeEvent, Tier, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    tier = Tier.FREE
    # People in tests have long had their accounts, as existing users have: their address
    # counts as confirmed. Pass email_confirmed_at=None for a fresh, unconfirmed sign-up.
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StripeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StripeEvent

    event_id = factory.Sequence(lambda n: f"evt_{n:024d}")
    event_type = "customer.subscription.updated"
    payload = factory.LazyFunction(dict)
