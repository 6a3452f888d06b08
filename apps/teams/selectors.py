"""Reads about team membership. An accepted, unrevoked invite is the membership."""

from apps.accounts.models import User


def member_role(*, user: User, owner_id) -> str | None:
    """The role `user` holds in `owner_id`'s vault through an accepted invite, or None."""
    from apps.teams.models import TeamInvite

    invite = (
        TeamInvite.objects.filter(
            invited_by_id=owner_id, accepted_by=user, accepted=True, revoked_at__isnull=True
        )
        .only("role")
        .first()
    )
    return invite.role if invite else None
