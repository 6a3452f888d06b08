"""Remove what no one can use any more: long-expired team invites, dead share links, the
candidates of import sessions left in review longer than IMPORT_REVIEW_MAX_AGE_DAYS (the
session stays, marked expired), and the upload files of import sessions that are finished or
abandoned. Meant for a daily scheduler.

Grace periods keep recent history visible in the app (an owner can still see that a link was
revoked last week) before the rows disappear.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.imports import services as import_services
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
    ImportSession.Status.EXPIRED,
)


class Command(BaseCommand):
    help = (
        "Delete unaccepted invites expired over 30 days ago, share links expired or revoked "
        "over 90 days ago, the candidates of imports left in review too long, and upload "
        "files of finished or day-old import sessions."
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
        in_review_since = now - timedelta(days=settings.IMPORT_REVIEW_MAX_AGE_DAYS)
        # A session's updated_at is when its reading finished: review began then.
        abandoned = ImportSession.objects.filter(
            status=ImportSession.Status.READY, updated_at__lt=in_review_since
        ).order_by("pk")
        uploads = (
            ImportSession.objects.exclude(file="")
            .filter(Q(status__in=FINISHED) | Q(created_at__lt=now - UPLOAD_MAX_AGE))
            .order_by("pk")
        )

        if dry_run:
            counts = (invites.count(), shares.count(), uploads.count(), abandoned.count())
        else:
            with transaction.atomic():
                invite_count, _ = invites.delete()
                share_count, _ = shares.delete()
            expired_count = expire_abandoned_imports(abandoned)
            counts = (invite_count, share_count, remove_upload_files(uploads), expired_count)

        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {counts[0]} expired team invites.")
        self.stdout.write(f"{verb} {counts[1]} expired or revoked share links.")
        self.stdout.write(f"{verb} {counts[2]} import upload files.")
        expire = "Would expire" if dry_run else "Expired"
        self.stdout.write(f"{expire} {counts[3]} import sessions left in review.")


def expire_abandoned_imports(sessions) -> int:
    """Expire each session, one transaction apiece so a large one holds no lock on the rest.
    Returns how many expired (a session whose import started meanwhile is left alone)."""
    expired = 0
    for session in sessions.only("pk", "file").iterator(chunk_size=500):
        expired += import_services.session_expire(session=session)
    return expired


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
