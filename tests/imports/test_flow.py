"""The import flow end to end: upload, reading in the background, preview, choices, import."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.imports import services
from apps.imports.models import ImportCandidate, ImportSession
from apps.prompts.models import Prompt
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

MARKDOWN = """---
name: Release notes
description: Turn commits into notes
tags: [writing, release]
model: gpt-4o
folder: engineering
---
Summarise these commits for {{audience}}:

{{commits}}
"""

PROMPTS_JSON = json.dumps(
    [
        {"name": "Tweet", "content": "Write a tweet about {{topic}}", "tags": ["social"]},
        {"name": "Haiku", "content": "Write a haiku about {{season}}"},
        {"name": "Tweet again", "content": "Write a tweet   about {{topic}}"},
        {"name": "Email", "content": "Draft an email to {{person}}"},
    ]
)


@pytest.fixture
def uploader(alice_client, django_capture_on_commit_callbacks):
    """Upload files as alice, running the background reading at once."""

    def upload(*files, source="", expect=302):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(
                reverse("imports:list"), {"files": list(files), "source": source}
            )
        assert response.status_code == expect, response.content[:2000]
        return ImportSession.objects.order_by("-created_at").first(), response

    return upload


def _file(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data)


def _start(client, session, callbacks, **choices):
    with callbacks(execute=True):
        return client.post(reverse("imports:start", args=[session.pk]), choices)


def test_a_markdown_file_goes_from_upload_to_prompt(
    alice, alice_client, uploader, django_capture_on_commit_callbacks
):
    session, response = uploader(_file("notes.md", MARKDOWN))
    assert response["Location"] == reverse("imports:detail", args=[session.pk])
    session.refresh_from_db()
    assert session.status == ImportSession.Status.READY
    assert session.source == "file"
    page = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "Release notes" in page and 'data-testid="candidates"' in page
    _start(
        alice_client,
        session,
        django_capture_on_commit_callbacks,
        folder="imports/notes",
        tags="mine",
    )
    session.refresh_from_db()
    assert session.status == ImportSession.Status.DONE
    assert session.imported_count == 1
    prompt = Prompt.objects.get(user=alice)
    assert prompt.name == "Release notes"
    assert prompt.folder == "imports/notes/engineering"  # the file's folder, under the chosen one
    assert sorted(prompt.tags.values_list("name", flat=True)) == ["mine", "release", "writing"]
    assert list(prompt.versions.values_list("version", flat=True)) == [1]
    assert prompt.metadata["imported_from"]["source"] == "file"
    alice.refresh_from_db()
    assert alice.prompt_count == 1
    result = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert reverse("prompts:detail", args=[prompt.pk]) in result
    assert not session.file  # the upload is deleted once the session ends


def test_duplicates_are_marked_in_the_file_and_against_the_vault(alice, alice_client, uploader):
    PromptFactory(user=alice, content="Draft an email to {{person}}")
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    rows = {c.name: c for c in ImportCandidate.objects.filter(session=session)}
    assert rows["Tweet"].duplicate == ""
    assert rows["Tweet again"].duplicate == "file"  # same text, other spacing
    assert rows["Email"].duplicate == "vault"
    assert not rows["Email"].selected and not rows["Tweet again"].selected
    assert rows["Haiku"].selected
    page = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "already in vault" in page and "repeated" in page


def test_selection_all_none_new_and_per_page(alice_client, uploader):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    url = reverse("imports:select", args=[session.pk])
    alice_client.post(url, {"mode": "all"})
    assert session.candidates.filter(selected=True).count() == 4
    alice_client.post(url, {"mode": "none"})
    assert session.candidates.filter(selected=True).count() == 0
    alice_client.post(url, {"mode": "new"})
    assert set(session.candidates.filter(selected=True).values_list("name", flat=True)) == {
        "Tweet",
        "Haiku",
        "Email",
    }
    haiku = session.candidates.get(name="Haiku")
    tweet = session.candidates.get(name="Tweet")
    alice_client.post(url, {"on_page": [haiku.pk, tweet.pk], "selected": [tweet.pk]})
    haiku.refresh_from_db()
    tweet.refresh_from_db()
    assert not haiku.selected and tweet.selected
    htmx = alice_client.post(url, {"on_page": [haiku.pk]}, headers={"HX-Request": "true"})
    assert b'id="selection-count"' in htmx.content


def test_a_second_import_of_the_same_file_skips_everything_as_duplicate(
    alice, alice_client, uploader, django_capture_on_commit_callbacks
):
    first, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    _start(alice_client, first, django_capture_on_commit_callbacks, folder="a")
    assert Prompt.objects.filter(user=alice).count() == 3
    second, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    assert not second.candidates.filter(selected=True).exists()
    _start(alice_client, second, django_capture_on_commit_callbacks, folder="a")
    second.refresh_from_db()
    assert second.imported_count == 0
    assert second.metadata["skipped"]["duplicate"] == 4
    assert second.skipped_count == 4
    assert Prompt.objects.filter(user=alice).count() == 3


def test_a_free_user_gets_the_first_prompts_up_to_the_limit(
    alice, alice_client, uploader, django_capture_on_commit_callbacks
):
    for index in range(48):
        PromptFactory(user=alice, name=f"Existing {index}", content=f"Existing prompt {index}")
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    alice_client.post(reverse("imports:select", args=[session.pk]), {"mode": "all"})
    page = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "room for 2 more prompts" in page
    _start(alice_client, session, django_capture_on_commit_callbacks, folder="")
    session.refresh_from_db()
    assert session.imported_count == 2
    assert session.metadata["skipped"]["plan_limit"] == 2
    alice.refresh_from_db()
    assert alice.prompt_count == 50 == Prompt.objects.filter(user=alice).count()
    result = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "didn't fit in your plan" in result


def test_a_failure_part_way_stores_no_prompt(
    alice, alice_client, uploader, django_capture_on_commit_callbacks, monkeypatch
):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    alice_client.post(reverse("imports:select", args=[session.pk]), {"mode": "all"})
    from apps.prompts.services import bulk

    real = bulk._attach_tags

    def broken(owner, rows):
        real(owner, rows)
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_attach_tags", broken)
    _start(alice_client, session, django_capture_on_commit_callbacks, folder="x")
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED
    assert "nothing was imported" in session.error
    assert not Prompt.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert alice.prompt_count == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("unknown.bin", b"\x89PNG\r\n\x1a\n" + bytes(200), "doesn't recognise"),
        ("broken.json", b'[{"name": "a", "content": "b"}, {"name": ', "truncated"),
        ("latin.json", '[{"name": "caf\xe9", "content": "na\xefve"}]'.encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_files_fail_with_a_clear_message_and_store_nothing(
    alice, uploader, name, data, message
):
    session, _ = uploader(_file(name, data))
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED
    assert message.lower() in session.error.lower()
    assert not session.candidates.exists()
    assert not Prompt.objects.filter(user=alice).exists()
    assert not session.file


def _zip(entries: dict[str, bytes], **kwargs) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused(alice, uploader, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    session, _ = uploader(
        _file("bomb.zip", _zip({"conversations.json": b"[" + b" " * (20 * 1024 * 1024) + b"]"}))
    )
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED
    assert "zip bomb" in session.error or "expands" in session.error


def test_a_path_traversal_entry_is_refused(alice, uploader, tmp_path):
    session, _ = uploader(_file("evil.zip", _zip({"../../etc/passwd": b"root:x:0:0"})))
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED
    assert "outside" in session.error


def test_thousands_of_empty_entries_are_refused(alice, uploader, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 100
    session, _ = uploader(_file("many.zip", _zip({f"empty-{i}.txt": b"" for i in range(150)})))
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED
    assert "entries" in session.error


def test_an_empty_upload_is_refused_at_once(alice, uploader):
    _session, response = uploader(_file("empty.md", b""), expect=400)
    assert b"empty" in response.content
    assert not ImportSession.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(alice, alice_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = alice_client.post(
        reverse("imports:list"), {"files": [_file("big.md", b"x" * 200_000)]}
    )
    assert response.status_code == 413
    assert b"larger than" in response.content
    assert not ImportSession.objects.exists()


def test_the_upload_handler_stops_a_body_that_lies_about_its_length(alice, rf, settings):
    from apps.imports.uploads import SizeLimitedUploadHandler

    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    handler = SizeLimitedUploadHandler()
    from django.core.files.uploadhandler import StopUpload

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 11, 0)
    assert handler.exceeded


def test_several_files_are_read_together(alice, uploader):
    session, _ = uploader(
        _file("one.md", "# One\nFirst prompt text"), _file("two.md", "# Two\nSecond prompt text")
    )
    session.refresh_from_db()
    assert session.status == ImportSession.Status.READY
    assert {c.content.strip() for c in session.candidates.all()} >= {
        "First prompt text",
        "Second prompt text",
    }


def test_the_source_can_be_overridden(
    alice, alice_client, uploader, django_capture_on_commit_callbacks
):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:source", args=[session.pk]), {"source": "claude"})
    session.refresh_from_db()
    assert session.source == "claude"
    assert session.status == ImportSession.Status.FAILED  # it isn't a Claude export


def test_discarding_deletes_the_upload_and_candidates(
    alice_client, uploader, django_capture_on_commit_callbacks
):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    stored = Path(session.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:discard", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ImportSession.Status.CANCELLED
    assert not session.candidates.exists()
    assert not stored.exists()


def test_another_users_session_is_404(uploader, charlie):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    client = Client()
    client.force_login(charlie)
    assert client.get(reverse("imports:detail", args=[session.pk])).status_code == 404
    assert (
        client.post(reverse("imports:start", args=[session.pk]), {"folder": "x"}).status_code == 404
    )


def test_the_preview_query_count_is_flat(alice_client, uploader, django_assert_max_num_queries):
    small, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    many = json.dumps([{"name": f"P{i}", "content": f"Prompt number {i}"} for i in range(120)])
    big, _ = uploader(_file("many.json", many))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for session in (small, big):
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(reverse("imports:detail", args=[session.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_progress_fragment_asks_for_a_refresh_when_reading_is_done(alice_client, uploader):
    session, _ = uploader(_file("prompts.json", PROMPTS_JSON))
    response = alice_client.get(
        reverse("imports:detail", args=[session.pk]),
        headers={"HX-Request": "true", "HX-Target": "import-progress"},
    )
    assert response["HX-Refresh"] == "true"


def test_reading_progress_is_reported(alice, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", -1)
    seen = []
    real = services._set_progress
    monkeypatch.setattr(
        services,
        "_set_progress",
        lambda pk, done, total: (seen.append((done, total)), real(pk, done, total)),
    )
    session = services.session_create(user=alice, files=[_file("prompts.json", PROMPTS_JSON)])
    services.session_extract(session=session)
    assert seen and all(0 < done <= total for done, total in seen)
    assert seen[-1][1] == len(PROMPTS_JSON.encode())


def test_round_trip_through_the_json_export_is_lossless(
    alice, client, django_capture_on_commit_callbacks
):
    from apps.prompts import services as prompt_services

    first = PromptFactory(
        user=alice,
        name="Travel",
        content="Plan a trip to {{city}}",
        folder="life/travel",
        tags=["trip"],
        description="Holiday helper",
        metadata={"temperature": 0.3},
    )
    prompt_services.prompt_update(
        prompt=first,
        author=alice,
        content="Plan a 3-day trip to {{city}}",
        change_message="shorter",
    )
    PromptFactory(
        user=alice,
        name="Standup",
        content="Summarise my standup notes",
        model="claude-sonnet-4",
        is_public=True,
    )
    alice.tags.filter(name="trip").update(color="#FF0000")
    client.force_login(alice)
    exported = b"".join(client.get(reverse("prompts:export"), {"format": "json"}).streaming_content)

    other = UserFactory(email="copy@example.com", name=alice.name)
    other_client = Client()
    other_client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(reverse("imports:list"), {"files": [_file("vault.json", exported)]})
    session = ImportSession.objects.get(user=other)
    assert session.status == ImportSession.Status.READY, session.error
    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})
    again = b"".join(
        other_client.get(reverse("prompts:export"), {"format": "json"}).streaming_content
    )

    def comparable(document: bytes):
        data = json.loads(document)
        prompts = []
        for prompt in data["prompts"]:
            prompt = {
                k: v for k, v in prompt.items() if k not in {"id", "created_at", "updated_at"}
            }
            prompt["versions"] = [
                {k: v for k, v in version.items() if k not in {"created_at"}}
                for version in prompt["versions"]
            ]
            prompts.append(prompt)
        return sorted(prompts, key=lambda p: p["name"])

    assert comparable(again) == comparable(exported)


def test_the_upload_still_checks_csrf(alice):
    """The upload view installs its size limit before the body is read, so the middleware's
    CSRF check is done inside the view instead: it must still refuse a forged post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    forged = client.post(reverse("imports:list"), {"files": [_file("a.md", "# A\nhello")]})
    assert forged.status_code == 403
    assert not ImportSession.objects.exists()
    client.get(reverse("imports:list"))
    token = client.cookies["csrftoken"].value
    genuine = client.post(
        reverse("imports:list"),
        {"files": [_file("a.md", "# A\nhello")], "csrfmiddlewaretoken": token},
    )
    assert genuine.status_code == 302
