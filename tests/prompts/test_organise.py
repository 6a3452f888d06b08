"""The tags and folders pages: rows that open for editing on demand, confirmations that work
without JavaScript, merge questions for folders and a merge form that starts empty."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import Prompt, Tag
from apps.teams.models import Role
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(response) -> str:
    return response.content.decode()


def _folders(user) -> dict:
    return dict(Prompt.objects.filter(user=user).values_list("name", "folder"))


def _member_of(owner, role):
    """A member of the owner's team (teams come with the Pro plan)."""
    owner.tier = "pro"
    owner.save(update_fields=["tier"])
    person = UserFactory()
    TeamInviteFactory(
        invited_by=owner, invited_email=person.email, role=role, accepted=True, accepted_by=person
    )
    return person


# The folder service asks before merging


def test_renaming_a_folder_onto_an_existing_one_asks_first_and_moves_nothing(alice):
    PromptFactory(user=alice, name="a", folder="drafts")
    PromptFactory(user=alice, name="b", folder="final")
    PromptFactory(user=alice, name="c", folder="final/old")
    before = _folders(alice)
    with pytest.raises(services.FolderMergeNeeded) as asked:
        services.folder_rename(owner=alice, old_path="drafts", new_path="final")
    assert asked.value.folders == [("final", 2)]
    assert str(asked.value) == "A folder named “final” already exists with 2 prompts."
    assert _folders(alice) == before


def test_merge_true_moves_the_folder_into_the_existing_one(alice):
    PromptFactory(user=alice, name="a", folder="drafts")
    PromptFactory(user=alice, name="a2", folder="drafts/deep")
    PromptFactory(user=alice, name="b", folder="final")
    moved = services.folder_rename(owner=alice, old_path="drafts", new_path="final", merge=True)
    assert moved == 2
    assert _folders(alice) == {"a": "final", "a2": "final/deep", "b": "final"}


def test_a_new_subfolder_of_an_existing_folder_is_no_merge(alice):
    PromptFactory(user=alice, name="a", folder="drafts")
    PromptFactory(user=alice, name="b", folder="archive")
    services.folder_rename(owner=alice, old_path="drafts", new_path="archive/drafts")
    assert _folders(alice) == {"a": "archive/drafts", "b": "archive"}


def test_moving_up_into_a_parent_holding_only_this_folder_is_no_merge(alice):
    PromptFactory(user=alice, name="a", folder="a/b")
    services.folder_rename(owner=alice, old_path="a/b", new_path="a")
    assert _folders(alice) == {"a": "a"}


def test_moving_up_into_a_parent_with_prompts_of_its_own_asks(alice):
    PromptFactory(user=alice, name="own", folder="a")
    PromptFactory(user=alice, name="inner", folder="a/b")
    with pytest.raises(services.FolderMergeNeeded) as asked:
        services.folder_rename(owner=alice, old_path="a/b", new_path="a")
    assert asked.value.folders == [("a", 1)]


def test_lifting_to_the_top_level_asks_when_a_subfolder_name_is_taken(alice):
    PromptFactory(user=alice, name="a", folder="old")
    PromptFactory(user=alice, name="b", folder="old/inner")
    PromptFactory(user=alice, name="c", folder="inner/x")
    with pytest.raises(services.FolderMergeNeeded) as asked:
        services.folder_rename(owner=alice, old_path="old", new_path="")
    assert asked.value.folders == [("inner", 1)]
    assert _folders(alice)["b"] == "old/inner"
    services.folder_rename(owner=alice, old_path="old", new_path="", merge=True)
    assert _folders(alice) == {"a": "", "b": "inner", "c": "inner/x"}


def test_another_vaults_folder_of_that_name_is_no_merge(alice, charlie):
    PromptFactory(user=alice, name="a", folder="drafts")
    PromptFactory(user=charlie, name="theirs", folder="final")
    services.folder_rename(owner=alice, old_path="drafts", new_path="final")
    assert _folders(alice) == {"a": "final"}


# The folders page


def test_renaming_a_folder_onto_an_existing_one_asks_on_the_page_then_merges(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="drafts")
    PromptFactory(user=alice, name="b", folder="final")
    url = reverse("prompts:folder_rename")
    response = alice_client.post(url, {"old_path": "drafts", "new_path": "final"})
    assert response.status_code == 200
    page = _html(response)
    assert "A folder named “final” already exists with 1 prompt. Merge into it?" in page
    assert 'name="merge" value="1"' in page
    assert _folders(alice) == {"a": "drafts", "b": "final"}

    response = alice_client.post(
        url, {"old_path": "drafts", "new_path": "final", "merge": "1"}, follow=True
    )
    assert "Merged “drafts” into “final” (1 prompt)." in _html(response)
    assert _folders(alice) == {"a": "final", "b": "final"}


