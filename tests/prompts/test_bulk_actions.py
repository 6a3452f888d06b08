"""Acting on several prompts at once from the vault."""

from django.urls import reverse

from apps.prompts.models import Prompt, Tag
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_bulk_move_and_tag_from_the_vault(alice_client, alice):
    a = PromptFactory(user=alice, name="a")
    b = PromptFactory(user=alice, name="b")
    c = PromptFactory(user=alice, name="c")
    ids = [str(a.pk), str(b.pk)]
    response = alice_client.post(
        reverse("prompts:bulk"),
        {"action": "move", "ids": ids, "folder": "done/", "next": "/prompts/?q=x"},
    )
    assert response["Location"] == "/prompts/?q=x"
    assert set(Prompt.objects.filter(folder="done").values_list("name", flat=True)) == {"a", "b"}
    alice_client.post(reverse("prompts:bulk"), {"action": "tag", "ids": ids, "tag": "Hot"})
    assert set(Tag.objects.get(name="Hot").prompts.values_list("name", flat=True)) == {"a", "b"}
    alice_client.post(reverse("prompts:bulk"), {"action": "untag", "ids": ids[:1], "tag": "hot"})
    assert set(Tag.objects.get(name="Hot").prompts.values_list("name", flat=True)) == {"b"}
    c.refresh_from_db()
    assert c.folder == "" and c.tags.count() == 0


def _bulk_message(client, **data):
    response = client.post(reverse("prompts:bulk"), data, follow=True)
    return [str(message) for message in response.context["messages"]]


def test_bulk_messages_name_the_action_and_count_right(alice_client, alice):
    a = PromptFactory(user=alice, name="a")
    b = PromptFactory(user=alice, name="b")
    c = PromptFactory(user=alice, name="c")
    ids = [str(a.pk), str(b.pk), str(c.pk)]
    assert _bulk_message(alice_client, action="move", ids=ids, folder="marketing/social") == [
        "Moved 3 prompts to marketing/social."
    ]
    assert _bulk_message(alice_client, action="move", ids=ids[:1], folder="") == [
        "Moved 1 prompt to the top level."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids[:1], tag="archived") == [
        "Added the tag “archived” to 1 prompt."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids, tag="archived") == [
        "Added the tag “archived” to 2 prompts; 1 already had it."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids[:2], tag="archived") == [
        "Both selected prompts already have the tag “archived”."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids[:1], tag="archived") == [
        "Removed the tag “archived” from 1 prompt."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids[:1], tag="archived") == [
        "The selected prompt doesn't have the tag “archived”."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids, tag="nowhere") == [
        "None of the 3 selected prompts has the tag “nowhere”."
    ]
    assert _bulk_message(alice_client, action="delete", ids=ids[:2], confirmed="1") == [
        "Deleted 2 prompts."
    ]


def test_bulk_delete_asks_for_confirmation_first(alice_client, alice):
    a = PromptFactory(user=alice, name="Doomed")
    PromptFactory(user=alice, name="Kept")
    response = alice_client.post(reverse("prompts:bulk"), {"action": "delete", "ids": [a.pk]})
    assert response.status_code == 200
    assert 'data-testid="confirm-bulk-delete"' in _html(response)
    assert "Doomed" in _html(response)
    assert Prompt.objects.count() == 2
    alice_client.post(
        reverse("prompts:bulk"), {"action": "delete", "ids": [a.pk], "confirmed": "1"}
    )
    assert list(Prompt.objects.values_list("name", flat=True)) == ["Kept"]
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_bulk_without_a_selection_explains(alice_client, alice):
    PromptFactory(user=alice)
    response = alice_client.post(reverse("prompts:bulk"), {"action": "move"}, follow=True)
    assert "Select at least one prompt first." in _html(response)


def test_bulk_refuses_an_offsite_next_url(alice_client, alice):
    a = PromptFactory(user=alice)
    response = alice_client.post(
        reverse("prompts:bulk"),
        {"action": "move", "ids": [a.pk], "folder": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("prompts:list")


def test_bulk_move_with_a_bad_folder_changes_nothing(alice_client, alice):
    a = PromptFactory(user=alice, folder="keep")
    response = alice_client.post(
        reverse("prompts:bulk"), {"action": "move", "ids": [a.pk], "folder": "../x"}, follow=True
    )
    assert "can&#x27;t contain" in _html(response)
    a.refresh_from_db()
    assert a.folder == "keep"
