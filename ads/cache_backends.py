"""Where the ads read cache keeps its entries: Redis (shared by processes) or process memory.

Both speak the same handful of plain Redis commands (``MGET``, ``SET PX``,
``SET NX PX``, ``DEL``, ``INCR``, ``PTTL``; no Lua, so fakeredis without lupa
works too). A Redis outage degrades to "no cache", never to an error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class CacheBackend(Protocol):
    """The handful of key-value operations the cache needs (all Redis plain commands)."""

    shared: bool  # True when other processes see the same entries

    def get_many(self, keys: Sequence[str]) -> list[str | None]: ...
    def set(self, key: str, value: str, ttl: float) -> None: ...
    def set_many(self, items: Mapping[str, str], ttl: float) -> None: ...
    def add(self, key: str, value: str, ttl: float) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str) -> int: ...
    def ttl(self, key: str) -> float | None: ...


class MemoryBackend:
    """In-process entries with expiry on an injectable clock (the embedded default)."""

    shared = False

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._data: dict[str, tuple[str, float | None]] = {}

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and self._clock() >= expires:
            del self._data[key]
            return None
        return value

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        with self._lock:
            return [self._live(key) for key in keys]

    def set(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            self._data[key] = (value, self._clock() + ttl)

    def set_many(self, items: Mapping[str, str], ttl: float) -> None:
        with self._lock:
            expires = self._clock() + ttl
            for key, value in items.items():
                self._data[key] = (value, expires)

    def add(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._clock() + ttl)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: str) -> int:
        with self._lock:
            value = int(self._live(key) or 0) + 1
            self._data[key] = (str(value), None)
            return value

    def ttl(self, key: str) -> float | None:
        with self._lock:
            if self._live(key) is None:
                return None
            expires = self._data[key][1]
            return None if expires is None else expires - self._clock()


class RedisBackend:
    """Entries in Redis, shared by every web and worker process (redis-py client passed in).

    A Redis outage must not take the ads layer down with it: a failing command
    is logged and treated as a miss (reads go upstream, entries are not
    written, a lock is treated as ours), and Redis is left alone for
    ``retry_after`` seconds so each read does not pay the client's connection
    retries again. The product keeps answering, only without the cache.
    """

    shared = True

    def __init__(self, client: Any, *, retry_after: float = 10.0) -> None:
        self._r = client
        self._retry_after = retry_after
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    @staticmethod
    def _text(value: Any) -> str | None:
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def _failed(self, command: str, exc: RedisError) -> None:
        self._down_until = time.monotonic() + self._retry_after
        logger.warning(
            "redis %s failed (%s); ads cache bypassed for %.0fs", command, exc, self._retry_after
        )

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        if not self.available:
            return [None] * len(keys)
        try:
            return [self._text(v) for v in self._r.mget(list(keys))]
        except RedisError as exc:
            self._failed("MGET", exc)
            return [None] * len(keys)

    def set(self, key: str, value: str, ttl: float) -> None:
        if not self.available:
            return
        try:
            self._r.set(key, value, px=max(1, int(ttl * 1000)))
        except RedisError as exc:
            self._failed("SET", exc)

    def set_many(self, items: Mapping[str, str], ttl: float) -> None:
        if not items or not self.available:
            return
        try:
            pipe = self._r.pipeline(transaction=False)
            for key, value in items.items():
                pipe.set(key, value, px=max(1, int(ttl * 1000)))
            pipe.execute()
        except RedisError as exc:
            self._failed("SET (pipeline)", exc)

    def add(self, key: str, value: str, ttl: float) -> bool:
        if not self.available:
            return True
        try:
            return bool(self._r.set(key, value, nx=True, px=max(1, int(ttl * 1000))))
        except RedisError as exc:
            self._failed("SET NX", exc)
            return True

    def delete(self, key: str) -> None:
        if not self.available:
            return
        try:
            self._r.delete(key)
        except RedisError as exc:
            self._failed("DEL", exc)

    def incr(self, key: str) -> int:
        try:  # tried even while marked down: losing an invalidation is worse than a delay
            return int(self._r.incr(key))
        except RedisError as exc:
            self._down_until = time.monotonic() + self._retry_after
            # Entries written before the outage may be served until their TTL ends.
            logger.error("redis INCR failed (%s): cache invalidation of %s lost", exc, key)
            return 0

    def ttl(self, key: str) -> float | None:
        if not self.available:
            return None
        try:
            ms = self._r.pttl(key)
        except RedisError as exc:
            self._failed("PTTL", exc)
            return None
        return None if ms is None or ms < 0 else ms / 1000
