"""Unaccepted team invites that expired over 30 days ago; and each person's count of teams is
put right where something other than the teams services changed a membership.

`manage.py cleanup` calls `cleanup` below; the first paragraph is its help text."""

from apps.teams.services import invites_cleanup, membership_counts_sync


def cleanup(*, dry_run: bool) -> list[str]:
    """Remove (or on a dry run count) what this app no longer needs; one report line each."""
    invites = invites_cleanup(dry_run=dry_run)
    counts = membership_counts_sync(dry_run=dry_run)
    if dry_run:
        return [
            f"Would delete {invites} expired team invites.",
            f"Would correct the team count of {counts} people.",
        ]
    return [
        f"Deleted {invites} expired team invites.",
        f"Corrected the team count of {counts} people.",
    ]
