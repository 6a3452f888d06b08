"""Share links expired or revoked over 90 days ago.

`manage.py cleanup` calls `cleanup` below; the first paragraph is its help text."""

from apps.sharing.services import shares_cleanup


def cleanup(*, dry_run: bool) -> list[str]:
    """Remove (or on a dry run count) what this app no longer needs; one report line each."""
    shares = shares_cleanup(dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    return [f"{verb} {shares} expired or revoked share links."]
