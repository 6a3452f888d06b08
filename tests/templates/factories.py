import factory

from apps.templates.models import PromptTemplate, TemplateRating
from tests.accounts.factories import UserFactory


class PromptTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromptTemplate

    category = "writing"
    name = factory.Sequence(lambda n: f"Template {n}")
    slug = factory.Sequence(lambda n: f"template-{n}")
    content = "Write a {{tone}} paragraph about {{topic}}."
    variables = factory.LazyFunction(
        lambda: [
            {"name": "tone", "description": "Voice", "default": "friendly", "required": False},
            {"name": "topic", "description": "Subject", "default": "", "required": True},
        ]
    )
    is_official = True


class TemplateRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateRating

    template = factory.SubFactory(PromptTemplateFactory)
    user = factory.SubFactory(UserFactory)
    score = 4
