"""nextgen.cache.RedisCache: Django's Redis cache, reusing one redis-py client per
connection pool (Django builds a new one for every cache call; issue 14)."""

from __future__ import annotations

from nextgen.cache import RedisCache
from nextgen.settings import redis_cache_config


def test_every_cache_call_uses_the_same_client():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # never connects: clients are lazy
    first = cache._cache.get_client("a", write=True)
    assert cache._cache.get_client("b", write=True) is first
    assert cache._cache.get_client("c") is first  # one server: reads use the same pool


def test_production_settings_use_it():
    assert redis_cache_config("redis://127.0.0.1:6379/0")["BACKEND"] == "nextgen.cache.RedisCache"
