"""Writes to accounts: every change to a user goes through here."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Tier, User


@transaction.atomic
def user_create(*, email: str, password: str, name: str = "") -> User:
    """Create an account on the free plan. The address must not be taken (case-insensitive)."""
    UserModel = get_user_model()
    email = UserModel.objects.normalize_email(email)
    if UserModel.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists."})
    return UserModel.objects.create_user(email=email, password=password, name=name.strip())


@transaction.atomic
def user_update_profile(*, user: User, name: str, email: str) -> User:
    """Change the display name and login address, keeping addresses unique."""
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "Another account already uses this email address."})
    user.name = name.strip()
    user.email = email
    user.save(update_fields=["name", "email", "updated_at"])
    return user


@transaction.atomic
def user_set_tier(*, user: User, tier: str) -> User:
    """Move a user to another plan. Nothing is deleted when the new plan is smaller."""
    if tier not in Tier.values:
        raise ValidationError({"tier": f"Unknown plan {tier!r}."})
    User.objects.filter(pk=user.pk).update(tier=tier)
    user.tier = tier
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything it owns (prompts, versions, tags, shares, invites,
    imports). Versions and templates it wrote in other people's vaults stay, without author."""
    uploads = [s.file.name for s in user.import_sessions.exclude(file="").only("file")]
    storage = user.import_sessions.model._meta.get_field("file").storage
    user.delete()
    # Files are not part of the transaction: remove them only once the rows are gone for good.
    transaction.on_commit(lambda: [storage.delete(name) for name in uploads if name])
