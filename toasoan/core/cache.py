"""A Redis cache that a Redis outage cannot take the site down with.

Django's RedisCache raises when Redis is unreachable, and every page that asks
the cache for a listing's version would answer 500. Here a cache that cannot be
reached is a cache that misses: reads return their default, writes do nothing,
and pages are built from the database. After a failure the cache is not asked
again for a few seconds (each attempt would wait for a connect timeout); then
it is tried again, so the site goes back to Redis by itself when it returns.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# How long a failed Redis is left alone before it is tried again.
RETRY_AFTER_SECONDS = 5.0


def _forgiving(default):
    """Run the cache method, or give ``default(args)`` while Redis is away."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Redis cache unreachable, serving without it: %s", error)
                return default(*args, **kwargs)

        return run

    return wrap


def _missing_key(key, *args, **kwargs):
    # incr on a key that is not there raises ValueError: callers already handle it.
    raise ValueError(f"Key '{key}' not found (cache unreachable)")


class ForgivingRedisCache(RedisCache):
    """RedisCache whose outages look like misses (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    get = _forgiving(lambda key, default=None, version=None: default)(RedisCache.get)
    add = _forgiving(lambda *a, **k: False)(RedisCache.add)
    set = _forgiving(lambda *a, **k: None)(RedisCache.set)
    touch = _forgiving(lambda *a, **k: False)(RedisCache.touch)
    delete = _forgiving(lambda *a, **k: False)(RedisCache.delete)
    get_many = _forgiving(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _forgiving(lambda *a, **k: False)(RedisCache.has_key)
    incr = _forgiving(_missing_key)(RedisCache.incr)
    set_many = _forgiving(lambda keys, *a, **k: list(keys))(RedisCache.set_many)
    delete_many = _forgiving(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _forgiving(lambda *a, **k: False)(RedisCache.clear)
