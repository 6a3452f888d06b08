import threading
import uuid

import pytest

from promptvault.cache import SharedClientRedisCache
from tests.local_redis import needs_redis

REDIS_LOCATION = "redis://127.0.0.1:6379/9"

pytestmark = needs_redis


@pytest.fixture
def redis_cache():
    cache = SharedClientRedisCache(REDIS_LOCATION, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.close()


def test_every_operation_uses_one_client(redis_cache):
    client = redis_cache._cache.get_client()

    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("some-key") is client


def test_the_shared_client_reads_and_writes_like_django_redis_cache(redis_cache):
    redis_cache.set("greeting", {"text": "hello"}, 30)
    redis_cache.set_many({"a": 1, "b": 2}, 30)

    assert redis_cache.get("greeting") == {"text": "hello"}
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert redis_cache.incr("a", 5) == 6
    assert redis_cache.add("a", 100) is False

    redis_cache.delete_many(["greeting", "a", "b"])
    assert redis_cache.get("greeting", "gone") == "gone"


def test_threads_share_the_client_without_losing_increments(redis_cache):
    redis_cache.set("hits", 0, 30)
    errors = []

    def hit():
        try:
            for _ in range(50):
                redis_cache.incr("hits")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert redis_cache.get("hits") == 400
    redis_cache.delete("hits")


def test_a_count_is_sent_at_once_and_read_later_on_one_connection(redis_cache):
    redis_cache.set("earlier", 4, 30)
    receive = redis_cache.send_count("now", ["earlier", "missing"], timeout=30)
    pool = redis_cache._cache.get_client(write=True).connection_pool
    assert len(pool._in_use_connections) == 1  # held until the answers are read
    assert receive() == (1, [4, 0])
    assert len(pool._in_use_connections) == 0
    assert redis_cache.send_count("now", [], timeout=30)() == (2, [])
    # An ordinary counter: Django's cache reads it, and it goes when its time is up.
    assert redis_cache.get("now") == 2
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_and_validate_key("now")) <= 30


def test_a_rate_limit_count_around_a_block_that_fails_leaves_the_connection_clean(settings):
    from apps.sharing import ratelimit

    settings.CACHES = {
        "default": {
            "BACKEND": "promptvault.cache.SharedClientRedisCache",
            "LOCATION": REDIS_LOCATION,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    with pytest.raises(ZeroDivisionError), ratelimit.counting("scope:client", limit=5):
        1 / 0  # noqa: B018 - the caller's own work failing between send and read
    # The failed request's answers were read and it was counted; the next ones get their own.
    assert ratelimit.take("scope:client", limit=2) == 0
    assert ratelimit.take("scope:client", limit=2) > 0
