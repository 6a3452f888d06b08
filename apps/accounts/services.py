"""Writes to accounts: every change to a user goes through here."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.accounts import api_keys
from apps.accounts.models import ApiKey, Tier, User, normalize_email

# Signing namespaces, not secrets: a token made for one purpose never passes for another.
CONFIRM_SALT = "promptvault.accounts.email-confirm"
CHANGE_SALT = "promptvault.accounts.email-change"
CONFIRM_LIFETIME = timedelta(days=3)
CHANGE_LIFETIME = timedelta(days=1)
ADDRESS_TAKEN = "Another account already uses this email address."


class EmailLinkError(Exception):
    """A confirmation link that can't be used. `status` is the HTTP answer: 400 for a link
    that was tampered with, 410 for one that expired or was overtaken by a later change."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


@transaction.atomic
def user_create(
    *, email: str, password: str, name: str = "", email_confirmed: bool = False
) -> User:
    """Create an account on the free plan. The address must not be taken (case-insensitive).
    `email_confirmed` when the person already showed they read mail sent to it."""
    UserModel = get_user_model()
    email = normalize_email(email)
    if UserModel.objects.email_taken(email):
        raise ValidationError({"email": "An account with this email address already exists."})
    return UserModel.objects.create_user(
        email=email,
        password=password,
        name=name.strip(),
        email_confirmed_at=timezone.now() if email_confirmed else None,
    )


@transaction.atomic
def user_update_profile(*, user: User, name: str) -> User:
    """Change the display name. The login address changes only through a confirmed link
    (`email_change_request`)."""
    user.name = name.strip()
    user.save(update_fields=["name", "updated_at"])
    return user


# --- Confirming the address -------------------------------------------------------------------


def _load(token: str, *, salt: str, lifetime: timedelta) -> dict:
    try:
        payload = signing.loads(token, salt=salt, max_age=lifetime)
    except signing.SignatureExpired as error:
        raise EmailLinkError(
            "This link has expired. Ask for a new one from your profile.", status=410
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise EmailLinkError(
            "This link is not valid. Check that it was copied whole.", status=400
        ) from error
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(key), str) for key in ("user", "email")
    ):
        raise EmailLinkError("This link is not valid. Check that it was copied whole.", status=400)
    return payload


def _user_for(payload: dict, *, lock: bool = False) -> User:
    users = User.objects.select_for_update() if lock else User.objects.all()
    try:
        return users.get(pk=payload["user"])
    except (User.DoesNotExist, ValidationError, ValueError) as error:
        raise EmailLinkError("This account no longer exists.", status=410) from error


def email_confirmation_token(user: User, *, next_url: str = "") -> str:
    """A signed, expiring token confirming the user's current address. It names the address,
    so it stops working once the address changes."""
    return signing.dumps(
        {"user": str(user.pk), "email": user.email, "next": next_url}, salt=CONFIRM_SALT
    )


def email_confirmation_check(token: str) -> tuple[User, str]:
    """The user a confirmation token is for and the page to go to afterwards; raises
    EmailLinkError when the token can't be used."""
    return _check_confirmation(token, lock=False)


def _check_confirmation(token: str, *, lock: bool) -> tuple[User, str]:
    payload = _load(token, salt=CONFIRM_SALT, lifetime=CONFIRM_LIFETIME)
    user = _user_for(payload, lock=lock)
    if user.email != payload["email"]:
        raise EmailLinkError("This link was for an address the account no longer uses.", status=410)
    next_url = payload.get("next")
    return user, next_url if isinstance(next_url, str) else ""


@transaction.atomic
def email_confirm(*, token: str) -> tuple[User, str]:
    """Mark the address in the token as confirmed. Opening the link again changes nothing."""
    user, next_url = _check_confirmation(token, lock=True)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at", "updated_at"])
    return user, next_url


# --- Changing the address ---------------------------------------------------------------------


def email_change_token(user: User) -> str:
    """A signed, expiring token for the pending change. It names the address the account
    had and the one asked for, so it dies once used, on a newer request, or if the address
    changed meanwhile."""
    return signing.dumps(
        {"user": str(user.pk), "email": user.pending_email, "from": user.email}, salt=CHANGE_SALT
    )


