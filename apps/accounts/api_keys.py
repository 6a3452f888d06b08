"""API keys: how a secret is made, stored and recognised. The secret never reaches the
database; a request's key is found by the SHA-256 of what it presents."""

import hashlib
import secrets

from django.utils import timezone

from apps.accounts.models import ApiKey

SECRET_PREFIX = "pv_"  # noqa: S105 - a marker that makes leaked keys recognisable, not a secret
SECRET_BYTES = 32
SHOWN_PREFIX_LENGTH = len(SECRET_PREFIX) + 8
SECRET_MAX = 200  # anything longer is no key of ours, and isn't hashed


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def key_for_secret(secret: str) -> ApiKey | None:
    """The usable key (not revoked, not expired, its person active) this secret belongs to."""
    if not secret or len(secret) > SECRET_MAX or not secret.startswith(SECRET_PREFIX):
        return None
    key = (
        ApiKey.objects.select_related("user")
        .filter(hash=secret_hash(secret), user__is_active=True)
        .first()
    )
    if key is None or not key.is_usable(timezone.now()):
        return None
    return key