def test_a_bad_new_path_keeps_the_row_open_with_what_was_typed(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="drafts")
    response = alice_client.post(
        reverse("prompts:folder_rename"), {"old_path": "drafts", "new_path": "x/../y"}
    )
    assert response.status_code == 200
    page = _html(response)
    assert "can&#x27;t contain &#x27;.&#x27; or &#x27;..&#x27;" in page
    assert 'value="x/../y"' in page
    assert _folders(alice) == {"a": "drafts"}


def test_the_folders_page_lists_folders_with_a_rename_action_not_open_forms(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="drafts/deep")
    page = _html(alice_client.get(reverse("prompts:folders")))
    assert 'name="new_path"' not in page
    assert f"{reverse('prompts:folders')}?edit=drafts%2Fdeep" in page


def test_rename_opens_a_folder_row_in_place_or_as_a_page(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="drafts/deep")
    url = reverse("prompts:folders") + "?edit=drafts%2Fdeep"
    row = alice_client.get(url, **HTMX)
    assert "HX-Request" in row["Vary"]
    html = _html(row)
    assert html.lstrip().startswith("<li")
    assert 'name="new_path"' in html and 'value="drafts/deep"' in html
    assert "autofocus" in html
    page = _html(alice_client.get(url))
    assert "<html" in page and page.count('name="new_path"') == 1

    shown = _html(alice_client.get(reverse("prompts:folders") + "?row=drafts%2Fdeep", **HTMX))
    assert 'name="new_path"' not in shown and "autofocus" in shown


def test_an_unknown_folder_row_refreshes_the_page(alice_client, alice):
    response = alice_client.get(reverse("prompts:folders") + "?edit=nowhere", **HTMX)
    assert response["HX-Refresh"] == "true"


# The tags page


def test_the_tags_page_shows_each_tag_with_actions_not_open_forms(alice_client, alice):
    PromptFactory(user=alice, tags=["alpha"])
    tag = Tag.objects.get(name="alpha")
    page = _html(alice_client.get(reverse("prompts:tags")))
    assert 'value="alpha"' not in page
    edit = reverse("prompts:tag_update", args=[tag.pk])
    assert f'href="{edit}?edit=name"' in page
    assert f'href="{edit}?edit=color"' in page
    assert "1 prompt" in page


def test_rename_opens_a_tag_row_in_place_or_as_a_page(alice_client, alice):
    tag = services.tag_create(owner=alice, name="alpha")
    url = reverse("prompts:tag_update", args=[tag.pk]) + "?edit=name"
    row = alice_client.get(url, **HTMX)
    assert "HX-Request" in row["Vary"]
    html = _html(row)
    assert html.lstrip().startswith(f'<li id="tag-{tag.pk}"')
    assert 'value="alpha"' in html and "autofocus" in html
    page = _html(alice_client.get(url))
    assert "<html" in page and 'value="alpha"' in page

    colour = _html(alice_client.get(url.replace("edit=name", "edit=color"), **HTMX))
    assert 'type="color"' in colour and 'name="name"' not in colour

    shown = _html(
        alice_client.get(reverse("prompts:tag_update", args=[tag.pk]) + "?focus=name", **HTMX)
    )
    assert 'name="name"' not in shown and "autofocus" in shown


def test_a_taken_name_keeps_the_rename_form_open_with_the_error(alice_client, alice):
    tag = services.tag_create(owner=alice, name="alpha")
    services.tag_create(owner=alice, name="beta")
    response = alice_client.post(reverse("prompts:tag_update", args=[tag.pk]), {"name": "Beta"})
    assert response.status_code == 200
    page = _html(response)
    assert "You already have a tag called “Beta”" in page
    assert 'value="Beta"' in page
    tag.refresh_from_db()
    assert tag.name == "alpha"


def test_recolouring_alone_keeps_the_name_and_renaming_alone_keeps_the_colour(alice_client, alice):
    tag = services.tag_create(owner=alice, name="alpha", color="#111111")
    url = reverse("prompts:tag_update", args=[tag.pk])
    alice_client.post(url, {"color": "#222222"})
    tag.refresh_from_db()
    assert (tag.name, tag.color) == ("alpha", "#222222")
    alice_client.post(url, {"name": "omega"})
    tag.refresh_from_db()
    assert (tag.name, tag.color) == ("omega", "#222222")


def test_the_merge_form_starts_with_no_tag_chosen(alice_client, alice):
    services.tag_create(owner=alice, name="alpha")
    services.tag_create(owner=alice, name="beta")
    page = _html(alice_client.get(reverse("prompts:tags")))
    assert page.count('<option value="" selected>— choose —</option>') == 2


