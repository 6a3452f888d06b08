"""Renaming folders and managing tags on their pages."""

from django.urls import reverse

from apps.prompts.models import Prompt, Tag
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_folder_rename_page_moves_the_folder(alice_client, alice):
    PromptFactory(user=alice, name="x", folder="marketing/social")
    PromptFactory(user=alice, name="y", folder="marketing2")
    response = alice_client.post(
        reverse("prompts:folder_rename"),
        {"old_path": "marketing", "new_path": "clients/acme"},
        follow=True,
    )
    assert "1 prompt" in _html(response)
    assert dict(Prompt.objects.values_list("name", "folder")) == {
        "x": "clients/acme/social",
        "y": "marketing2",
    }


def test_folder_move_into_itself_is_refused_on_the_page(alice_client, alice):
    PromptFactory(user=alice, name="x", folder="a")
    response = alice_client.post(
        reverse("prompts:folder_rename"), {"old_path": "a", "new_path": "a/b"}, follow=True
    )
    assert "inside itself" in _html(response)
    assert Prompt.objects.get().folder == "a"


def test_tags_page_create_rename_recolour_merge_delete(alice_client, alice):
    url = reverse("prompts:tags")
    alice_client.post(url, {"name": "Draft", "color": "#112233"})
    alice_client.post(url, {"name": "wip", "color": "#445566"})
    response = alice_client.post(url, {"name": "draft", "color": "#000000"})
    assert "already have a tag" in _html(response)
    draft = Tag.objects.get(name="Draft")
    wip = Tag.objects.get(name="wip")
    alice_client.post(
        reverse("prompts:tag_update", args=[draft.pk]), {"name": "Drafts", "color": "#abcdef"}
    )
    draft.refresh_from_db()
    assert (draft.name, draft.color) == ("Drafts", "#ABCDEF")
    prompt = PromptFactory(user=alice, tags=["Drafts", "wip"])
    alice_client.post(
        reverse("prompts:tag_merge"),
        {"source": str(wip.pk), "target": str(draft.pk), "confirmed": "1"},
    )
    assert list(prompt.tags.values_list("name", flat=True)) == ["Drafts"]
    alice_client.post(reverse("prompts:tag_delete", args=[draft.pk]), {"confirmed": "1"})
    assert not Tag.objects.exists()
    assert Prompt.objects.filter(pk=prompt.pk).exists()
