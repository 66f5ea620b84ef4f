"""Django's Redis cache, with one redis-py client per connection pool instead of a new
one per cache call.

Django's RedisCacheClient.get_client builds a `redis.Redis` for every call, and its
constructor (response callbacks, event dispatcher) cost more than a round trip to a
local Redis: measured on the login POST and every signed-in page (issue 14). A client
is thread-safe and only wraps its pool, so one per pool serves every call alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    if TYPE_CHECKING:
        # Django's private members this builds on; django-stubs declares only the public API.
        _client: Any  # redis.Redis, the class

        def _get_connection_pool_index(self, write: bool) -> int: ...
        def _get_connection_pool(self, write: bool) -> Any: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
