"""Writes for teams: invites, acceptance, roles and leaving."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User, normalize_email
from apps.teams import selectors
from apps.teams.models import Role, TeamInvite
from promptvault import entitlements

INVITE_LIFETIME = timedelta(days=7)
# Expired invites stay listed this long, so an owner still sees who never answered.
INVITE_GRACE = timedelta(days=30)
TOKEN_SALT = "promptvault.teams.invite"  # noqa: S105 - a signing namespace, not a secret


class InviteMailError(ValidationError):
    """The invite email could not be sent, so the invite was not saved (or not renewed): an
    invite nobody was told about would only hold a seat."""


class InviteTokenError(Exception):
    """An invite link that can't be used. `status` is the HTTP answer: 400 for a link that
    was tampered with, 410 for one that is used, revoked or expired."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


def invite_token(invite: TeamInvite) -> str:
    """A signed token naming the invite and the expiry it was sent with; resending (a new
    expiry) makes older links stop working."""
    return signing.dumps(
        {"invite": str(invite.pk), "expires": invite.expires_at.isoformat()},
        salt=TOKEN_SALT,
        compress=True,
    )


def invite_from_token(token: str) -> TeamInvite:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        invite = TeamInvite.objects.select_related("invited_by").get(pk=payload["invite"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError) as error:
        raise InviteTokenError(
            "This invite link is not valid. Check that it was copied whole.", status=400
        ) from error
    except TeamInvite.DoesNotExist as error:
        raise InviteTokenError("This invite no longer exists.", status=410) from error
    if invite.revoked_at:
        raise InviteTokenError("This invite was withdrawn by the person who sent it.", status=410)
    if invite.accepted:
        raise InviteTokenError("This invite has already been used.", status=410)
    if payload.get("expires") != invite.expires_at.isoformat():
        raise InviteTokenError(
            "A newer invite was sent; use the link in the latest email.", status=410
        )
    if invite.expires_at <= timezone.now():
        raise InviteTokenError("This invite has expired. Ask for a new one.", status=410)
    return invite


def _check_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError({"role": "Choose viewer or editor."})
    return role


def _one_line(text: str) -> str:
    """Text fit for a mail header: line breaks and other control characters become spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _send_invite_email(invite: TeamInvite, *, base_url: str) -> None:
    """Send the invite inside the caller's transaction: if sending fails, the invite (or its
    renewal) is rolled back with it and the caller hears why."""
    link = base_url.rstrip("/") + reverse("teams:accept", kwargs={"token": invite_token(invite)})
    context = {"invite": invite, "link": link, "inviter": invite.invited_by}
    message = EmailMessage(
        subject=f"{_one_line(invite.invited_by.display_name)} invited you to their PromptVault",
        body=render_to_string("teams/email/invite.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invite.invited_email],
    )
    try:
        message.send()
    except Exception as error:
        raise InviteMailError(
            "We couldn't send the invite email just now, so no invite was saved. Try again "
            "in a few minutes."
        ) from error


def _clean_email(email: str) -> str:
    email = User.objects.normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": "Enter a valid email address."}) from error
    return email


def _check_room(owner: User) -> None:
    entitlements.check_can_add_members(
        owner,
        members=selectors.active_members(owner.pk),
        pending=selectors.pending_invites(owner.pk),
    )


@transaction.atomic
def invite_create(*, owner: User, email: str, role: str, base_url: str = "") -> TeamInvite:
    """Invite `email` into the owner's vault and email them a signed accept link."""
    email = _clean_email(email)
    role = _check_role(role)
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if email == owner.email:
        raise ValidationError({"email": "That's your own address: you're already in your vault."})
    if selectors.active_members(owner.pk).filter(accepted_by__email__iexact=email).exists():
        raise ValidationError({"email": "That person is already a member of your team."})
    if selectors.pending_invites(owner.pk).filter(invited_email__iexact=email).exists():
        raise ValidationError(
            {"email": "That person already has an invite waiting. Resend it from the list."}
        )
    _check_room(owner)
    invite = TeamInvite.objects.create(
        invited_by=owner,
        invited_email=email,
        role=role,
        expires_at=timezone.now() + INVITE_LIFETIME,
    )
    _send_invite_email(invite, base_url=base_url or settings.SITE_URL)
    return invite


@transaction.atomic
def invite_resend(*, invite: TeamInvite, base_url: str = "") -> TeamInvite:
    """Send a pending (or expired) invite again with a fresh seven days; older links stop."""
    invite = TeamInvite.objects.select_for_update().select_related("invited_by").get(pk=invite.pk)
    if invite.accepted or invite.revoked_at:
        raise ValidationError("Only invites that were not answered can be resent.")
    if invite.expires_at <= timezone.now():
        # An expired invite no longer holds a seat; resending takes one again.
        _check_room(invite.invited_by)
    invite.expires_at = timezone.now() + INVITE_LIFETIME
    invite.save(update_fields=["expires_at"])
    _send_invite_email(invite, base_url=base_url or settings.SITE_URL)
    return invite


