"""Reaching invites: the team's owner manages them; a member may only end their own
membership. Anything else is 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from apps.accounts.models import User
from apps.teams.models import TeamInvite


def _get(pk) -> TeamInvite:
    try:
        return TeamInvite.objects.select_related("invited_by", "accepted_by").get(pk=pk)
    except (TeamInvite.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise Http404("No such invite.") from error


def get_invite_for_owner(user: User, pk) -> TeamInvite:
    invite = _get(pk)
    if invite.invited_by_id != user.pk:
        raise Http404("No such invite.")
    return invite


def get_membership_for_member(user: User, pk) -> TeamInvite:
    invite = _get(pk)
    if invite.accepted_by_id != user.pk or not invite.accepted or invite.revoked_at:
        raise Http404("No such membership.")
    return invite
