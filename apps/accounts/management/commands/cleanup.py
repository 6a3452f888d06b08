"""Remove what no one can use any more: long-expired team invites, dead share links, and the
upload files of import sessions that are finished or abandoned. Meant for a daily scheduler.

Grace periods keep recent history visible in the app (an owner can still see that a link was
revoked last week) before the rows disappear.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.imports.models import ImportSession
from apps.sharing.models import Share
from apps.teams.models import TeamInvite

INVITE_GRACE = timedelta(days=30)
SHARE_GRACE = timedelta(days=90)
UPLOAD_MAX_AGE = timedelta(days=1)
FINISHED = (
    ImportSession.Status.DONE,
    ImportSession.Status.FAILED,
    ImportSession.Status.CANCELLED,
)


class Command(BaseCommand):
    help = (
        "Delete unaccepted invites expired over 30 days ago, share links expired or revoked "
        "over 90 days ago, and upload files of finished or day-old import sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go, change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        now = timezone.now()
        invites = TeamInvite.objects.filter(accepted=False, expires_at__lt=now - INVITE_GRACE)
        shares = Share.objects.filter(
            Q(expires_at__lt=now - SHARE_GRACE) | Q(revoked_at__lt=now - SHARE_GRACE)
        )
        uploads = (
            ImportSession.objects.exclude(file="")
            .filter(Q(status__in=FINISHED) | Q(created_at__lt=now - UPLOAD_MAX_AGE))
            .order_by("pk")
        )

        if dry_run:
            counts = (invites.count(), shares.count(), uploads.count())
        else:
            with transaction.atomic():
                invite_count, _ = invites.delete()
                share_count, _ = shares.delete()
            counts = (invite_count, share_count, remove_upload_files(uploads))

        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {counts[0]} expired team invites.")
        self.stdout.write(f"{verb} {counts[1]} expired or revoked share links.")
        self.stdout.write(f"{verb} {counts[2]} import upload files.")


def remove_upload_files(sessions) -> int:
    """Delete each session's stored file and forget its name; the session row and its counts
    stay, as the user's import history. Returns how many files were removed."""
    storage = ImportSession._meta.get_field("file").storage
    removed = 0
    for session in sessions.only("pk", "file").iterator(chunk_size=500):
        name = session.file.name
        # The row forgets the file first: a crash between the two leaves an orphan file on
        # disk, never a session pointing at a file that is gone.
        ImportSession.objects.filter(pk=session.pk).update(file="")
        storage.delete(name)
        removed += 1
    return removed
