"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's client builds a new `redis.Redis` for every cache operation. Building one costs
about as much as the round trip itself (its constructor fills a table of some 170 response
callbacks), and a signed-in page makes several: the session, the vault's cached sidebar,
rate limits. A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool), so one per pool serves every operation of the process.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one the first time; either will do.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # RedisCache names its client class per instance, in __init__.
        self._class = SharedRedisCacheClient
