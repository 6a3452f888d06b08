"""Writes for sharing: share links, their view counter, public visibility and saving a shared
prompt into one's own vault."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import services as prompt_services
from apps.prompts.models import Prompt, PromptVersion
from apps.sharing.models import Share

# Offered lifetimes of a link; None means it never expires.
EXPIRY_CHOICES = {
    "never": None,
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
EXPIRY_LABELS = {
    "never": "Never",
    "1h": "In 1 hour",
    "1d": "In 1 day",
    "7d": "In 7 days",
    "30d": "In 30 days",
}
CODE_BYTES = 16  # 128 bits of randomness: 22 URL-safe characters
# Dead links stay listed this long, so an owner can still see that one was revoked.
SHARE_GRACE = timedelta(days=90)


def new_share_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def live_shares_q(now=None) -> Q:
    """Links that still open: not revoked and not past their expiry."""
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


@transaction.atomic
def share_create(
    *,
    prompt: Prompt,
    shared_by: User,
    expires_in: str = "never",
    version: PromptVersion | None = None,
) -> Share:
    """Create a share link to `prompt`, optionally expiring and optionally pinned to a version."""
    if expires_in not in EXPIRY_CHOICES:
        raise ValidationError({"expires_in": "Choose one of the offered expiry times."})
    if version is not None and version.prompt_id != prompt.pk:
        raise ValidationError({"version": "That version belongs to another prompt."})
    lifetime = EXPIRY_CHOICES[expires_in]
    expires_at = timezone.now() + lifetime if lifetime else None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Share.objects.create(
                    prompt=prompt,
                    shared_by=shared_by,
                    share_code=new_share_code(),
                    expires_at=expires_at,
                    version=version,
                )
        except IntegrityError:  # a 128-bit collision: astronomically unlikely, try again
            continue
    raise RuntimeError("Could not create a unique share code.")


@transaction.atomic
def share_revoke(*, share: Share) -> Share:
    """Stop a link from opening. The row stays, for the record of who saw what."""
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        Share.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
            revoked_at=share.revoked_at
        )
    return share


def share_record_view(*, code: str) -> bool:
    """Count one view of a live link in a single UPDATE; False when the link is not live."""
    updated = Share.objects.filter(live_shares_q(), share_code=code).update(
        view_count=F("view_count") + 1
    )
    return updated == 1


@transaction.atomic
def prompt_set_visibility(*, prompt: Prompt, author: User, is_public: bool) -> Prompt:
    return prompt_services.prompt_update(prompt=prompt, author=author, is_public=is_public)


@transaction.atomic
def prompt_fork(
    *, prompt: Prompt, user: User, content: str | None = None, via: str, version: int | None = None
) -> Prompt:
    """Save a shared or public prompt into `user`'s vault as a new prompt (version 1), counted
    against their plan, remembering in `metadata` where it came from."""
    origin = {
        "prompt_id": str(prompt.pk),
        "name": prompt.name,
        "author": public_name(prompt.user),
        "via": via,
        "saved_at": timezone.now().isoformat(),
    }
    if version is not None:
        origin["version"] = version
    metadata = {**(prompt.metadata or {}), "forked_from": origin}
    copy = prompt_services.prompt_duplicate(
        prompt=prompt,
        owner=user,
        author=user,
        name=prompt.name,
        content=content,
        folder="",
        metadata=metadata,
        change_message=f"Saved from {public_name(prompt.user)}'s prompt “{prompt.name}”",
    )
    if copy.user_id != prompt.user_id:
        prompt_record_save(prompt=prompt)
    return copy


def prompt_record_save(*, prompt: Prompt) -> None:
    """Count one more save of `prompt` into someone else's vault, in a single UPDATE so
    concurrent saves all count; the gallery sorts by it."""
    Prompt.objects.filter(pk=prompt.pk).update(save_count=F("save_count") + 1)


@transaction.atomic
def shares_cleanup(*, dry_run: bool = False) -> int:
    """Delete links that expired or were revoked over SHARE_GRACE ago; how many (or, on a dry
    run, how many would go)."""
    since = timezone.now() - SHARE_GRACE
    dead = Share.objects.filter(Q(expires_at__lt=since) | Q(revoked_at__lt=since))
    if dry_run:
        return dead.count()
    deleted, _ = dead.delete()
    return deleted


def public_name(user: User | None) -> str:
    """The name shown to people outside the vault: never any part of the email address."""
    if user is None:
        return "A former PromptVault user"
    return user.name.strip() or "A PromptVault user"
