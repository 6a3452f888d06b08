"""API keys: how a secret is made, stored and recognised. The secret never reaches the
database; a request's key is found by the SHA-256 of what it presents.

`remembered_key_for_secret` keeps a recognised key in this process's memory for
KEY_MEMORY_SECONDS, so the API's hot path (a prompt fetched by key and label) needs no query
and no cache round trip of its own to know who is asking. It never lets a key work past its
end: expiry is checked on every call against the remembered `expires_at`; revoking forgets the
key in the process that revoked it once the revocation commits; and whoever uses a remembered
key must confirm it in the database (not revoked or expired, its person active and still
there), which covers the other processes and a person deactivated or deleted meanwhile. The
API does so in the one query every request makes (apps/prompts/api/cached.py)."""

import copy
import hashlib
import secrets
import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApiKey

SECRET_PREFIX = "pv_"  # noqa: S105 - a marker that makes leaked keys recognisable, not a secret
SECRET_BYTES = 32
SHOWN_PREFIX_LENGTH = len(SECRET_PREFIX) + 8
SECRET_MAX = 200  # anything longer is no key of ours, and isn't hashed
KEY_MEMORY_SECONDS = 30
KEY_MEMORY_SIZE = 1000  # keys remembered at most; the memory starts afresh past that
KEY_CACHE_FORMAT = "api-key-1"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _could_be_ours(secret: str) -> bool:
    return bool(secret) and len(secret) <= SECRET_MAX and secret.startswith(SECRET_PREFIX)


def _usable(hashed: str) -> ApiKey | None:
    # The person's password hash is never needed here, and a remembered key must not carry it
    # around in memory.
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


class _Memory:
    """Recognised keys by the hash of their secret, each until a moment on the monotonic
    clock; shared by the process's threads."""

    def __init__(self):
        self._keys: dict[str, tuple[ApiKey, float]] = {}
        self._lock = threading.Lock()

    def get(self, hashed: str) -> ApiKey | None:
        found = self._keys.get(hashed)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def put(self, hashed: str, key: ApiKey) -> None:
        with self._lock:
            if len(self._keys) >= KEY_MEMORY_SIZE:
                self._keys.clear()
            self._keys[hashed] = (key, time.monotonic() + KEY_MEMORY_SECONDS)

    def drop(self, hashed: str) -> None:
        with self._lock:
            self._keys.pop(hashed, None)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


memory = _Memory()


def remembered_key_for_secret(secret: str) -> ApiKey | None:
    """Like `key_for_secret`, from this process's memory when it was recognised in the last
    KEY_MEMORY_SECONDS. The caller must confirm it in the database."""
    if not _could_be_ours(secret):
        return None
    hashed = secret_hash(secret)
    key = memory.get(hashed)
    if key is None:
        key = _usable(hashed)
        if key is None:
            return None  # unknown secrets are not remembered: a new key works at once
        # Saves the key's own query on every request in the next half minute.
        memory.put(hashed, key)
    if not key.is_usable(timezone.now()):
        return None
    # Each request gets its own copies: what one request sets on them stays its own.
    own = copy.copy(key)
    own.user = copy.copy(key.user)
    return own


def forget(key: ApiKey) -> None:
    """Drop the remembered key once the current transaction commits (at once outside one)."""
    hashed = key.hash
    transaction.on_commit(lambda: memory.drop(hashed))


def touch_due(key: ApiKey, seconds: int) -> bool:
    """Whether this request should record the key's use: true once per `seconds` across every
    process sharing the cache. A process that has asked within the last `seconds` doesn't ask
    again, so the question costs a round trip to the cache at most once a minute per process."""
    now = time.monotonic()
    if touch_memory.get(key.pk, 0) > now:
        return False
    touch_memory[key.pk] = now + seconds
    if len(touch_memory) > KEY_MEMORY_SIZE:
        touch_memory.clear()
    return cache.add(f"{KEY_CACHE_FORMAT}-used:{key.pk}", True, timeout=seconds)


# When this process may next ask whether a key's use is due to be recorded, by key.
touch_memory: dict = {}
