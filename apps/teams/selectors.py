"""Reads about team membership. An accepted, unrevoked invite is the membership: there is no
second table to keep in step with it."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User
from apps.teams.models import TeamInvite


def active_members(owner_id) -> QuerySet[TeamInvite]:
    """Accepted memberships of `owner_id`'s team that were not ended."""
    return TeamInvite.objects.filter(invited_by_id=owner_id, accepted=True, revoked_at__isnull=True)


def memberships_of(member) -> QuerySet[TeamInvite]:
    """Accepted memberships of `member` (a user, an id or an `OuterRef`) that were not ended."""
    return TeamInvite.objects.filter(accepted_by=member, accepted=True, revoked_at__isnull=True)


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
    owner = (
        User.objects.filter(pk=owner_id)
        .annotate(**membership_annotations(user=user, owner_ref="pk"))
        .only("id", "tier")
        .first()
    )
    return None if owner is None else usable_role(owner=owner, annotated=owner)


def membership_annotations(*, user: User, owner_ref: str) -> dict:
    """Annotations that read `user`'s membership of the vault owned by each row's `owner_ref`
    in the same query as the row: the membership's role (None without one) and the size of
    the owner's team. `usable_role` turns them into the role."""
    team = active_members(OuterRef(owner_ref))
    return {
        "membership_role": Subquery(
            team.filter(accepted_by=user).order_by("-created_at").values("role")[:1]
        ),
        "membership_team_size": Coalesce(
            Subquery(
                team.order_by().values("invited_by").annotate(members=Count("pk")).values("members")
            ),
            0,
        ),
    }


def usable_role(*, owner: User, annotated) -> str | None:
    """The role read by `membership_annotations` onto `annotated`, or None when there is no
    membership or the owner's plan doesn't allow the team (as `member_role` rules)."""
    from promptvault import entitlements

    role = annotated.membership_role
    if role is None or not entitlements.team_fits_plan(
        owner, members=annotated.membership_team_size
    ):
        return None
    return role


def vaults_shared_with(user: User) -> list[TeamInvite]:
    """The memberships of `user`, with the owners, usable or not (the page says which)."""
    memberships = list(
        memberships_of(user)
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
