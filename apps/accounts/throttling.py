"""Log-in throttling: after too many failed attempts from one address, or against one
account, further attempts are refused for a while. Counts live in the cache.

Every log-in page (the app's and the admin's) checks and counts through one form,
accounts.forms.EmailAuthenticationForm. A success, like a completed password reset, clears
the counter of that account only, never the address's: otherwise anyone could spend their
address's allowance on someone else's password, log into their own account, and start
again."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from apps.accounts.models import normalize_email


def client_address(request: HttpRequest) -> str:
    """The address limits are counted against. Behind load balancers REMOTE_ADDR is the
    proxy's, so with TRUSTED_PROXY_COUNT = N the client is read from X-Forwarded-For, N
    entries from the right (the part the trusted proxies appended; what the client sent
    itself, further left, is never believed)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _address_key(request: HttpRequest) -> str:
    return f"login-fail:ip:{client_address(request)}"


def _account_key(email: str) -> str:
    # Keyed on the same spelling accounts are looked up by, so every spelling that reaches an
    # account shares its counter.
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]
    return f"login-fail:email:{digest}"


def _keys(request: HttpRequest, email: str) -> list[str]:
    keys = [_address_key(request)]
    if email:
        keys.append(_account_key(email))
    return keys


def login_blocked(request: HttpRequest, email: str) -> bool:
    """Whether this address, or the account `email` names (if any), has failed too often."""
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    counts = cache.get_many(_keys(request, email))
    return any((count or 0) >= limit for count in counts.values())


def blocked_message() -> str:
    minutes = max(1, -(-settings.LOGIN_THROTTLE_WINDOW // 60))
    return (
        f"Too many failed log-in attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} "
        "and try again, or reset your password."
    )


def record_failed_login(request: HttpRequest, email: str) -> None:
    for key in _keys(request, email):
        # add() only sets a missing key, so the window starts at the first failure.
        cache.add(key, 0, timeout=settings.LOGIN_THROTTLE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW)


def clear_account_failures(email: str) -> None:
    """Forget the failures counted against one account, once its owner has proved who they
    are. The address's counter is left alone."""
    cache.delete(_account_key(email))
