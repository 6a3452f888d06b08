"""Alice's vault is invisible to Charlie on every URL: 404, never 403, so ids don't leak."""

import json
import uuid

import pytest
from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import Prompt, PromptTag, Tag
from tests.prompts.factories import PromptFactory


@pytest.fixture
def vault(alice):
    prompt = PromptFactory(
        user=alice, name="Alice secret", content="alpha", folder="secret/plans", tags=["mine"]
    )
    services.prompt_update(prompt=prompt, author=alice, content="beta", change_message="m")
    other_tag = services.tag_create(owner=alice, name="other")
    return {"prompt": prompt, "tag": Tag.objects.get(name="mine"), "other_tag": other_tag}


def _snapshot(alice):
    return (
        sorted(Prompt.objects.filter(user=alice).values_list("pk", "name", "content", "folder")),
        sorted(Tag.objects.filter(user=alice).values_list("pk", "name", "color")),
        sorted(PromptTag.objects.filter(prompt__user=alice).values_list("prompt_id", "tag_id")),
        Prompt.objects.get(user=alice).versions.count(),
    )


def _prompt_urls(prompt):
    pk = prompt.pk
    return [
        ("get", reverse("prompts:detail", args=[pk]), {}),
        ("get", reverse("prompts:edit", args=[pk]), {}),
        ("post", reverse("prompts:edit", args=[pk]), {"name": "x", "content": "x"}),
        ("get", reverse("prompts:delete", args=[pk]), {}),
        ("post", reverse("prompts:delete", args=[pk]), {}),
        ("post", reverse("prompts:duplicate", args=[pk]), {}),
        ("get", reverse("prompts:history", args=[pk]), {}),
        ("get", reverse("prompts:version", args=[pk, 1]), {}),
        ("post", reverse("prompts:restore", args=[pk, 1]), {}),
        ("get", reverse("prompts:diff", args=[pk]), {}),
        ("get", reverse("prompts:diff", args=[pk]) + "?from=1&to=2", {}),
    ]


def _vault_urls(vault_owner, tag):
    owner = str(vault_owner.pk)
    return [
        ("get", reverse("prompts:list") + f"?vault={owner}", {}),
        ("get", reverse("prompts:create") + f"?vault={owner}", {}),
        ("post", reverse("prompts:create"), {"vault": owner, "name": "x", "content": "x"}),
        ("get", reverse("prompts:export") + f"?vault={owner}", {}),
        ("get", reverse("prompts:export") + f"?vault={owner}&format=json", {}),
        ("get", reverse("prompts:folders") + f"?vault={owner}", {}),
        (
            "post",
            reverse("prompts:folder_rename"),
            {"vault": owner, "old_path": "secret", "new_path": "mine"},
        ),
        ("get", reverse("prompts:tags") + f"?vault={owner}", {}),
        ("post", reverse("prompts:tags"), {"vault": owner, "name": "x", "color": "#000000"}),
        ("post", reverse("prompts:tag_update", args=[tag.pk]), {"name": "x", "color": "#000000"}),
        ("post", reverse("prompts:tag_delete", args=[tag.pk]), {}),
    ]


