"""API keys: how a secret is made, stored and recognised. The secret never reaches the
database; a request's key is found by the SHA-256 of what it presents.

`remembered_key_for_secret` keeps a recognised key in the cache for KEY_CACHE_SECONDS, so the
API's hot path (a prompt fetched by key and label) needs no query of its own to know who is
asking. It never lets a key work past its end: expiry is checked on every call against the
remembered `expires_at`; revoking forgets the key once the revocation commits; and whoever
uses a remembered key confirms it in the query it makes anyway (`live_keys`: not revoked, its
person active and still there), which also covers a cache each process keeps for itself and a
person deactivated or deleted meanwhile."""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import ApiKey

SECRET_PREFIX = "pv_"  # noqa: S105 - a marker that makes leaked keys recognisable, not a secret
SECRET_BYTES = 32
SHOWN_PREFIX_LENGTH = len(SECRET_PREFIX) + 8
SECRET_MAX = 200  # anything longer is no key of ours, and isn't hashed
KEY_CACHE_SECONDS = 30
# Part of the cache key: change it when what is remembered changes shape, so a deploy never
# unpickles keys an older release left in the cache.
KEY_CACHE_FORMAT = "api-key-1"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _could_be_ours(secret: str) -> bool:
    return bool(secret) and len(secret) <= SECRET_MAX and secret.startswith(SECRET_PREFIX)


def _usable(hashed: str) -> ApiKey | None:
    # The person's password hash is never needed here, and a remembered key must not carry it
    # into the cache.
    key = (
        ApiKey.objects.select_related("user")
        .defer("user__password")
        .filter(hash=hashed, user__is_active=True)
        .first()
    )
    if key is None or not key.is_usable(timezone.now()):
        return None
    return key


def key_for_secret(secret: str) -> ApiKey | None:
    """The usable key (not revoked, not expired, its person active) this secret belongs to."""
    if not _could_be_ours(secret):
        return None
    return _usable(secret_hash(secret))


def _cache_key(hashed: str) -> str:
    return f"{KEY_CACHE_FORMAT}:{hashed}"


def remembered_key_for_secret(secret: str) -> ApiKey | None:
    """Like `key_for_secret`, from the cache when it was recognised in the last
    KEY_CACHE_SECONDS. The caller must confirm it with `live_keys` in the query it makes."""
    if not _could_be_ours(secret):
        return None
    hashed = secret_hash(secret)
    key = cache.get(_cache_key(hashed))
    if key is None:
        key = _usable(hashed)
        if key is None:
            return None  # unknown secrets are not remembered: a new key works at once
        # Saves the key's own query on every request in the next half minute.
        cache.set(_cache_key(hashed), key, KEY_CACHE_SECONDS)
    return key if key.is_usable(timezone.now()) else None


def live_keys() -> QuerySet[ApiKey]:
    """Keys still live in the database: not revoked, their person active and still there."""
    return ApiKey.objects.filter(revoked_at__isnull=True, user__is_active=True)


def live_key(key: ApiKey) -> QuerySet[ApiKey]:
    """The key, if it is still live in the database."""
    return live_keys().filter(pk=key.pk)


def forget(key: ApiKey) -> None:
    """Drop the remembered key once the current transaction commits (at once outside one)."""
    hashed = key.hash
    transaction.on_commit(lambda: cache.delete(_cache_key(hashed)))


def touch_due(key: ApiKey, seconds: int) -> bool:
    """Whether this request should record the key's use: true once per `seconds` across every
    process sharing the cache, so a remembered copy's old last_used_at costs no query."""
    return cache.add(f"{KEY_CACHE_FORMAT}-used:{key.pk}", True, timeout=seconds)