@transaction.atomic
def invite_revoke(*, invite: TeamInvite) -> TeamInvite:
    """Withdraw an invite, or end a membership (the member loses access at once)."""
    ended = TeamInvite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invite.refresh_from_db()
    if ended and invite.accepted and invite.accepted_by_id:
        _count_membership(invite.accepted_by_id, -1)
    return invite


@transaction.atomic
def invite_accept(*, invite: TeamInvite, user: User) -> TeamInvite:
    """Join the inviter's team. The inviter's row is locked so two people can't both take
    the last seat."""
    owner = User.objects.select_for_update().get(pk=invite.invited_by_id)
    invite = TeamInvite.objects.select_for_update().get(pk=invite.pk)
    if normalize_email(user.email) != normalize_email(invite.invited_email):
        raise ValidationError(f"This invite was sent to {invite.invited_email}.")
    if user.email_confirmed_at is None:
        # Without it, anyone could point their account at the invited address for a moment.
        raise ValidationError(
            f"Confirm your email address ({user.email}) before accepting: open the link we "
            "mailed you, or ask for a new one."
        )
    if invite.accepted or invite.revoked_at or invite.expires_at <= timezone.now():
        raise InviteTokenError("This invite can no longer be used.", status=410)
    if user.pk == owner.pk:
        raise ValidationError("You can't join your own team.")
    if selectors.active_members(owner.pk).filter(accepted_by=user).exists():
        raise ValidationError("You're already a member of this team.")
    # The invite held its seat while pending, so only the members count against the plan.
    entitlements.check_can_add_members(
        owner, members=selectors.active_members(owner.pk), joining=True
    )
    invite.accepted = True
    invite.accepted_by = user
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted", "accepted_by", "accepted_at"])
    _count_membership(user.pk, +1)
    return invite


@transaction.atomic
def member_add(*, owner: User, user: User, role: str) -> TeamInvite:
    """Put `user` on the owner's team at once, as an accepted invite that was never mailed:
    for administrators and the demo, who vouch for the person themselves. The same seat rules
    as an invite apply."""
    role = _check_role(role)
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if user.pk == owner.pk:
        raise ValidationError("You can't join your own team.")
    if selectors.active_members(owner.pk).filter(accepted_by=user).exists():
        raise ValidationError(f"{user.email} is already a member of this team.")
    _check_room(owner)
    now = timezone.now()
    membership = TeamInvite.objects.create(
        invited_by=owner,
        invited_email=user.email,
        role=role,
        expires_at=now,
        accepted=True,
        accepted_by=user,
        accepted_at=now,
    )
    _count_membership(user.pk, +1)
    return membership


@transaction.atomic
def member_set_role(*, membership: TeamInvite, role: str) -> TeamInvite:
    role = _check_role(role)
    TeamInvite.objects.filter(pk=membership.pk).update(role=role)
    membership.role = role
    return membership


@transaction.atomic
def member_leave(*, membership: TeamInvite, user: User) -> None:
    if membership.accepted_by_id != user.pk:
        raise ValidationError("Only the member can leave a team.")
    invite_revoke(invite=membership)


def _count_membership(user_id, change: int) -> None:
    """Move the person's cached number of teams (`User.membership_count`) with the membership
    that began or ended in the same transaction."""
    User.objects.filter(pk=user_id).update(membership_count=F("membership_count") + change)


@transaction.atomic
def membership_counts_sync(*, user_ids=None, dry_run: bool = False) -> int:
    """Set `membership_count` to the real number of teams for the people in `user_ids` (everyone
    when None) whose count is off, after a change the services didn't make (an administrator's
    edit, an owner's account deleted with its team); how many were off."""
    real = Coalesce(
        Subquery(
            selectors.memberships_of(OuterRef("pk"))
            .order_by()
            .values("accepted_by")
            .annotate(teams=Count("pk"))
            .values("teams")
        ),
        0,
    )
    people = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    off = people.alias(real=real).filter(~Q(membership_count=F("real")))
    if dry_run:
        return off.count()
    return off.update(membership_count=real)


@transaction.atomic
def invites_cleanup(*, dry_run: bool = False) -> int:
    """Delete invites never accepted that expired over INVITE_GRACE ago; how many (or, on a
    dry run, how many would go)."""
    stale = TeamInvite.objects.filter(accepted=False, expires_at__lt=timezone.now() - INVITE_GRACE)
    if dry_run:
        return stale.count()
    deleted, _ = stale.delete()
    return deleted
