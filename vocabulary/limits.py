"""Rate limits: token buckets per person and per workspace, shared by every process through Redis.

A :class:`Rate` such as ``3/10m`` lets three requests through at once (the burst),
then one more every 10 / 3 minutes. Buckets are GCRA (one key per bucket holding
its "theoretical arrival time"); :meth:`Limiter.take` checks several buckets in
one Lua script, so a request takes a token from all of them or from none, and
two workers never both take the last one. The clock is Redis's own ``TIME``.

Without Redis (the embedded default: one process) the same buckets live in
memory. A refused request gets one polite notice per wait, not one per message:
:meth:`Limiter.first_notice` is a ``SET NX`` that lasts as long as the wait.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

PREFIX = "mb:rate"

# KEYS: the buckets; ARGV: interval ms and tolerance ms per bucket. Returns {0, 0} when a
# token was taken from every bucket, else {ms to wait, 1-based index of the full bucket}.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tats = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  if tat - tolerance > now then return {tat - tolerance - now, i} end
  tats[i] = tat + interval
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], tats[i], 'PX', math.ceil(tats[i] - now) + 1000)
end
return {0, 0}
"""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``seconds``: a burst of ``count``, then an even trickle."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, spec: str) -> Rate:
        """``"3/10m"``, ``"20/1h"``, ``"10/m"``; raises ValueError with the expected form."""
        match = _SPEC.match(spec)
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"rate {spec!r}: expected <count>/<period>, e.g. 3/10m, 20/1h, 10/1s")
        count, amount, unit = int(match.group(1)), match.group(2), match.group(3)
        return cls(count, float(int(amount or 1) * _UNITS[unit]))

    @property
    def interval_ms(self) -> int:
        return max(1, round(self.seconds * 1000 / self.count))

    @property
    def tolerance_ms(self) -> int:
        return self.interval_ms * (self.count - 1)


@dataclass(frozen=True)
class Bucket:
    """One bucket to take from: its key (``crew:person:12``) and its rate."""

    key: str
    rate: Rate


@dataclass(frozen=True)
class Verdict:
    """A request's fate: allowed, or refused with the wait and the bucket that was full."""

    wait_seconds: float = 0.0
    full: str = ""  # the key of the bucket that refused

    @property
    def allowed(self) -> bool:
        return self.wait_seconds <= 0


class Limiter:
    """Token buckets in Redis (or in memory without it); see the module's docstring."""

    def __init__(self, redis: Redis | None, *, clock: Callable[[], float] = time.time) -> None:
        self.redis = redis
        self._script = redis.register_script(_TAKE) if redis is not None else None
        self._clock = clock  # the in-memory buckets' clock (Redis uses its own TIME)
        self._tats: dict[str, float] = {}  # in memory: key → theoretical arrival time (ms)
        self._notices: dict[str, float] = {}
        self._lock = threading.Lock()

    def take(self, buckets: Sequence[Bucket]) -> Verdict:
        """Take one token from every bucket, or from none and say how long to wait."""
        if not buckets:
            return Verdict()
        keys = [f"{PREFIX}:{b.key}" for b in buckets]
        if self._script is not None:
            args: list[int] = []
            for bucket in buckets:
                args += [bucket.rate.interval_ms, bucket.rate.tolerance_ms]
            wait_ms, index = self._script(keys=keys, args=args)
            if int(index) == 0:
                return Verdict()
            return Verdict(int(wait_ms) / 1000, buckets[int(index) - 1].key)
        with self._lock:
            now = self._clock() * 1000
            tats = []
            for bucket in buckets:
                tat = max(self._tats.get(f"{PREFIX}:{bucket.key}", now), now)
                if tat - bucket.rate.tolerance_ms > now:
                    return Verdict((tat - bucket.rate.tolerance_ms - now) / 1000, bucket.key)
                tats.append(tat + bucket.rate.interval_ms)
            for key, tat in zip(keys, tats, strict=True):
                self._tats[key] = tat
        return Verdict()

    def first_notice(self, key: str, seconds: float) -> bool:
        """True once per ``seconds`` for ``key``: whether to tell the person they were refused."""
        ttl = max(1, math.ceil(seconds))
        name = f"{PREFIX}:notice:{key}"
        if self.redis is not None:
            return bool(self.redis.set(name, "1", nx=True, ex=ttl))
        with self._lock:
            now = self._clock()
            if self._notices.get(name, 0) > now:
                return False
            self._notices[name] = now + ttl
            return True
