"""Factories for prompts. `PromptFactory` goes through `prompt_create`, so every prompt has
version 1 and its owner's prompt_count is right, exactly as in the product."""

import factory

from apps.accounts.models import Tier
from apps.prompts import services
from apps.prompts.models import Prompt, PromptOptimization, PromptTag, PromptVersion, Tag
from tests.accounts.factories import UserFactory


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prompt

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Prompt {n}")
    content = factory.Faker("paragraph", nb_sentences=4)
    description = ""
    folder = ""
    model = "gpt-4"

    @classmethod
    def _create(cls, model_class, *args, user, tags=(), **kwargs):
        kwargs.pop("author", None)
        return services.prompt_create(owner=user, author=user, tags=tags, **kwargs)


class PromptVersionFactory(factory.django.DjangoModelFactory):
    """A raw version row, for constraint tests. Real versions come from the services."""

    class Meta:
        model = PromptVersion

    prompt = factory.SubFactory(PromptFactory)
    version = factory.Sequence(lambda n: n + 100)
    content = factory.Faker("sentence")
    created_by = factory.SelfAttribute("prompt.user")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")
    color = "#3B82F6"


class PromptTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromptTag

    prompt = factory.SubFactory(PromptFactory)
    tag = factory.SubFactory(TagFactory, user=factory.SelfAttribute("..prompt.user"))


class PromptOptimizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromptOptimization

    prompt = factory.SubFactory(PromptFactory)
    original_content = factory.SelfAttribute("prompt.content")
    optimized_content = factory.Faker("paragraph")
    improvements = factory.LazyFunction(lambda: ["Name the audience", "Give an example"])
    score_before = 52.0
    score_after = 81.0


VAULT_FOLDERS = ["", "sales", "sales/email", "marketing", "marketing/social/x", "ops"]
VAULT_TAGS = ["alpha", "beta", "gamma", "delta", "epsilon"]


def fill_vault(user, count):
    """A pro user's vault of `count` prompts over several folders, three tags each, every
    seventh public: realistic rows for query-count and rendering tests."""
    user.tier = Tier.PRO
    user.save()
    prompts = []
    for i in range(count):
        prompts.append(
            PromptFactory(
                user=user,
                name=f"Prompt {i} about invoices",
                content=f"Write about invoices number {i} for {{{{customer}}}}.",
                folder=VAULT_FOLDERS[i % len(VAULT_FOLDERS)],
                tags=[VAULT_TAGS[(i + k) % len(VAULT_TAGS)] for k in range(3)],
                is_public=i % 7 == 0,
            )
        )
    return prompts
