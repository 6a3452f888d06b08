import secrets

import factory

from apps.sharing.models import Share
from tests.prompts.factories import PromptFactory


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    prompt = factory.SubFactory(PromptFactory)
    shared_by = factory.SelfAttribute("prompt.user")
    share_code = factory.LazyFunction(lambda: secrets.token_urlsafe(16))
