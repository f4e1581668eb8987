"""Single flight: concurrent misses on one cache key make a single upstream call.

Inside a process the first caller (the leader) computes while the others wait
on its future; across processes the leader holds a short ``SET NX PX`` lock on
the backend and the others poll for the entry it writes. A lock held past its
TTL (a crashed leader) is ignored and the value computed anyway.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future

from ads.cache_backends import CacheBackend

logger = logging.getLogger(__name__)


class SingleFlight:
    """One computation per key at a time, in this process and (on a shared backend) across all."""

    def __init__(self, backend: CacheBackend, *, lock_ttl: float, poll_interval: float) -> None:
        self.backend = backend
        self._lock_ttl = lock_ttl
        self._poll = poll_interval
        self._inflight: dict[str, Future[str]] = {}
        self._inflight_lock = threading.Lock()

    def run(self, key: str, produce: Callable[[], str], *, on_wait: Callable[[], None]) -> str:
        """The entry at ``key``: from ``produce()`` (which computes and stores it), or, when
        another caller is already producing it, that caller's result (``on_wait`` is called)."""
        with self._inflight_lock:
            future = self._inflight.get(key)
            leader = future is None
            if future is None:
                future = Future()
                self._inflight[key] = future
        if not leader:
            on_wait()
            return future.result()
        try:
            raw = self._fill(key, produce, on_wait)
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(raw)
            return raw
        finally:
            with self._inflight_lock:
                self._inflight.pop(key, None)

    def _fill(self, key: str, produce: Callable[[], str], on_wait: Callable[[], None]) -> str:
        """Produce under a backend lock; other processes wait for the value instead."""
        lock_key = f"{key}:lock"
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + self._lock_ttl
        while True:
            if self.backend.add(lock_key, owner, self._lock_ttl):
                try:
                    (raw,) = self.backend.get_many([key])
                    if raw is not None:  # filled between our miss and the lock
                        on_wait()
                        return raw
                    return produce()
                finally:
                    # Compare-then-delete is two commands (no Lua); the lock TTL bounds the race.
                    if self.backend.get_many([lock_key])[0] == owner:
                        self.backend.delete(lock_key)
            (raw,) = self.backend.get_many([key])
            if raw is not None:
                on_wait()
                return raw
            if time.monotonic() >= deadline:
                logger.warning("cache lock on %s held too long; computing anyway", key)
                return produce()
            time.sleep(self._poll)