def test_merging_a_tag_into_itself_is_refused_with_a_clear_message(alice_client, alice):
    tag = services.tag_create(owner=alice, name="alpha")
    services.tag_create(owner=alice, name="beta")
    response = alice_client.post(
        reverse("prompts:tag_merge"),
        {"source": str(tag.pk), "target": str(tag.pk), "confirmed": "1"},
    )
    assert response.status_code == 200
    page = _html(response)
    assert "A tag can’t be merged into itself" in page
    # The choices stay as they were made.
    assert page.count(f'<option value="{tag.pk}" selected>alpha</option>') == 2
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_merging_without_a_choice_says_what_is_missing(alice_client, alice):
    services.tag_create(owner=alice, name="alpha")
    services.tag_create(owner=alice, name="beta")
    response = alice_client.post(reverse("prompts:tag_merge"), {"source": "", "target": ""})
    assert response.status_code == 200
    assert "Choose the tag to merge and the tag to merge it into." in _html(response)
    assert Tag.objects.count() == 2


def test_deleting_a_tag_asks_on_a_page_first_without_javascript(alice_client, alice):
    PromptFactory(user=alice, tags=["alpha"])
    tag = Tag.objects.get(name="alpha")
    url = reverse("prompts:tag_delete", args=[tag.pk])
    response = alice_client.post(url)
    assert response.status_code == 200
    page = _html(response)
    assert "Delete the tag “alpha”?" in page
    assert 'name="confirmed" value="1"' in page
    assert Tag.objects.filter(pk=tag.pk).exists()
    response = alice_client.post(url, {"confirmed": "1"}, follow=True)
    assert "Deleted the tag “alpha”" in _html(response)
    assert not Tag.objects.exists()
    assert Prompt.objects.count() == 1


def test_merging_tags_asks_on_a_page_first_without_javascript(alice_client, alice):
    prompt = PromptFactory(user=alice, tags=["alpha"])
    alpha = Tag.objects.get(name="alpha")
    beta = services.tag_create(owner=alice, name="beta")
    data = {"source": str(alpha.pk), "target": str(beta.pk)}
    response = alice_client.post(reverse("prompts:tag_merge"), data)
    assert response.status_code == 200
    page = _html(response)
    assert "Merge “alpha” into “beta”?" in page
    assert 'name="confirmed" value="1"' in page
    assert Tag.objects.count() == 2
    response = alice_client.post(reverse("prompts:tag_merge"), {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert list(prompt.tags.values_list("name", flat=True)) == ["beta"]


def test_a_viewer_sees_tags_and_folders_without_edit_actions(client, alice):
    PromptFactory(user=alice, folder="drafts", tags=["alpha"])
    dana = _member_of(alice, Role.VIEWER)
    client.force_login(dana)
    vault = f"?vault={alice.pk}"
    tags = _html(client.get(reverse("prompts:tags") + vault))
    assert "alpha" in tags
    assert "Rename" not in tags and "New tag" not in tags and "Merge" not in tags
    folders = _html(client.get(reverse("prompts:folders") + vault + "&edit=drafts"))
    assert "drafts" in folders
    assert "Rename" not in folders and 'name="new_path"' not in folders


def test_an_editor_opens_a_row_of_the_owners_vault_and_cancels_back_to_it(client, alice):
    PromptFactory(user=alice, folder="drafts", tags=["alpha"])
    bob = _member_of(alice, Role.EDITOR)
    client.force_login(bob)
    tag = Tag.objects.get(name="alpha")
    row = _html(client.get(reverse("prompts:tag_update", args=[tag.pk]) + "?edit=name"))
    assert f'href="{reverse("prompts:tags")}?vault={alice.pk}"' in row
    folder = _html(client.get(reverse("prompts:folders") + f"?vault={alice.pk}&edit=drafts"))
    assert f'name="vault" value="{alice.pk}"' in folder


# One confirmation dialog in the page's own style


def test_every_page_carries_the_confirmation_dialog(alice_client):
    page = _html(alice_client.get(reverse("prompts:tags")))
    assert re.search(
        r'<dialog id="confirm-dialog"[^>]*aria-labelledby="confirm-dialog-title"', page
    )


def test_no_script_or_template_asks_through_the_browsers_confirm():
    sources = [Path(settings.BASE_DIR) / "static" / "js"]
    sources.append(Path(settings.BASE_DIR) / "templates")
    offenders = []
    for root in sources:
        for path in root.rglob("*"):
            if path.suffix in {".js", ".html"} and "confirm(" in path.read_text():
                offenders.append(str(path))
    assert offenders == []


@pytest.mark.parametrize(
    "data",
    [
        {"old_path": "", "new_path": "x"},
        {"old_path": "///", "new_path": "x"},
        {"old_path": "a\x00b", "new_path": "x"},
        {"old_path": "nowhere", "new_path": "x" * 600},
        {"new_path": "x"},
    ],
)
def test_renaming_a_folder_that_is_not_there_says_why_over_the_tree(alice_client, alice, data):
    PromptFactory(user=alice, name="a", folder="drafts")
    response = alice_client.post(reverse("prompts:folder_rename"), data, follow=True)
    assert response.status_code == 200
    assert 'class="message message--error"' in _html(response)
    assert _folders(alice) == {"a": "drafts"}
