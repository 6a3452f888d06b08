"""Deleting and duplicating a prompt, and the POST-only action URLs."""

from django.urls import reverse

from apps.prompts.models import Prompt
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_delete_asks_first_then_deletes(alice_client, alice):
    prompt = PromptFactory(user=alice)
    page = alice_client.get(reverse("prompts:delete", args=[prompt.pk]))
    assert 'data-testid="confirm-delete"' in _html(page)
    assert Prompt.objects.exists()
    response = alice_client.post(reverse("prompts:delete", args=[prompt.pk]))
    assert response["Location"] == reverse("prompts:list")
    assert not Prompt.objects.exists()


def test_duplicate_opens_the_copy(alice_client, alice):
    prompt = PromptFactory(user=alice, name="Original")
    response = alice_client.post(reverse("prompts:duplicate", args=[prompt.pk]))
    copy = Prompt.objects.exclude(pk=prompt.pk).get()
    assert response["Location"] == reverse("prompts:detail", args=[copy.pk])
    assert copy.name == "Original (copy)"


def test_get_on_post_only_urls_is_refused(alice_client, alice):
    prompt = PromptFactory(user=alice)
    assert alice_client.get(reverse("prompts:duplicate", args=[prompt.pk])).status_code == 405
    assert alice_client.get(reverse("prompts:restore", args=[prompt.pk, 1])).status_code == 405
    assert alice_client.get(reverse("prompts:bulk")).status_code == 405
