"""The shared Redis cache, degrading instead of failing while Redis is unreachable.

Every read then misses and every write is dropped (one warning per process every 30 s), so pages are still served:
the API throttles let requests through (their counts live in the cache), the roster's preview → confirm step asks
for the file again, and the sign-in lockout is unaffected (django-axes keeps its counts in the database). `/readyz`
reports the cache as down meanwhile. Short socket timeouts keep a blip from holding requests.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
WARN_EVERY_SECONDS = 30.0
_last_warning = 0.0


def _warn(operation: str, error: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("cache unreachable: %s served without it (%s)", operation, type(error).__name__)


def _degrading(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _warn(method.__name__, error)
                if method.__name__ in {"get"}:
                    return kwargs.get("default", args[1] if len(args) > 1 else None)
                return default() if callable(default) else default

        return guarded

    return decorate


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; an unreachable Redis is a miss, not an error (see the module's docstring)."""

    get = _degrading(None)(RedisCache.get)
    get_many = _degrading(dict)(RedisCache.get_many)
    has_key = _degrading(False)(RedisCache.has_key)
    add = _degrading(False)(RedisCache.add)
    set = _degrading(None)(RedisCache.set)
    set_many = _degrading(list)(RedisCache.set_many)
    touch = _degrading(False)(RedisCache.touch)
    delete = _degrading(False)(RedisCache.delete)
    delete_many = _degrading(None)(RedisCache.delete_many)
