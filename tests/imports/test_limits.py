"""What one upload may cost a worker: an archive is judged by its expansion as a whole, not
only entry by entry, and the candidate text kept from one upload has a ceiling."""

import gc
import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports import services
from apps.imports.models import ImportCandidate, ImportSession
from apps.imports.parsers import UnsafeArchiveError, extract
from apps.imports.parsers.base import Budget, open_bundle


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _prompt_files(count: int, size: int) -> dict[str, bytes]:
    """`count` text files of `size` bytes, each different, compressing about two to one."""
    return {
        f"prompts/{number:03}.txt": os.urandom(size // 2).hex().encode() for number in range(count)
    }


def _forbid_reading(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a member was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def _session(user, name: str, data: bytes) -> ImportSession:
    return services.session_create(user=user, files=[SimpleUploadedFile(name, data)])


# --- The archive as a whole -----------------------------------------------------------------


def test_many_small_entries_that_together_expand_too_far_are_refused_before_reading(
    tmp_path, monkeypatch
):
    # No entry passes 1 MiB, so none is judged by its own ratio: the archive as a whole is.
    upload = tmp_path / "many-small.zip"
    upload.write_bytes(_zip({f"prompts/{n}.md": b"a" * (256 * 1024) for n in range(40)}))
    assert upload.stat().st_size < 40 * 1024  # 10 MiB declared
    _forbid_reading(monkeypatch)

    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        open_bundle(upload)
    with pytest.raises(UnsafeArchiveError):
        list(extract(upload))


def test_an_archive_expanding_modestly_is_read(tmp_path):
    upload = tmp_path / "ordinary.zip"
    upload.write_bytes(_zip(_prompt_files(20, 100_000)))

    assert len(list(extract(upload, "file"))) == 20


def test_the_reading_budget_counts_bytes_expanded_once_however_often_they_are_read():
    budget = Budget(10_000_000, expansion_limit=1000)
    budget.spend("a.md", 0, 600)
    budget.spend("a.md", 0, 600)  # a parser peeks, then reads the member again
    budget.spend("b.md", 0, 400)

    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        budget.spend("b.md", 400, 1)


# --- The candidate text kept from one upload ------------------------------------------------


@pytest.mark.django_db
def test_reading_stops_at_the_candidate_text_cap_and_keeps_what_came_before(
    alice, alice_client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_CANDIDATE_BYTES = 50_000
    session = _session(alice, "prompts.zip", _zip(_prompt_files(20, 5_000)))

    services.session_extract(session=session)

    session.refresh_from_db()
    assert session.status == ImportSession.Status.READY
    contents = list(session.candidates.order_by("position").values_list("content", flat=True))
    assert 0 < len(contents) < 20
    assert sum(len(text.encode()) for text in contents) <= 50_000
    # The first files of the archive, in order: reading stopped, it didn't skip around.
    assert [text[:20] for text in contents] == [
        text[:20] for text in list(_stored_texts(session))[: len(contents)]
    ]
    assert session.metadata["stopped_at_cap"] == 50_000
    page = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "stopped reading" in page

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})
    session.refresh_from_db()
    assert session.status == ImportSession.Status.DONE
    assert session.imported_count == len(contents)
    result = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert "stopped reading" in result


def _stored_texts(session):
    with zipfile.ZipFile(session.file.path) as archive:
        for name in sorted(archive.namelist()):
            yield archive.read(name).decode()


@pytest.mark.django_db
def test_an_upload_under_the_cap_says_nothing_about_it(alice, settings):
    settings.IMPORT_MAX_CANDIDATE_BYTES = 50_000
    session = _session(alice, "prompts.zip", _zip(_prompt_files(5, 5_000)))

    services.session_extract(session=session)

    session.refresh_from_db()
    assert session.candidates.count() == 5
    assert "stopped_at_cap" not in session.metadata


@pytest.mark.django_db
def test_candidates_are_written_in_batches_bounded_by_their_text(alice, monkeypatch):
    monkeypatch.setattr(services, "BATCH_BYTES", 250_000, raising=False)
    written = []
    real = services.insert_rows

    def recording(model, rows):
        if model is ImportCandidate:
            written.append(sum(len(row["content"].encode()) for row in rows))
        real(model, rows)

    monkeypatch.setattr(services, "insert_rows", recording)
    session = _session(alice, "prompts.zip", _zip(_prompt_files(30, 100_000)))

    services.session_extract(session=session)

    assert session.candidates.count() == 30
    assert sum(written) == 30 * 100_000
    # A batch is written once it reaches the bound, so it never holds more than one prompt
    # beyond it.
    assert max(written) < 250_000 + 100_000


@pytest.mark.django_db
def test_reading_a_large_upload_holds_about_the_cap_in_memory_not_the_upload(alice, settings):
    settings.IMPORT_MAX_CANDIDATE_BYTES = 1_000_000
    warm_up = _session(alice, "small.zip", _zip(_prompt_files(3, 1_000)))
    services.session_extract(session=warm_up)
    session = _session(alice, "prompts.zip", _zip(_prompt_files(80, 100_000)))  # 8 MB of text
    gc.collect()

    tracemalloc.start()
    try:
        services.session_extract(session=session)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 4_000_000
    session.refresh_from_db()
    assert session.metadata["stopped_at_cap"] == 1_000_000
