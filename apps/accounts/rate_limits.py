"""Limits on mail the site sends when asked: password resets per address asked about and per
client, confirmation links per account. A mail costs a send and lands in someone's inbox, so
asking for one is counted; counts live in the cache, as log-in throttling's do."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from apps.accounts.throttling import client_address


def _counted(key: str) -> int:
    """Count one more request under `key`; the window starts at the first."""
    window = settings.ACCOUNT_MAIL_WINDOW
    # add() only sets a missing key, so a later request never extends the window.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count a reset request; False once the client or the address is past its limit. Known
    and unknown addresses count alike, so the answer says nothing about who has an account.
    A client already refused uses up nothing of the address's allowance."""
    if _counted(f"reset:ip:{client_address(request)}") > settings.PASSWORD_RESET_LIMIT_PER_CLIENT:
        return False
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _counted(f"reset:email:{digest}") <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def account_mail_allowed(user) -> bool:
    """Count a confirmation mail asked for by a signed-in account; False past its limit."""
    return _counted(f"account-mail:{user.pk}") <= settings.ACCOUNT_MAIL_LIMIT


def refused_message(what: str) -> str:
    minutes = max(1, -(-settings.ACCOUNT_MAIL_WINDOW // 60))
    return f"Too many {what}. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again."
