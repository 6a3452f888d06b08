"""Counts and version numbers stay exact when many requests change one vault at once.

Each thread has its own database connection (Django's are per thread) and closes it when it is
done, so the test database can be dropped afterwards.
"""

import pytest

from apps.accounts.models import Tier, User
from apps.prompts import services
from apps.prompts.models import Prompt, PromptVersion
from promptvault.entitlements import LimitReached
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_edits_make_versions_one_to_twenty_one():
    alice = UserFactory()
    prompt = PromptFactory(user=alice, content="start")

    def edit(number):
        def job():
            fresh = Prompt.objects.get(pk=prompt.pk)
            services.prompt_update(
                prompt=fresh, author=alice, content=f"edit {number}", change_message=f"#{number}"
            )

        return job

    _, errors = run_together([edit(n) for n in range(20)])
    assert errors == [None] * 20
    numbers = list(
        PromptVersion.objects.filter(prompt=prompt)
        .order_by("version")
        .values_list("version", flat=True)
    )
    assert numbers == list(range(1, 22))
    prompt.refresh_from_db()
    newest = PromptVersion.objects.filter(prompt=prompt).order_by("-version").first()
    assert prompt.content == newest.content
    assert {v.content for v in PromptVersion.objects.filter(prompt=prompt, version__gt=1)} == {
        f"edit {n}" for n in range(20)
    }


def test_twenty_simultaneous_creates_at_forty_five_stop_at_exactly_fifty():
    alice = UserFactory(tier=Tier.FREE)
    for i in range(45):
        PromptFactory(user=alice, name=f"existing {i}")

    def create(number):
        def job():
            owner = User.objects.get(pk=alice.pk)
            return services.prompt_create(
                owner=owner, author=owner, name=f"new {number}", content="x", tags=["burst"]
            )

        return job

    results, errors = run_together([create(n) for n in range(20)])
    assert sum(result is not None for result in results) == 5
    assert all(isinstance(error, LimitReached) for error in errors if error is not None)
    assert sum(error is not None for error in errors) == 15
    alice.refresh_from_db()
    assert alice.prompt_count == 50
    assert Prompt.objects.filter(user=alice).count() == 50


def test_prompt_count_stays_true_through_a_mix_of_creates_duplicates_edits_and_deletes():
    alice = UserFactory(tier=Tier.PRO)
    prompts = [PromptFactory(user=alice, name=f"p{i}", tags=["t"]) for i in range(20)]

    def create(number):
        return lambda: services.prompt_create(
            owner=User.objects.get(pk=alice.pk),
            author=alice,
            name=f"new {number}",
            content="x",
            tags=["t", f"n{number % 3}"],
        )

    def duplicate(prompt):
        return lambda: services.prompt_duplicate(
            prompt=Prompt.objects.get(pk=prompt.pk), owner=alice, author=alice
        )

    def delete(prompt):
        def job():
            try:
                fresh = Prompt.objects.get(pk=prompt.pk)
            except Prompt.DoesNotExist:
                return None
            return services.prompt_delete(prompt=fresh)

        return job

    def edit(prompt):
        def job():
            try:
                fresh = Prompt.objects.get(pk=prompt.pk)
                return services.prompt_update(
                    prompt=fresh, author=alice, content="changed", tags=["t", "edited"]
                )
            except Prompt.DoesNotExist:
                return None  # deleted first: the edit finds nothing to change

        return job

    jobs = []
    jobs += [create(n) for n in range(8)]
    jobs += [duplicate(p) for p in prompts[:6]]
    # Each of these is deleted twice at once and edited at the same time.
    jobs += [delete(p) for p in prompts[10:16]]
    jobs += [delete(p) for p in prompts[10:16]]
    jobs += [edit(p) for p in prompts[10:16]]
    jobs += [
        lambda: services.prompts_bulk_delete(owner=alice, prompt_ids=[p.pk for p in prompts[16:20]])
    ]
    _, errors = run_together(jobs)
    assert [error for error in errors if error is not None] == []
    alice.refresh_from_db()
    real = Prompt.objects.filter(user=alice).count()
    assert real == 20 + 8 + 6 - 6 - 4
    assert alice.prompt_count == real


def test_simultaneous_creates_with_the_same_new_tag_share_one_tag():
    alice = UserFactory(tier=Tier.PRO)

    def create(number):
        return lambda: services.prompt_create(
            owner=User.objects.get(pk=alice.pk),
            author=alice,
            name=f"p{number}",
            content="x",
            tags=["fresh"],
        )

    _, errors = run_together([create(n) for n in range(10)])
    assert errors == [None] * 10
    assert alice.tags.count() == 1
    assert alice.tags.get().prompt_tags.count() == 10


def test_simultaneous_creates_with_one_new_tag_in_different_cases_share_one_tag():
    alice = UserFactory(tier=Tier.PRO)
    spellings = ["Email", "email", "EMAIL", "eMail"] * 2

    def create(number):
        return lambda: services.prompt_create(
            owner=User.objects.get(pk=alice.pk),
            author=alice,
            name=f"p{number}",
            content="x",
            tags=[spellings[number]],
        )

    _, errors = run_together([create(n) for n in range(len(spellings))])
    assert errors == [None] * len(spellings)
    assert alice.tags.count() == 1
    assert alice.tags.get().prompt_tags.count() == len(spellings)
