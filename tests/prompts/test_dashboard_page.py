"""The dashboard: usage, recent prompts and folders."""

from django.urls import reverse

from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_the_dashboard_shows_usage_counts_recent_prompts_and_folders(alice_client, alice):
    PromptFactory(user=alice, name="Recent one", folder="work", tags=["x"], is_public=True)
    PromptFactory(user=alice, name="Another", folder="work/deep")
    page = _html(alice_client.get(reverse("home")))
    assert 'data-testid="usage"' in page
    assert "2</strong> of 50" in page
    assert "Recent one" in page and "Another" in page
    assert "work" in page


def test_the_dashboard_of_an_empty_vault_invites_a_first_prompt(alice_client):
    page = _html(alice_client.get(reverse("home")))
    assert "Your vault is empty" in page


def test_the_dashboard_counts_folders_as_the_tree_shows_them(alice_client, alice):
    PromptFactory(user=alice, folder="a/b/c")
    PromptFactory(user=alice, folder="a")
    PromptFactory(user=alice, folder="")
    response = alice_client.get(reverse("home"))
    assert [(n.path, n.count) for n in response.context["folders"]] == [
        ("a", 2),
        ("a/b", 1),
        ("a/b/c", 1),
    ]
    assert response.context["unfiled_count"] == 1
    page = _html(response)
    assert 'data-testid="folder-count">3<' in page
    assert "Not in a folder" in page
    assert "Room for 47 more prompts" in page
