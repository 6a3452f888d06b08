"""The free plan's 50 prompts: enforced on every creating path, never losing anything."""

import json

import pytest
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import services
from apps.prompts.models import Prompt
from promptvault import entitlements
from promptvault.entitlements import LimitReached
from tests.prompts.factories import PromptFactory


def _fill(user, count):
    return [PromptFactory(user=user, name=f"p{i}", content=f"content {i}") for i in range(count)]


@pytest.fixture
def full_alice(alice):
    prompts = _fill(alice, 50)
    alice.refresh_from_db()
    return alice, prompts


def test_a_free_user_can_hold_exactly_fifty(alice):
    _fill(alice, 50)
    alice.refresh_from_db()
    assert alice.prompt_count == 50
    with pytest.raises(LimitReached) as caught:
        services.prompt_create(owner=alice, author=alice, name="51", content="x")
    assert "50" in str(caught.value)
    assert Prompt.objects.filter(user=alice).count() == 50


def test_duplicate_is_limited_too(full_alice):
    alice, prompts = full_alice
    with pytest.raises(LimitReached):
        services.prompt_duplicate(prompt=prompts[0], owner=alice, author=alice)
    alice.refresh_from_db()
    assert alice.prompt_count == 50


@pytest.mark.parametrize("tier", [Tier.PRO, Tier.ENTERPRISE])
def test_paid_plans_are_unlimited(alice, tier):
    alice.tier = tier
    alice.save()
    alice.prompt_count = 10_000
    assert entitlements.prompt_room(alice) is None
    entitlements.check_can_add_prompts(alice, 500)


def test_room_never_goes_negative(alice):
    alice.prompt_count = 60
    assert entitlements.prompt_room(alice) == 0
    assert entitlements.usage(alice)["percent"] == 100


def test_the_new_prompt_page_warns_and_links_to_upgrade(full_alice, client):
    alice, _ = full_alice
    client.force_login(alice)
    page = client.get(reverse("prompts:create")).content.decode()
    assert 'data-testid="limit-reached"' in page
    assert reverse("billing:pricing") in page


def test_submitting_the_form_at_the_limit_shows_the_message_and_saves_nothing(full_alice, client):
    alice, _ = full_alice
    client.force_login(alice)
    response = client.post(
        reverse("prompts:create"),
        {"name": "One more", "content": "Keep my words", "model": "gpt-4"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upgrade" in html
    assert reverse("billing:pricing") in html
    assert "Keep my words" in html  # what the user typed is still there
    assert not Prompt.objects.filter(name="One more").exists()
    alice.refresh_from_db()
    assert alice.prompt_count == 50


def test_duplicate_at_the_limit_explains_and_links_to_upgrade(full_alice, client):
    alice, prompts = full_alice
    client.force_login(alice)
    response = client.post(reverse("prompts:duplicate", args=[prompts[0].pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("prompts:detail", args=[prompts[0].pk])
    assert "plan holds 50 prompts" in html
    assert reverse("billing:pricing") in html
    assert Prompt.objects.filter(user=alice).count() == 50


@pytest.fixture
def downgraded(alice):
    """Alice had Pro, wrote 60 prompts, then went back to the free plan."""
    alice.tier = Tier.PRO
    alice.save()
    prompts = _fill(alice, 60)
    alice.tier = Tier.FREE
    alice.save()
    alice.refresh_from_db()
    return alice, prompts


def test_over_the_limit_after_a_downgrade_everything_but_adding_still_works(downgraded, client):
    alice, prompts = downgraded
    client.force_login(alice)
    prompt = prompts[0]

    assert client.get(reverse("prompts:list")).status_code == 200
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 200
    assert client.get(reverse("prompts:history", args=[prompt.pk])).status_code == 200

    response = client.post(
        reverse("prompts:edit", args=[prompt.pk]),
        {"name": prompt.name, "content": "edited", "model": "gpt-4", "change_message": "m"},
    )
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.content == "edited"

    exported = client.get(reverse("prompts:export"), {"format": "json"})
    assert len(json.loads(b"".join(exported.streaming_content))["prompts"]) == 60

    assert client.post(reverse("prompts:delete", args=[prompt.pk])).status_code == 302
    alice.refresh_from_db()
    assert alice.prompt_count == 59

    # Still over 50, so adding is refused.
    response = client.post(
        reverse("prompts:create"), {"name": "new", "content": "x", "model": "gpt-4"}
    )
    assert response.status_code == 200
    assert not Prompt.objects.filter(name="new").exists()


def test_after_deleting_down_below_the_limit_adding_works_again(downgraded):
    alice, prompts = downgraded
    services.prompts_bulk_delete(owner=alice, prompt_ids=[p.pk for p in prompts[:11]])
    alice.refresh_from_db()
    assert alice.prompt_count == 49
    services.prompt_create(owner=alice, author=alice, name="back", content="x")
    with pytest.raises(LimitReached):
        services.prompt_create(owner=alice, author=alice, name="over", content="x")
