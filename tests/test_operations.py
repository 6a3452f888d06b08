"""The operational commands: reconcile_counts, export_vault and cleanup (seed_demo has
tests/prompts/test_seed_demo.py)."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from apps.accounts.models import Tier, User
from apps.imports.models import ImportSession
from apps.sharing.models import Share
from apps.teams.models import TeamInvite
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory
from tests.sharing.factories import ShareFactory
from tests.teams.factories import TeamInviteFactory


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


# --- reconcile_counts -----------------------------------------------------------------------


@pytest.mark.django_db
def test_reconcile_counts_repairs_wrong_cached_counts_and_says_how_many(alice, charlie):
    PromptFactory.create_batch(3, user=alice)
    PromptFactory(user=charlie)
    User.objects.filter(pk=alice.pk).update(prompt_count=7)

    output = run("reconcile_counts")

    assert "Fixed 1 prompt count." in output
    alice.refresh_from_db()
    charlie.refresh_from_db()
    assert (alice.prompt_count, charlie.prompt_count) == (3, 1)
    assert "Fixed 0 prompt counts." in run("reconcile_counts")


# --- export_vault ---------------------------------------------------------------------------


@pytest.fixture
def alice_vault(alice, charlie):
    first = PromptFactory(user=alice, name="Greeting", content="Hello {{name}}", tags=["intro"])
    PromptFactory(user=alice, name="Summary", folder="work/notes", content="Sum up {{text}}")
    PromptFactory(user=charlie, name="Not Alice's")
    from apps.prompts import services

    services.prompt_update(prompt=first, author=alice, content="Hi {{name}}", change_message="Hi")
    return alice


@pytest.mark.django_db
def test_export_vault_writes_json_with_every_version_to_stdout(alice_vault):
    output = run("export_vault", "--email", "ALICE@example.com")

    document = json.loads(output)
    assert document["format"] == "promptvault-export"
    by_name = {record["name"]: record for record in document["prompts"]}
    assert set(by_name) == {"Greeting", "Summary"}
    assert [v["content"] for v in by_name["Greeting"]["versions"]] == [
        "Hello {{name}}",
        "Hi {{name}}",
    ]
    assert by_name["Greeting"]["tags"] == [{"name": "intro", "color": "#3B82F6"}]


@pytest.mark.django_db
def test_export_vault_writes_csv_to_a_file(alice_vault, tmp_path):
    target = tmp_path / "vault.csv"

    run("export_vault", "--email", alice_vault.email, "--format", "csv", "--output", str(target))

    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["Greeting", "Summary"]
    assert {row["folder"] for row in rows} == {"", "work/notes"}
    assert not list(tmp_path.glob(".*.partial"))


@pytest.mark.django_db
def test_export_vault_writes_a_markdown_zip_to_a_file(alice_vault, tmp_path):
    target = tmp_path / "vault.zip"

    run("export_vault", "--email", alice_vault.email, "--format", "markdown", "--output", target)

    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert names == ["promptvault/Greeting.md", "promptvault/work/notes/Summary.md"]
        assert "Hi {{name}}" in archive.read("promptvault/Greeting.md").decode()


@pytest.mark.django_db
def test_export_vault_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No account"):
        run("export_vault", "--email", "nobody@example.com")


@pytest.mark.django_db
def test_export_vault_reports_an_unwritable_output_and_leaves_nothing_behind(alice_vault, tmp_path):
    target = tmp_path / "missing-folder" / "vault.json"

    with pytest.raises(CommandError, match="Could not write"):
        run("export_vault", "--email", alice_vault.email, "--output", str(target))

    assert not target.exists()


# --- cleanup --------------------------------------------------------------------------------


@pytest.fixture
def stale_and_fresh(alice, settings, tmp_path):
    """One thing of each kind that cleanup must remove, and one beside it that must stay."""
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    alice.tier = Tier.PRO
    alice.save()
    invite = {"invited_by": alice}
    objects = {
        "old_invite": TeamInviteFactory(**invite, expires_at=now - timedelta(days=31)),
        "recent_expired_invite": TeamInviteFactory(**invite, expires_at=now - timedelta(days=29)),
        "old_accepted_invite": TeamInviteFactory(
            **invite, expires_at=now - timedelta(days=60), accepted=True, accepted_at=now
        ),
        "live_invite": TeamInviteFactory(**invite),
    }
    prompt = PromptFactory(user=alice)
    share = {"prompt": prompt}
    objects |= {
        "old_expired_share": ShareFactory(**share, expires_at=now - timedelta(days=91)),
        "old_revoked_share": ShareFactory(**share, revoked_at=now - timedelta(days=91)),
        "recently_revoked_share": ShareFactory(**share, revoked_at=now - timedelta(days=10)),
        "recently_expired_share": ShareFactory(**share, expires_at=now - timedelta(days=89)),
        "live_share": ShareFactory(**share, expires_at=now + timedelta(days=1)),
        "forever_share": ShareFactory(**share),
    }

    def session(status, *, age=timedelta(0)):
        made = ImportSessionFactory(user=alice, status=status)
        made.file.save("export.json", ContentFile(b"[]"), save=True)
        ImportSession.objects.filter(pk=made.pk).update(created_at=now - age)
        return made

    objects |= {
        "done_session": session(ImportSession.Status.DONE),
        "failed_session": session(ImportSession.Status.FAILED),
        "cancelled_session": session(ImportSession.Status.CANCELLED),
        "abandoned_session": session(ImportSession.Status.READY, age=timedelta(days=2)),
        "active_session": session(ImportSession.Status.EXTRACTING, age=timedelta(hours=2)),
    }
    return objects


def _exists(instance) -> bool:
    return type(instance).objects.filter(pk=instance.pk).exists()


@pytest.mark.django_db
def test_cleanup_removes_stale_invites_shares_and_upload_files(stale_and_fresh):
    objects = stale_and_fresh
    storage = ImportSession._meta.get_field("file").storage
    files = {key: obj.file.name for key, obj in objects.items() if key.endswith("_session")}

    output = run("cleanup")

    assert "Deleted 1 expired team invites." in output
    assert "Deleted 2 expired or revoked share links." in output
    assert "Deleted 4 import upload files." in output
    gone = {"old_invite", "old_expired_share", "old_revoked_share"}
    for key, obj in objects.items():
        if isinstance(obj, (TeamInvite, Share)):
            assert _exists(obj) == (key not in gone), key
    for key, name in files.items():
        session = ImportSession.objects.get(pk=objects[key].pk)
        if key == "active_session":
            assert session.file.name == name and storage.exists(name)
        else:
            assert session.file.name == "" and not storage.exists(name), key


@pytest.mark.django_db
def test_cleanup_dry_run_counts_without_changing_anything(stale_and_fresh):
    before = (TeamInvite.objects.count(), Share.objects.count())

    output = run("cleanup", "--dry-run")

    assert "Would delete 1 expired team invites." in output
    assert "Would delete 2 expired or revoked share links." in output
    assert "Would delete 4 import upload files." in output
    assert (TeamInvite.objects.count(), Share.objects.count()) == before
    assert ImportSession.objects.exclude(file="").count() == 5


@pytest.mark.django_db
def test_cleanup_with_nothing_to_do_reports_zero():
    output = run("cleanup")

    assert "Deleted 0 expired team invites." in output
    assert "Deleted 0 import upload files." in output
