"""The candidates of import sessions left in review longer than IMPORT_REVIEW_MAX_AGE_DAYS (the
session stays, marked expired), and the upload files of sessions that are finished or over a day
old.

`manage.py cleanup` calls `cleanup` below; the first paragraph is its help text."""

from apps.imports.services import sessions_cleanup, uploads_cleanup


def cleanup(*, dry_run: bool) -> list[str]:
    """Remove (or on a dry run count) what this app no longer needs; one report line each."""
    # Expiring a session removes its upload too, so expire before counting the uploads.
    expired = sessions_cleanup(dry_run=dry_run)
    uploads = uploads_cleanup(dry_run=dry_run)
    delete, expire = ("Would delete", "Would expire") if dry_run else ("Deleted", "Expired")
    return [
        f"{delete} {uploads} import upload files.",
        f"{expire} {expired} import sessions left in review.",
    ]
