"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's client builds a new `redis.Redis` for every cache operation. Building one costs
about as much as the round trip itself (its constructor fills a table of some 170 response
callbacks), and a signed-in page makes several: the session, the vault's cached sidebar,
rate limits. A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool), so one per pool serves every operation of the process.

It also counts rate-limited requests in one round trip whose answer is read later
(`send_count`), so that an API request's count and its database query wait together.
"""

from collections.abc import Callable

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

    def send_count(self, key: str, others: list[str], *, timeout: int) -> Callable[[], tuple]:
        """Add one to the count at `key` (made with `timeout` when missing) and read the counts
        at `others`, in one round trip (Django's `incr` makes two: it asks whether the key
        exists first, and reading the others would be a third). Only the commands are sent
        here; the returned function reads the answers, `(count, [counts of others])`, and
        must be called exactly once: the caller's own I/O in between overlaps the round trip.
        """
        counted = self.make_and_validate_key(key)
        commands = [("SET", counted, 0, "EX", timeout, "NX"), ("INCR", counted)]
        if others:
            commands.append(("MGET", *(self.make_and_validate_key(other) for other in others)))
        pool = self._cache.get_client(write=True).connection_pool
        connection = pool.get_connection()
        try:
            connection.send_packed_command(connection.pack_commands(commands))
        except BaseException:
            connection.disconnect()
            pool.release(connection)
            raise

        def receive() -> tuple[int, list[int]]:
            try:
                replies = [connection.read_response() for _ in commands]
            except BaseException:
                connection.disconnect()  # unread answers must not reach the next command
                raise
            finally:
                pool.release(connection)
            read = replies[2] if others else []
            return int(replies[1]), [int(value) if value is not None else 0 for value in read]

        return receive
