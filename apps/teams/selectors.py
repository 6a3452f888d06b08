"""Reads about team membership. An accepted, unrevoked invite is the membership: there is no
second table to keep in step with it."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.teams.models import TeamInvite


def active_members(owner_id) -> QuerySet[TeamInvite]:
    """Accepted memberships of `owner_id`'s team that were not ended."""
    return TeamInvite.objects.filter(invited_by_id=owner_id, accepted=True, revoked_at__isnull=True)


def pending_invites(owner_id) -> QuerySet[TeamInvite]:
    """Invites still waiting for an answer: not accepted, not revoked, not expired."""
    return TeamInvite.objects.filter(
        invited_by_id=owner_id,
        accepted=False,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def team_fits_plan(owner: User) -> bool:
    """Whether the owner's plan allows the team as it stands (members, not pending invites)."""
    from promptvault import entitlements

    return entitlements.team_fits_plan(owner, members=active_members(owner.pk))


def member_role(*, user: User, owner_id) -> str | None:
    """The role `user` holds in `owner_id`'s vault, or None. A membership stops working while
    the owner's plan doesn't allow the team; nothing is deleted, so an upgrade restores it."""
    invite = (
        active_members(owner_id)
        .filter(accepted_by=user)
        .select_related("invited_by")
        .only("role", "invited_by__tier", "invited_by__id")
        .first()
    )
    if invite is None or not team_fits_plan(invite.invited_by):
        return None
    return invite.role


def vaults_shared_with(user: User) -> list[TeamInvite]:
    """The memberships of `user`, with the owners, usable or not (the page says which)."""
    memberships = list(
        TeamInvite.objects.filter(accepted_by=user, accepted=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("invited_by__name", "invited_by__email")
    )
    for membership in memberships:
        membership.usable = team_fits_plan(membership.invited_by)
    return memberships


def team_overview(owner: User) -> dict:
    invites = TeamInvite.objects.filter(invited_by=owner).select_related("accepted_by")
    now = timezone.now()
    return {
        "members": list(
            invites.filter(accepted=True, revoked_at__isnull=True).order_by("accepted_at")
        ),
        "pending": list(
            invites.filter(accepted=False, revoked_at__isnull=True, expires_at__gt=now).order_by(
                "-created_at"
            )
        ),
        "past": list(
            invites.filter(
                Q(revoked_at__isnull=False) | Q(accepted=False, expires_at__lte=now)
            ).order_by("-created_at")[:50]
        ),
    }
