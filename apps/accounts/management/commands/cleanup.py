"""Remove what no one can use any more: long-expired team invites, dead share links, the
candidates of import sessions left in review longer than IMPORT_REVIEW_MAX_AGE_DAYS (the
session stays, marked expired), and the upload files of import sessions that are finished or
abandoned. Meant for a daily scheduler.

Each app decides what of its own is stale (`invites_cleanup`, `shares_cleanup`,
`sessions_cleanup`, `uploads_cleanup`); grace periods there keep recent history visible in the
app (an owner can still see that a link was revoked last week) before the rows disappear.
"""

from django.core.management.base import BaseCommand

from apps.imports import services as import_services
from apps.sharing import services as sharing_services
from apps.teams import services as team_services


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
        invites = team_services.invites_cleanup(dry_run=dry_run)
        shares = sharing_services.shares_cleanup(dry_run=dry_run)
        # Expiring a session removes its upload too, so expire before counting the uploads.
        expired = import_services.sessions_cleanup(dry_run=dry_run)
        uploads = import_services.uploads_cleanup(dry_run=dry_run)

        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {invites} expired team invites.")
        self.stdout.write(f"{verb} {shares} expired or revoked share links.")
        self.stdout.write(f"{verb} {uploads} import upload files.")
        expire = "Would expire" if dry_run else "Expired"
        self.stdout.write(f"{expire} {expired} import sessions left in review.")