def test_charlie_gets_404_on_every_url_of_alices_prompts(vault, alice, charlie_client):
    before = _snapshot(alice)
    for method, url, data in _prompt_urls(vault["prompt"]) + _vault_urls(alice, vault["tag"]):
        response = getattr(charlie_client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert b"Alice secret" not in response.content
    assert _snapshot(alice) == before


def test_a_random_uuid_is_404_too(alice_client):
    missing = Prompt(pk=uuid.uuid4(), content="", name="")
    for method, url, data in _prompt_urls(missing):
        assert getattr(alice_client, method)(url, data).status_code == 404, url
    tag_url = reverse("prompts:tag_update", args=[uuid.uuid4()])
    assert alice_client.post(tag_url, {"name": "x", "color": "#000000"}).status_code == 404
    assert alice_client.get(reverse("prompts:list") + f"?vault={uuid.uuid4()}").status_code == 404
    assert alice_client.get(reverse("prompts:list") + "?vault=not-a-uuid").status_code == 404


def test_non_uuid_ids_do_not_resolve(alice_client):
    assert alice_client.get("/prompts/123/").status_code == 404
    assert alice_client.get("/prompts/../etc/passwd/").status_code == 404


def test_charlies_bulk_actions_with_alices_ids_change_nothing(vault, alice, charlie_client):
    before = _snapshot(alice)
    pk = str(vault["prompt"].pk)
    for data in [
        {"action": "move", "ids": [pk], "folder": "stolen"},
        {"action": "tag", "ids": [pk], "tag": "stolen"},
        {"action": "untag", "ids": [pk], "tag": "mine"},
        {"action": "delete", "ids": [pk]},
        {"action": "delete", "ids": [pk], "confirmed": "1"},
    ]:
        response = charlie_client.post(reverse("prompts:bulk"), data)
        assert response.status_code in (302, 200)
        assert b"Alice secret" not in response.content
    assert _snapshot(alice) == before
    assert not Tag.objects.filter(name="stolen").exists()


def test_charlie_cannot_merge_alices_tags(vault, alice, charlie, charlie_client):
    before = _snapshot(alice)
    his = services.tag_create(owner=charlie, name="his")
    for source, target in [
        (vault["tag"], vault["other_tag"]),
        (vault["tag"], his),
        (his, vault["tag"]),
    ]:
        response = charlie_client.post(
            reverse("prompts:tag_merge"),
            {"source": str(source.pk), "target": str(target.pk), "confirmed": "1"},
        )
        # Refused: not found, or his merge form shown again because her tags aren't choices.
        assert response.status_code in (200, 404)
    assert _snapshot(alice) == before
    assert Tag.objects.filter(pk=his.pk).exists()


def test_charlies_own_folder_rename_never_touches_alices_prompts(vault, alice, charlie):
    PromptFactory(user=charlie, folder="secret/plans")
    services.folder_rename(owner=charlie, old_path="secret", new_path="mine")
    vault["prompt"].refresh_from_db()
    assert vault["prompt"].folder == "secret/plans"


def test_charlies_export_never_contains_alices_prompts(vault, charlie, charlie_client):
    PromptFactory(user=charlie, name="Charlie own")
    pk = str(vault["prompt"].pk)
    for query in [
        {"format": "json"},
        {"format": "json", "ids": [pk]},
        {"format": "json", "scope": "folder", "folder": "secret"},
        {"format": "csv", "ids": [pk]},
        {"format": "markdown", "ids": [pk]},
    ]:
        response = charlie_client.get(reverse("prompts:export"), query)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert b"Alice secret" not in body
        assert b"alpha" not in body and b"beta" not in body
    everything = charlie_client.get(reverse("prompts:export"), {"format": "json"})
    names = [p["name"] for p in json.loads(b"".join(everything.streaming_content))["prompts"]]
    assert names == ["Charlie own"]


def test_charlies_vault_page_search_and_dashboard_show_nothing_of_alices(vault, charlie_client):
    for url in [
        reverse("prompts:list"),
        reverse("prompts:list") + "?q=alpha",
        reverse("prompts:list") + "?q=Alice",
        reverse("prompts:list") + "?folder=secret",
        reverse("prompts:list") + "?tag=mine",
        reverse("prompts:folders"),
        reverse("prompts:tags"),
        reverse("prompts:export"),
        reverse("home"),
    ]:
        response = charlie_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Alice secret" not in html
        assert "secret/plans" not in html


def test_anonymous_visitors_are_sent_to_log_in_on_every_url(vault, alice, client):
    before = _snapshot(alice)
    urls = _prompt_urls(vault["prompt"]) + _vault_urls(alice, vault["tag"])
    urls += [
        ("get", reverse("prompts:list"), {}),
        ("get", reverse("prompts:create"), {}),
        ("post", reverse("prompts:bulk"), {"action": "delete", "ids": [str(vault["prompt"].pk)]}),
        ("get", reverse("prompts:export"), {}),
        ("get", reverse("prompts:folders"), {}),
        ("get", reverse("prompts:tags"), {}),
        ("post", reverse("prompts:tag_merge"), {}),
    ]
    login = reverse("accounts:login")
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(login + "?next="), url
    assert _snapshot(alice) == before