def email_change_check(token: str) -> User:
    """The user whose pending change the token confirms; raises EmailLinkError when it can't
    be used (the new address is `user.pending_email`)."""
    return _check_change(token, lock=False)


def _check_change(token: str, *, lock: bool) -> User:
    payload = _load(token, salt=CHANGE_SALT, lifetime=CHANGE_LIFETIME)
    user = _user_for(payload, lock=lock)
    if (
        not user.pending_email
        or user.pending_email != payload["email"]
        or user.email != payload.get("from")
    ):
        raise EmailLinkError(
            "This link was already used, or a newer change was asked for since. Check your "
            "profile for the address in use.",
            status=410,
        )
    return user


@transaction.atomic
def email_change_request(*, user: User, email: str) -> User:
    """Record `email` as the address the user wants; it takes effect once confirmed from
    that inbox (`email_change_confirm`). A newer request replaces an older one."""
    email = normalize_email(email)
    if email == user.email:
        raise ValidationError({"email": "That is already your address."})
    if User.objects.email_taken(email, excluding=user):
        raise ValidationError({"email": ADDRESS_TAKEN})
    User.objects.filter(pk=user.pk).update(pending_email=email, updated_at=timezone.now())
    user.pending_email = email
    return user


@transaction.atomic
def email_change_confirm(*, token: str) -> tuple[User, str]:
    """Make the pending address the login address, confirmed. Returns the user and the address
    it had, to be told of the change."""
    user = _check_change(token, lock=True)
    old_email, new_email = user.email, user.pending_email
    if User.objects.email_taken(new_email, excluding=user):
        raise ValidationError(ADDRESS_TAKEN)
    user.email = new_email
    user.pending_email = ""
    user.email_confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "pending_email", "email_confirmed_at", "updated_at"])
    except IntegrityError as error:  # taken by a sign-up in the same instant
        raise ValidationError(ADDRESS_TAKEN) from error
    return user, old_email


@transaction.atomic
def email_change_cancel(*, user: User) -> User:
    """Forget a pending change; its link stops working."""
    User.objects.filter(pk=user.pk).update(pending_email="", updated_at=timezone.now())
    user.pending_email = ""
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


API_KEYS_MAX = 50  # unrevoked keys per person
API_KEY_NAME_MAX = 100
# last_used_at is written at most this often, so a busy key doesn't write on every request.
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def api_key_create(
    *, user: User, name: str, scopes=("read",), expires_at=None
) -> tuple[ApiKey, str]:
    """Make a key for `user`; returns it with its secret, which is never stored or shown again."""
    errors: dict[str, list[str]] = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = ["Give the key a name, such as the app that will use it."]
    elif len(name) > API_KEY_NAME_MAX:
        errors["name"] = [f"A key's name has at most {API_KEY_NAME_MAX} characters."]
    wanted = {str(scope) for scope in scopes or ()}
    if not wanted <= set(ApiKey.SCOPES) or ApiKey.READ not in wanted:
        errors["scopes"] = ["Choose read, or read and write."]
    scopes = [scope for scope in ApiKey.SCOPES if scope in wanted]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["Choose an expiry date in the future."]
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    if ApiKey.objects.filter(user=user, revoked_at__isnull=True).count() >= API_KEYS_MAX:
        raise ValidationError(
            {"name": [f"You have {API_KEYS_MAX} keys already. Revoke one you no longer use."]}
        )
    secret = api_keys.new_secret()
    key = ApiKey.objects.create(
        user=user,
        name=name,
        prefix=secret[: api_keys.SHOWN_PREFIX_LENGTH],
        hash=api_keys.secret_hash(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    return key, secret


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Stop the key working at once. Revoking twice keeps the first time."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at", "hash"])
    api_keys.forget(key)
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record that the key was used, at most once per interval (one UPDATE, no lock)."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < API_KEY_TOUCH_INTERVAL:
        return
    # A remembered copy keeps its old last_used_at; the shared marker stops it from costing an
    # UPDATE on every request.
    if not api_keys.touch_due(key, int(API_KEY_TOUCH_INTERVAL.total_seconds())):
        return
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).filter(
        models.Q(last_used_at__isnull=True)
        | models.Q(last_used_at__lt=now - API_KEY_TOUCH_INTERVAL)
    ).update(last_used_at=now)
    key.last_used_at = now
