"""The per-address limit on pages anyone can open slides over the last minute: no 60-second
span lets more than the limit through, wherever the minutes of the clock fall. The clock is
controlled; the counts live in the memory cache and, when it answers, in the local Redis."""

import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from apps.sharing import ratelimit
from tests.local_redis import needs_redis
from tests.prompts.factories import PromptFactory

# The start of a minute of the clock.
MINUTE_START = 1_700_000_040.0
LIMIT = 5


class Clock:
    """Stands in for `django.utils.timezone` where the rate limit reads the time."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, tz=UTC)

    def at(self, seconds: float) -> "Clock":
        self.seconds = seconds
        return self


@pytest.fixture(params=["locmem", pytest.param("redis", marks=needs_redis)])
def counts(request, settings):
    """The cache the counts live in."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "promptvault.cache.SharedClientRedisCache",
                "LOCATION": "redis://127.0.0.1:6379/9",
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    return request.param


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(MINUTE_START)
    monkeypatch.setattr(ratelimit, "timezone", clock)
    return clock


@pytest.fixture
def limited(settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = LIMIT
    return LIMIT


@pytest.fixture
def page_url(db, alice):
    prompt = PromptFactory(user=alice, is_public=True, content="A public prompt.")
    return reverse("sharing:public_page", args=[prompt.pk])


def _statuses(client, url, count: int) -> list[int]:
    return [client.get(url).status_code for _ in range(count)]


def test_a_burst_on_each_side_of_a_minute_boundary_lets_only_the_limit_through(
    client, counts, clock, limited, page_url
):
    clock.at(MINUTE_START + 59.5)
    assert _statuses(client, page_url, limited) == [200] * limited
    clock.at(MINUTE_START + 60.5)
    refused = client.get(page_url)
    assert refused.status_code == 429
    assert _statuses(client, page_url, limited) == [429] * limited
    # Let in again once the first burst is a minute old (give or take one slice of it).
    retry_after = int(refused["Retry-After"])
    assert 59 <= retry_after <= 60 + ratelimit.SLICE_SECONDS
    clock.at(MINUTE_START + 60.5 + retry_after)
    assert client.get(page_url).status_code == 200


def test_retry_after_is_when_the_next_request_is_let_through(
    client, counts, clock, limited, page_url
):
    for second in range(limited):
        clock.at(MINUTE_START + 10 * second)
        assert client.get(page_url).status_code == 200
    clock.at(MINUTE_START + 45)
    refused = client.get(page_url)
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    clock.at(MINUTE_START + 45 + retry_after - 1)
    assert client.get(page_url).status_code == 429
    clock.at(MINUTE_START + 45 + retry_after)
    assert client.get(page_url).status_code == 200


def _take_over(seconds: list[float], clock: Clock, limit: int, key: str = "client") -> list[float]:
    """The moments, of those given, at which one client was let through."""
    allowed = []
    for second in seconds:
        clock.at(MINUTE_START + second)
        if ratelimit.take(key, limit=limit) == 0:
            allowed.append(second)
    return allowed


def _most_in_a_minute(allowed: list[float]) -> int:
    return max(
        len([other for other in allowed[index:] if other < second + 60])
        for index, second in enumerate(allowed)
    )


def test_no_sixty_second_span_lets_more_than_the_limit_through(counts, clock):
    # A client knocking twice a second for five minutes, and one in uneven bursts.
    steady = _take_over([index / 2 for index in range(600)], clock, LIMIT, "steady")
    starts = (0, 55, 59.9, 118, 121, 180, 239.5)
    bursts = _take_over(
        [start + index / 10 for start in starts for index in range(8)], clock, LIMIT, "bursts"
    )
    assert _most_in_a_minute(steady) == LIMIT
    assert _most_in_a_minute(bursts) == LIMIT
    # The steady client is never shut out for good: each of its minutes lets some through.
    assert {int(second // 60) for second in steady} == {0, 1, 2, 3, 4}


def test_refused_requests_do_not_count_against_the_client(counts, clock):
    # Knocking every second: once a minute's requests age out, the client is let in again.
    allowed = _take_over([float(second) for second in range(200)], clock, LIMIT)
    assert len(allowed) >= 3 * LIMIT


def test_a_client_within_the_limit_is_never_refused(counts, clock):
    # One request every 14 seconds: at most five in any 66 seconds.
    seconds = [14.0 * index + 0.3 for index in range(40)]
    assert _take_over(seconds, clock, LIMIT) == seconds


def test_the_limit_of_one_scope_leaves_another_alone(counts, clock):
    for _ in range(LIMIT):
        assert ratelimit.take("scope-a:client", limit=LIMIT) == 0
    assert ratelimit.take("scope-a:client", limit=LIMIT) > 0
    assert ratelimit.take("scope-b:client", limit=LIMIT) == 0


# --- The gallery's search -----------------------------------------------------------------------


@pytest.fixture
def search_limits(settings):
    settings.GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE = 2
    settings.GALLERY_SEARCH_RATE_LIMIT_SIGNED_IN_PER_MINUTE = 4
    return settings


def test_anonymous_gallery_searches_are_limited_per_address(client, db, search_limits):
    url = reverse("sharing:explore")
    assert [client.get(url, {"q": f"word{n}"}).status_code for n in range(3)] == [200, 200, 429]
    refused = client.get(url, {"q": "again"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60 + ratelimit.SLICE_SECONDS
    assert b"Too many requests" in refused.content
    # Browsing the gallery without a search is not a search; another address has its own count.
    assert client.get(url).status_code == 200
    assert client.get(url, {"model": "gpt-4"}).status_code == 200
    assert client.get(url, {"q": "   "}).status_code == 200
    assert client.get(url, {"q": "word"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_signed_in_gallery_searches_count_per_account_with_a_higher_limit(
    client, alice, charlie, search_limits
):
    url = reverse("sharing:explore")
    client.force_login(alice)
    assert [client.get(url, {"q": "word"}).status_code for _ in range(5)] == [200] * 4 + [429]
    # The address is not what counts for an account: another account on it has its own limit,
    # and anonymous searches from it are counted apart.
    client.force_login(charlie)
    assert client.get(url, {"q": "word"}).status_code == 200
    client.logout()
    assert client.get(url, {"q": "word"}).status_code == 200


def test_the_gallery_search_limit_leaves_share_and_public_pages_alone(
    client, search_limits, page_url
):
    url = reverse("sharing:explore")
    assert _statuses(client, url + "?q=word", 3)[-1] == 429
    assert client.get(page_url).status_code == 200
