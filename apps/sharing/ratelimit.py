"""Per-client rate limits for pages anyone can open (share links, public prompts, the gallery's
search), so a link can't be scraped or its counter inflated at speed, nor the search run flat
out. Counts live in the cache.

The window slides over the last minute rather than restarting on the minute, which let twice
the limit through around each turn of the clock. Each client's requests are counted in slices
of SLICE_SECONDS; a request is let through when the count of its own slice (one atomic
increment) plus those of the slices before it that the last minute reaches stays within the
limit. The oldest of those slices is counted whole, so the check errs on the safe side: no
60-second span ever lets more than the limit through, and a client at its limit may wait up to
one slice longer than strictly needed. Only requests let through are counted (a refused one
takes its increment back), so a client that keeps knocking is let in again as its earlier
requests age out. An atomic increment and one read of several keys are all it needs, which
the memory cache and Redis both offer; with Redis both go in one round trip, which `counting`
overlaps with the caller's own work. Concurrent requests in one slice each get their own
count from the increment, so they are never let through beyond the limit together (only, at
worst, refused while a refused neighbour takes its increment back); two racing across the
instant a slice turns may each miss the other.
"""

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.throttling import client_address

WINDOW_SECONDS = 60
SLICE_SECONDS = 6
SLICES = WINDOW_SECONDS // SLICE_SECONDS
# A slice is read until its end is a minute old; the margin covers clock drift between processes.
SLICE_TIMEOUT = WINDOW_SECONDS + 2 * SLICE_SECONDS


def take(key: str, *, limit: int) -> int:
    """Count one request of `key` (a scope and a client) if the last minute leaves room for it
    under `limit`: 0 when it is let through, otherwise the whole seconds until one would be."""
    with counting(key, limit=limit) as counted:
        pass
    return counted.wait


class Counted:
    """What `counting` found once its block has run: `wait`, as `take` returns it."""

    wait: int = 0


@contextmanager
def counting(key: str, *, limit: int) -> Iterator[Counted]:
    """`take`, spread around the caller's block: with Redis the count is sent before the block
    runs and its answer read after, so its round trip overlaps the block's own (the API's
    database query). The block runs whatever the verdict; `wait` says it afterwards."""
    now = timezone.now().timestamp()
    current = int(now // SLICE_SECONDS)
    slices = list(range(current - SLICES, current + 1))
    keys = [f"ratelimit:{key}:{index}" for index in slices]
    counted = Counted()
    send_count = getattr(cache, "send_count", None)
    if send_count is None:
        counts = _count(keys)
        yield counted
    else:
        receive = send_count(keys[-1], keys[:-1], timeout=SLICE_TIMEOUT)
        try:
            yield counted
        finally:
            last, earlier = receive()
        counts = [*earlier, last]
    counted.wait = _verdict(counts, slices, now=now, limit=limit, keys=keys)


def _verdict(counts: list[int], slices: list[int], *, now: float, limit: int, keys) -> int:
    if sum(counts) <= limit:
        return 0
    _take_back(keys[-1])
    # Room opens once enough of the oldest requests have left the window; this one, refused,
    # still needs a place.
    waiting = sum(counts) - limit
    for index, count in zip(slices, counts, strict=True):
        waiting -= count
        if waiting <= 0:
            leaves_at = (index + 1) * SLICE_SECONDS + WINDOW_SECONDS
            return max(1, math.ceil(leaves_at - now))
    return WINDOW_SECONDS + SLICE_SECONDS


def _count(keys: list[str]) -> list[int]:
    """The counts at `keys`, the last one counted once more first."""
    counted = _increment(keys[-1])
    earlier = cache.get_many(keys[:-1])
    return [int(earlier.get(name) or 0) for name in keys[:-1]] + [counted]


def _increment(key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the slice's first request
        if cache.add(key, 1, timeout=SLICE_TIMEOUT):
            return 1
        return cache.incr(key)  # another request started the slice meanwhile


def _take_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # the slice has already expired: nothing left to take back
        pass


def _client_key(request) -> str:
    # Hashed: the address comes from a header behind proxies, and keys must stay short and plain.
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def rate_limited(scope: str):
    """Refuse a view with 429 and Retry-After past PUBLIC_RATE_LIMIT_PER_MINUTE requests a
    minute from one client address."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = f"{scope}:{_client_key(request)}"
            retry_after = take(key, limit=settings.PUBLIC_RATE_LIMIT_PER_MINUTE)
            if retry_after:
                return _refusal(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def search_rate_limited(view):
    """Refuse a gallery search (a request with a non-blank `q`) with 429 and Retry-After past
    GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE a minute from one anonymous client address, or past
    GALLERY_SEARCH_RATE_LIMIT_SIGNED_IN_PER_MINUTE from one account: an account is counted on
    its own, so people signed in behind one address don't share a limit. Browsing the gallery
    without a search is not counted."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            if request.user.is_authenticated:
                key = f"gallery-search:account:{request.user.pk}"
                limit = settings.GALLERY_SEARCH_RATE_LIMIT_SIGNED_IN_PER_MINUTE
            else:
                key = f"gallery-search:address:{_client_key(request)}"
                limit = settings.GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE
            retry_after = take(key, limit=limit)
            if retry_after:
                return _refusal(request, retry_after, searching=True)
        return view(request, *args, **kwargs)

    return wrapper


def _refusal(request, retry_after: int, *, searching: bool = False):
    """The page a client past its limit gets: 429, with the seconds to wait in Retry-After."""
    response = render(
        request,
        "sharing/rate_limited.html",
        {"retry_after": retry_after, "searching": searching},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
