"""PromptVault's own JSON export read back through the import, with the choices the preview
offers by default, gives the same vault."""

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.imports.models import ImportSession
from apps.prompts import services as prompt_services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def export(client: Client) -> bytes:
    response = client.get(reverse("prompts:export"), {"format": "json"})
    return b"".join(response.streaming_content)


def comparable(document: bytes) -> list[dict]:
    prompts = []
    for prompt in json.loads(document)["prompts"]:
        prompt = {k: v for k, v in prompt.items() if k not in {"id", "created_at", "updated_at"}}
        prompt["versions"] = [
            {k: v for k, v in version.items() if k != "created_at"}
            for version in prompt["versions"]
        ]
        prompts.append(prompt)
    return sorted(prompts, key=lambda prompt: prompt["name"])


def test_an_export_imported_with_the_default_choices_comes_back_exactly(
    alice, client, django_capture_on_commit_callbacks
):
    travel = PromptFactory(
        user=alice,
        name="Travel",
        content="Plan a trip to {{city}}",
        folder="life/travel",
        tags=["trip", "Family"],
        description="Holiday helper",
        metadata={"temperature": 0.3},
    )
    prompt_services.prompt_update(
        prompt=travel, author=alice, content="Plan a 3-day trip to {{city}}", change_message="v2"
    )
    prompt_services.prompt_update(
        prompt=travel, author=alice, content="Plan a weekend in {{city}}", change_message="v3"
    )
    # A key chosen by hand, not the one the name would give.
    prompt_services.prompt_update(prompt=travel, author=alice, key="trips.weekend")
    prompt_services.label_set(prompt=travel, label="production", version=2, user=alice)
    prompt_services.label_set(prompt=travel, label="staging", version=3, user=alice)
    PromptFactory(
        user=alice,
        name="Standup",
        content="Summarise my standup notes",
        model="claude-sonnet-4",
        folder="work",
        is_public=True,
    )
    PromptFactory(user=alice, name="Top level", content="A prompt at the top level")
    alice.tags.filter(name="trip").update(color="#FF0000")
    client.force_login(alice)
    exported = export(client)

    other = UserFactory(email="copy@example.com", name=alice.name)
    other_client = Client()
    other_client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(
            reverse("imports:list"),
            {"files": [SimpleUploadedFile("promptvault-20261201-0900.json", exported)]},
        )
    session = ImportSession.objects.get(user=other)
    assert session.status == ImportSession.Status.READY, session.error
    preview = other_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    folder = re.search(r'name="folder"[^>]*?value="([^"]*)"', preview)
    default_folder = folder.group(1) if folder else ""
    # The prompts keep their own folders: nothing is put under imports/…
    assert default_folder == ""
    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(
            reverse("imports:start", args=[session.pk]), {"folder": default_folder, "tags": ""}
        )
    session.refresh_from_db()
    assert session.imported_count == 3

    assert comparable(export(other_client)) == comparable(exported)
    again = {prompt["name"]: prompt for prompt in comparable(export(other_client))}
    assert again["Travel"]["key"] == "trips.weekend"
    assert again["Travel"]["folder"] == "life/travel"
    assert [v["change_message"] for v in again["Travel"]["versions"]][1:] == ["v2", "v3"]
    assert again["Standup"]["is_public"] is True
    assert again["Travel"]["labels"] == {"production": 2, "staging": 3}
    assert again["Standup"]["labels"] == {}
    copy = other.prompts.get(name="Travel")
    assert list(copy.label_moves.order_by("label").values_list("label", "to_version")) == [
        ("production", 2),
        ("staging", 3),
    ]
    assert {tag["name"]: tag["color"] for tag in again["Travel"]["tags"]}["trip"] == "#FF0000"


def test_a_key_already_taken_in_the_importing_vault_gets_a_free_one(
    alice, client, django_capture_on_commit_callbacks
):
    PromptFactory(user=alice, name="Refund reply", content="Write a refund reply")
    client.force_login(alice)
    exported = export(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:list"), {"files": [SimpleUploadedFile("vault.json", exported)]}
        )
    session = ImportSession.objects.get(user=alice)
    session.candidates.update(selected=True)  # the same text is already in the vault
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})

    assert sorted(alice.prompts.values_list("key", flat=True)) == [
        "refund-reply",
        "refund-reply-2",
    ]


def test_a_label_pointing_at_a_missing_version_refuses_that_prompt_with_the_reason(
    alice, client, django_capture_on_commit_callbacks
):
    document = {
        "format": "promptvault-export",
        "format_version": 1,
        "prompts": [
            {
                "name": "Edited by hand",
                "content": "Second text",
                "versions": [
                    {"version": 1, "content": "First text"},
                    {"version": 2, "content": "Second text"},
                ],
                "labels": {"production": 7},
            },
            {"name": "Fine", "content": "Untouched", "labels": {"production": 1}},
        ],
    }
    client.force_login(alice)
    upload = SimpleUploadedFile("vault.json", json.dumps(document).encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:list"), {"files": [upload]})
    session = ImportSession.objects.get(user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})
    session.refresh_from_db()

    assert session.imported_count == 1
    assert list(session.metadata["invalid"].values()) == [
        "“Edited by hand”: The label production points at version 7, which isn't there."
    ]
    fine = alice.prompts.get()
    assert dict(fine.labels.values_list("name", "version__version")) == {"production": 1}
