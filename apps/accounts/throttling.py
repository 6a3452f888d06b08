"""Log-in throttling: after too many failed attempts from one address, or against one
account, further attempts are refused for a while. Counts live in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def _keys(request: HttpRequest, email: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:ip:{client_address(request)}", f"login-fail:email:{digest}"]


def login_blocked(request: HttpRequest, email: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in _keys(request, email))


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


def clear_failed_logins(request: HttpRequest, email: str) -> None:
    cache.delete_many(_keys(request, email))
