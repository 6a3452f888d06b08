"""A per-address rate limit for pages anyone can open (share links, public prompts), so a
link can't be scraped or its counter inflated at speed. Counts live in the cache."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.throttling import client_address


def rate_limited(scope: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = settings.PUBLIC_RATE_LIMIT_PER_MINUTE
            window = int(timezone.now().timestamp() // 60)
            key = f"ratelimit:{scope}:{client_address(request)}:{window}"
            cache.add(key, 0, timeout=70)
            try:
                count = cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=70)
                count = 1
            if count > limit:
                response = render(request, "sharing/rate_limited.html", status=429)
                response["Retry-After"] = str(60 - int(timezone.now().timestamp()) % 60)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
