"""PromptVault's own JSON export read back through the import, with the choices the preview
offers by default, gives the same vault: every field, dates included, but the ids."""

import json
import re
from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Tier
from apps.imports.models import ImportSession
from apps.prompts import services as prompt_services
from apps.prompts.models import Prompt, PromptVersion
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def export(client: Client) -> bytes:
    response = client.get(reverse("prompts:export"), {"format": "json"})
    return b"".join(response.streaming_content)


def comparable(document: bytes) -> list[dict]:
    """The exported prompts without their ids (a copy gets new ones), by name."""
    prompts = [
        {k: v for k, v in prompt.items() if k != "id"} for prompt in json.loads(document)["prompts"]
    ]
    return sorted(prompts, key=lambda prompt: prompt["name"])


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def date_prompt(prompt, created, updated, *versions) -> None:
    """Give a prompt and its versions dates of their own, long before the import (an update
    through the queryset leaves auto_now alone)."""
    Prompt.objects.filter(pk=prompt.pk).update(created_at=created, updated_at=updated)
    for number, when in enumerate(versions, start=1):
        PromptVersion.objects.filter(prompt=prompt, version=number).update(created_at=when)


def import_document(client: Client, user, document: bytes, capture) -> ImportSession:
    client.force_login(user)
    with capture(execute=True):
        client.post(
            reverse("imports:list"), {"files": [SimpleUploadedFile("vault.json", document)]}
        )
    session = ImportSession.objects.get(user=user)
    assert session.status == ImportSession.Status.READY, session.error
    with capture(execute=True):
        client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})
    session.refresh_from_db()
    return session


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
    top = PromptFactory(user=alice, name="Top level", content="A prompt at the top level")
    alice.tags.filter(name="trip").update(color="#FF0000")
    # Dates of their own, with microseconds; Travel was last touched (its key) after its
    # newest version.
    date_prompt(
        travel,
        at(2025, 1, 2, 3, 4, 5, 123456),
        at(2025, 3, 9, 10, 0, 0, 1),
        at(2025, 1, 2, 3, 4, 5, 123456),
        at(2025, 2, 14, 18, 30, 0, 500000),
        at(2025, 3, 1, 7, 0, 0, 999999),
    )
    new_year = at(2024, 12, 31, 23, 59, 59)
    date_prompt(alice.prompts.get(name="Standup"), new_year, new_year, new_year)
    date_prompt(top, at(2025, 6, 1, 12), at(2025, 6, 1, 12), at(2025, 6, 1, 12))
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
    assert again["Travel"]["created_at"] == "2025-01-02T03:04:05.123456+00:00"
    assert again["Travel"]["updated_at"] == "2025-03-09T10:00:00.000001+00:00"
    assert [v["created_at"] for v in again["Travel"]["versions"]] == [
        "2025-01-02T03:04:05.123456+00:00",
        "2025-02-14T18:30:00.500000+00:00",
        "2025-03-01T07:00:00.999999+00:00",
    ]
    assert again["Standup"]["created_at"] == "2024-12-31T23:59:59+00:00"
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


def test_without_the_prompts_own_dates_its_versions_give_them(
    alice, client, django_capture_on_commit_callbacks
):
    document = {
        "format": "promptvault-export",
        "format_version": 1,
        "prompts": [
            {
                "name": "Dated by its versions",
                "content": "Second text",
                "versions": [
                    {"version": 1, "content": "First text", "created_at": "2025-04-01T10:00:00Z"},
                    {
                        "version": 2,
                        "content": "Second text",
                        "created_at": "2025-04-03T09:30:00+02:00",
                        "author": "Someone who isn't here",
                    },
                ],
            },
            {
                "name": "From a clock ahead",
                "content": "Later",
                "created_at": "2999-01-01T00:00:00+00:00",
                "versions": [{"version": 1, "content": "Later"}],
            },
        ],
    }
    before = datetime.now(tz=UTC)
    session = import_document(
        client, alice, json.dumps(document).encode(), django_capture_on_commit_callbacks
    )
    assert session.imported_count == 2

    dated = alice.prompts.get(name="Dated by its versions")
    assert (dated.created_at, dated.updated_at) == (at(2025, 4, 1, 10), at(2025, 4, 3, 7, 30))
    assert list(dated.versions.order_by("version").values_list("created_at", "created_by")) == [
        (at(2025, 4, 1, 10), alice.pk),
        (at(2025, 4, 3, 7, 30), alice.pk),
    ]
    # A date past the import's time is the import's time; a version without one is new.
    ahead = alice.prompts.get(name="From a clock ahead")
    after = datetime.now(tz=UTC)
    assert before <= ahead.created_at <= after
    assert before <= ahead.updated_at <= after
    assert before <= ahead.versions.get().created_at <= after


