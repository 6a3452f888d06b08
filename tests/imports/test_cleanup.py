"""Import sessions left in review: `cleanup` clears their candidates after a while and the
session says it expired, instead of holding the rows for ever."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.imports.models import ImportCandidate, ImportSession
from tests.imports.factories import ImportSessionFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("cleanup", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def in_review(alice, settings, tmp_path):
    """Make a session of alice's waiting in review since `age` ago, with `count` candidates."""
    settings.MEDIA_ROOT = tmp_path

    def make(*, age: timedelta, count: int = 3, status=ImportSession.Status.READY):
        session = ImportSessionFactory(user=alice, status=status)
        session.file.save("export.json", ContentFile(b"[]"), save=True)
        ImportCandidate.objects.bulk_create(
            ImportCandidate(
                session=session,
                position=n,
                name=f"Prompt {n}",
                content=f"Prompt text {n}",
                content_key=f"{n:064}",
            )
            for n in range(count)
        )
        since = timezone.now() - age
        ImportSession.objects.filter(pk=session.pk).update(created_at=since, updated_at=since)
        return session

    return make


def test_a_session_left_in_review_too_long_expires_and_loses_its_candidates(in_review, settings):
    settings.IMPORT_REVIEW_MAX_AGE_DAYS = 7
    stale = in_review(age=timedelta(days=8))
    recent = in_review(age=timedelta(days=6))

    output = run()

    assert "Expired 1 import sessions left in review." in output
    stale.refresh_from_db()
    assert stale.status == ImportSession.Status.EXPIRED
    assert stale.finished_at is not None
    assert not stale.candidates.exists()
    assert not stale.file
    recent.refresh_from_db()
    assert recent.status == ImportSession.Status.READY
    assert recent.candidates.count() == 3


def test_the_age_is_a_setting(in_review, settings):
    settings.IMPORT_REVIEW_MAX_AGE_DAYS = 2
    session = in_review(age=timedelta(days=3))

    run()

    session.refresh_from_db()
    assert session.status == ImportSession.Status.EXPIRED


def test_sessions_outside_review_are_left_alone(in_review):
    old = timedelta(days=400)
    kept = {
        status: in_review(age=old, status=status)
        for status in (
            ImportSession.Status.UPLOADED,
            ImportSession.Status.EXTRACTING,
            ImportSession.Status.IMPORTING,
            ImportSession.Status.DONE,
        )
    }

    output = run()

    assert "Expired 0 import sessions left in review." in output
    for status, session in kept.items():
        session.refresh_from_db()
        assert session.status == status
        assert session.candidates.count() == 3


def test_a_dry_run_counts_without_expiring(in_review):
    session = in_review(age=timedelta(days=400))

    output = run("--dry-run")

    assert "Would expire 1 import sessions left in review." in output
    session.refresh_from_db()
    assert session.status == ImportSession.Status.READY
    assert session.candidates.count() == 3


def test_an_expired_session_says_so_and_refuses_every_action(
    alice_client, in_review, django_capture_on_commit_callbacks
):
    session = in_review(age=timedelta(days=400))
    run()
    detail = reverse("imports:detail", args=[session.pk])

    page = alice_client.get(detail)
    assert page.status_code == 200
    assert "expired" in page.content.decode()
    progress = alice_client.get(
        detail, headers={"HX-Request": "true", "HX-Target": "import-progress"}
    )
    assert progress.status_code == 200
    listing = alice_client.get(reverse("imports:list"))
    assert listing.status_code == 200 and "expired" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            alice_client.post(reverse("imports:start", args=[session.pk]), {"folder": ""}),
            alice_client.post(reverse("imports:select", args=[session.pk]), {"mode": "all"}),
            alice_client.post(reverse("imports:source", args=[session.pk]), {"source": "file"}),
            alice_client.post(reverse("imports:discard", args=[session.pk])),
        ]
    assert [response.status_code for response in responses] == [302] * 4
    session.refresh_from_db()
    assert session.status == ImportSession.Status.EXPIRED
    assert session.imported_count == 0


def test_a_session_being_imported_is_never_expired_under_it(in_review):
    """The import locks the row and moves it out of review first; cleanup only expires rows
    still in review when it writes, so the two can't both win."""
    from apps.imports import services

    session = in_review(age=timedelta(days=400))
    services.session_start_import(session=session, folder="", tags="")

    run()

    session.refresh_from_db()
    assert session.status == ImportSession.Status.IMPORTING
    assert session.candidates.count() == 3
