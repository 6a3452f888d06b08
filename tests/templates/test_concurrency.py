"""Usage counts and ratings stay exact when many people use or rate one template at once."""

import pytest

from apps.accounts.models import Tier
from apps.prompts.models import Prompt
from apps.templates import services
from apps.templates.models import PromptTemplate, TemplateRating
from tests.accounts.factories import UserFactory
from tests.templates.factories import PromptTemplateFactory
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_uses_add_exactly_twenty():
    template = PromptTemplateFactory(usage_count=5)
    people = [UserFactory(tier=Tier.PRO) for _ in range(10)]

    def use(person):
        return lambda: services.template_use(
            template=PromptTemplate.objects.get(pk=template.pk),
            user=person,
            values={"topic": "tides"},
        )

    _, errors = run_together([use(people[n % 10]) for n in range(20)])
    assert errors == [None] * 20
    template.refresh_from_db()
    assert template.usage_count == 25
    assert Prompt.objects.count() == 20
    for person in people:
        person.refresh_from_db()
        assert person.prompt_count == 2


def test_twenty_simultaneous_ratings_give_the_exact_average_and_count():
    template = PromptTemplateFactory()
    people = [UserFactory() for _ in range(20)]
    scores = [(n % 5) + 1 for n in range(20)]
    scores[0] = 5  # an average that isn't a round number

    def rate(person, score):
        return lambda: services.template_rate(
            template=PromptTemplate.objects.get(pk=template.pk), user=person, score=score
        )

    _, errors = run_together([rate(p, s) for p, s in zip(people, scores, strict=True)])
    assert errors == [None] * 20
    template.refresh_from_db()
    assert template.rating_count == 20 == TemplateRating.objects.count()
    assert template.rating == pytest.approx(sum(scores) / 20)


def test_simultaneous_re_ratings_by_one_person_leave_one_rating():
    template = PromptTemplateFactory()
    person = UserFactory()

    def rate(score):
        return lambda: services.template_rate(
            template=PromptTemplate.objects.get(pk=template.pk), user=person, score=score
        )

    _, errors = run_together([rate((n % 5) + 1) for n in range(10)])
    assert errors == [None] * 10
    template.refresh_from_db()
    only = TemplateRating.objects.get(template=template)
    assert (template.rating, template.rating_count) == (only.score, 1)
