"""Unaccepted team invites that expired over 30 days ago.

`manage.py cleanup` calls `cleanup` below; the first paragraph is its help text."""

from apps.teams.services import invites_cleanup


def cleanup(*, dry_run: bool) -> list[str]:
    """Remove (or on a dry run count) what this app no longer needs; one report line each."""
    invites = invites_cleanup(dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    return [f"{verb} {invites} expired team invites."]
