"""Alice's team inside her vault: bob edits, dana only reads. Access goes through the same
helpers as for the owner, so these check the roles reach every prompts page."""

import pytest
from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import Prompt, Tag
from apps.teams.models import Role
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory


def _member(owner, role):
    person = UserFactory()
    TeamInviteFactory(
        invited_by=owner,
        invited_email=person.email,
        role=role,
        accepted=True,
        accepted_by=person,
    )
    return person


@pytest.fixture
def team(alice, client):
    alice.tier = "pro"
    alice.save()
    prompt = PromptFactory(user=alice, name="Shared", content="one", folder="team/a", tags=["x"])
    services.tag_create(owner=alice, name="y")
    return {
        "prompt": prompt,
        "bob": _member(alice, Role.EDITOR),
        "dana": _member(alice, Role.VIEWER),
    }


def test_an_editor_edits_content_and_is_recorded_as_the_author(team, client):
    bob, prompt = team["bob"], team["prompt"]
    client.force_login(bob)
    response = client.post(
        reverse("prompts:edit", args=[prompt.pk]),
        {"name": "Shared", "content": "two", "model": "gpt-4", "change_message": "bob's"},
    )
    assert response.status_code == 302
    newest = prompt.versions.order_by("-version").first()
    assert (newest.content, newest.created_by) == ("two", bob)


def test_an_editor_browses_renames_folders_and_merges_tags_in_the_owners_vault(team, alice, client):
    client.force_login(team["bob"])
    vault = f"?vault={alice.pk}"
    page = client.get(reverse("prompts:list") + vault)
    assert [p.name for p in page.context["page"].object_list] == ["Shared"]
    response = client.post(
        reverse("prompts:folder_rename"),
        {"vault": str(alice.pk), "old_path": "team", "new_path": "crew"},
    )
    assert response["Location"] == reverse("prompts:folders") + vault
    assert Prompt.objects.get().folder == "crew/a"
    x, y = Tag.objects.get(name="x"), Tag.objects.get(name="y")
    response = client.post(
        reverse("prompts:tag_merge"),
        {"vault": str(alice.pk), "source": x.pk, "target": y.pk, "confirmed": "1"},
    )
    assert response["Location"] == reverse("prompts:tags") + vault
    assert list(Prompt.objects.get().tags.values_list("name", flat=True)) == ["y"]


def test_an_editor_cannot_delete(team, client):
    client.force_login(team["bob"])
    prompt = team["prompt"]
    assert client.post(reverse("prompts:delete", args=[prompt.pk])).status_code == 403
    assert Prompt.objects.filter(pk=prompt.pk).exists()


def test_a_viewer_reads_but_cannot_change_anything(team, alice, client):
    dana, prompt = team["dana"], team["prompt"]
    client.force_login(dana)
    for url in (
        reverse("prompts:detail", args=[prompt.pk]),
        reverse("prompts:history", args=[prompt.pk]),
        reverse("prompts:list") + f"?vault={alice.pk}",
        reverse("prompts:export") + f"?vault={alice.pk}&format=json",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("prompts:edit", args=[prompt.pk])).status_code == 403
    assert client.post(reverse("prompts:restore", args=[prompt.pk, 1])).status_code == 403
    assert (
        client.post(
            reverse("prompts:folder_rename"),
            {"vault": str(alice.pk), "old_path": "team", "new_path": "x"},
        ).status_code
        == 403
    )
    prompt.refresh_from_db()
    assert prompt.folder == "team/a"


def test_a_viewer_duplicating_gets_a_copy_in_their_own_vault(team, alice, client):
    dana, prompt = team["dana"], team["prompt"]
    client.force_login(dana)
    client.post(reverse("prompts:duplicate", args=[prompt.pk]))
    copy = Prompt.objects.get(user=dana)
    assert copy.content == prompt.content
    alice.refresh_from_db()
    dana.refresh_from_db()
    assert (alice.prompt_count, dana.prompt_count) == (1, 1)


def test_the_vault_offers_the_edit_shortcut_to_editors_only(team, alice, client):
    edit = reverse("prompts:edit", args=[team["prompt"].pk])
    client.force_login(team["bob"])
    html = client.get(reverse("prompts:list") + f"?vault={alice.pk}").content.decode()
    assert f'data-edit-url="{edit}"' in html
    assert "Edit the highlighted prompt" in html
    # Bulk actions are the owner's: no boxes to select, so no "x" either.
    assert 'name="ids"' not in html
    assert "Select or unselect the highlighted prompt" not in html
    client.force_login(team["dana"])
    html = client.get(reverse("prompts:list") + f"?vault={alice.pk}").content.decode()
    assert "data-edit-url" not in html
    assert "Edit the highlighted prompt" not in html