def test_only_promptvaults_own_export_keeps_dates(
    alice, client, django_capture_on_commit_callbacks
):
    # The same fields in a plain list of prompts: the prompt is created by the import, and
    # its date in the file is remembered as where it came from.
    document = [
        {
            "name": "Plain list",
            "content": "Second text",
            "created_at": "2025-04-01T10:00:00+00:00",
            "updated_at": "2025-04-03T10:00:00+00:00",
            "versions": [
                {"version": 1, "content": "First text", "created_at": "2025-04-01T10:00:00Z"},
                {"version": 2, "content": "Second text", "created_at": "2025-04-03T10:00:00Z"},
            ],
        }
    ]
    before = datetime.now(tz=UTC)
    import_document(
        client, alice, json.dumps(document).encode(), django_capture_on_commit_callbacks
    )

    prompt = alice.prompts.get()
    assert before <= prompt.created_at
    assert before <= prompt.updated_at
    assert all(before <= version.created_at for version in prompt.versions.all())
    assert prompt.metadata["imported_from"]["created_at"] == "2025-04-01T10:00:00+00:00"


def test_a_chat_import_keeps_its_date_as_where_the_prompt_came_from(
    alice, client, django_capture_on_commit_callbacks
):
    activity = [
        {
            "header": "Gemini Apps",
            "title": "Prompted Name three rivers in Europe.",
            "time": "2025-03-14T09:21:33.512Z",
            "safeHtmlItem": [{"html": "<p>The Danube…</p>"}],
        }
    ]
    before = datetime.now(tz=UTC)
    import_document(
        client, alice, json.dumps(activity).encode(), django_capture_on_commit_callbacks
    )

    prompt = alice.prompts.get()
    assert before <= prompt.created_at
    assert before <= prompt.updated_at
    assert before <= prompt.versions.get().created_at
    assert prompt.metadata["imported_from"]["created_at"] == "2025-03-14T09:21:33.512000+00:00"


def test_dates_are_kept_across_many_batches_of_rows(alice):
    # More rows than one UPDATE carries, and more prompts than one batch.
    alice.tier = Tier.PRO
    alice.save(update_fields=["tier"])
    items = [
        NewPrompt(
            name=f"Prompt {number}",
            content=f"Text {number}",
            versions=[
                {"content": f"Draft {number}", "created_at": at(2025, 1, 1, 0, 0, number % 60)},
                {"content": f"Text {number}", "created_at": at(2025, 2, 1, 0, number % 60)},
            ],
            created_at=at(2024, 12, 1, 0, 0, number % 60),
        )
        for number in range(700)
    ]
    result = prompts_create_many(owner=alice, author=alice, items=items, batch_size=400)

    assert result.created_count == 700
    assert set(alice.prompts.values_list("name", "created_at", "updated_at")) == {
        (f"Prompt {n}", at(2024, 12, 1, 0, 0, n % 60), at(2025, 2, 1, 0, n % 60))
        for n in range(700)
    }
    assert set(
        PromptVersion.objects.filter(prompt__user=alice).values_list(
            "prompt__name", "version", "created_at"
        )
    ) == {
        (f"Prompt {n}", version, when)
        for n in range(700)
        for version, when in ((1, at(2025, 1, 1, 0, 0, n % 60)), (2, at(2025, 2, 1, 0, n % 60)))
    }
