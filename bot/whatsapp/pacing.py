"""Outbound pacing: within the number's throughput and about one message per 6 s per user.

WhatsApp limits a business number's throughput (80 messages/s by default,
error 130429) and messages to one user (a burst, then about one per 6 s,
error 131056). Both limits are token buckets kept in Redis (GCRA, one key per
bucket, one atomic script), shared by every worker.

Pacing is cooperative, never a worker blocked for minutes:

- a turn's first few messages go out at once (a small per-user burst);
- when a user's bucket is empty the message waits in that user's pending
  queue in Redis and a flush job is scheduled with RQ ``enqueue_in`` for
  the moment the bucket refills; consecutive texts waiting there are merged
  into one message when sent, so a burst of replies costs fewer messages;
- only waits for the number's bucket, a fraction of a second, are slept;
- on 130429 / 131056 the number / the user backs off exponentially.

Time comes from one clock, Redis's own by default (every worker reads the same
one); tests pass a fake ``clock`` and ``sleep`` so pacing never waits for real.

Without Redis (the embedded default) there is nothing to share a bucket
through, so messages go out directly.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)

PREFIX = "mb:wa"
NUMBER = "number"

# GCRA: KEYS[1] bucket; ARGV interval ms, tolerance ms, now ms. Returns 0 (token taken) or ms
# to wait. The key's expiry (real time) only cleans up: the stored time decides.
_GCRA = """
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat - tolerance
if allow_at > now then return allow_at - now end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1000)
return 0
"""


# A message to a user with nothing pending, in one round trip (the common case: four
# before). KEYS: pending list, number back-off, user back-off, user bucket, number bucket.
# ARGV: now ms ("" = Redis's TIME), user interval ms, user tolerance ms, number interval ms,
# number tolerance ms. Returns {code, ms}: 0 both tokens taken; 1 messages pending
# (nothing taken); 2 backing off ms; 3 the user's bucket refills in ms; 4 the user's
# token taken, the number's in ms.
_SEND_NOW = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if redis.call('LLEN', KEYS[1]) > 0 then return {1, 0} end
local blocked = 0
for i = 2, 3 do
  local left = tonumber(redis.call('GET', KEYS[i]) or now) - now
  if left > blocked then blocked = left end
end
if blocked > 0 then return {2, blocked} end
local function take(key, interval, tolerance)
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local allow_at = tat - tolerance
  if allow_at > now then return allow_at - now end
  local new_tat = tat + interval
  redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now) + 1000)
  return 0
end
local wait = take(KEYS[4], tonumber(ARGV[2]), tonumber(ARGV[3]))
if wait > 0 then return {3, wait} end
wait = take(KEYS[5], tonumber(ARGV[4]), tonumber(ARGV[5]))
if wait > 0 then return {4, wait} end
return {0, 0}
"""


# A reply's messages to a user with nothing pending, with the user's lock, in one round trip
# (a reply of two messages took four: the lock, a token each, the release). KEYS: lock,
# pending list, number back-off, user back-off, user bucket, number bucket. ARGV: lock token,
# lock ms, now ms ("" = Redis's TIME), user interval ms, user tolerance ms, number interval
# ms, number tolerance ms, messages. Returns -1 when another holds the lock (nothing done),
# else how many messages took both tokens (0 when something waits: the caller asks per message).
_LOCK_AND_TAKE = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if redis.call('LLEN', KEYS[2]) > 0 then return 0 end
for i = 3, 4 do
  if tonumber(redis.call('GET', KEYS[i]) or now) > now then return 0 end
end
local user_interval, user_tolerance = tonumber(ARGV[4]), tonumber(ARGV[5])
local number_interval, number_tolerance = tonumber(ARGV[6]), tonumber(ARGV[7])
local user_tat = math.max(tonumber(redis.call('GET', KEYS[5]) or now), now)
local number_tat = math.max(tonumber(redis.call('GET', KEYS[6]) or now), now)
local taken = 0
while taken < tonumber(ARGV[8]) do
  if user_tat - user_tolerance > now or number_tat - number_tolerance > now then break end
  user_tat = user_tat + user_interval
  number_tat = number_tat + number_interval
  taken = taken + 1
end
if taken > 0 then
  redis.call('SET', KEYS[5], user_tat, 'PX', math.ceil(user_tat - now) + 1000)
  redis.call('SET', KEYS[6], number_tat, 'PX', math.ceil(number_tat - now) + 1000)
end
return taken
"""

# The lock's release, as redis-py's: only by its holder (KEYS: lock; ARGV: token).
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class PaceConfig:
    user_interval: float = 6.0  # seconds between messages to one user, sustained
    user_burst: int = 4  # messages to one user that may go out back to back
    number_rate: float = 80.0  # messages per second for the business number
    number_burst: int = 80
    short_wait: float = 1.5  # waits up to this long are slept; longer ones are deferred
    number_backoff: float = 2.0  # first back-off after 130429, doubling up to the cap
    user_backoff: float = 6.0  # first back-off after 131056, doubling up to the cap
    backoff_cap: float = 300.0
    lock_timeout: float = 60.0


Clock = Callable[[], float]  # seconds since the epoch
_KEEP_MS = 60_000  # back-off keys outlive their deadline by this much (real time), then go


class Pacer:
    """Token buckets, back-offs and per-user pending queues in Redis.

    ``clock`` (seconds since the epoch) defaults to Redis's ``TIME``; ``sleep``
    is what short waits for the number's bucket call.
    """

    def __init__(
        self,
        redis: Redis,
        config: PaceConfig | None = None,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.redis = redis
        self.config = config or PaceConfig()
        self.clock = clock
        self.sleep = sleep
        self._gcra = redis.register_script(_GCRA)
        self._send_now = redis.register_script(_SEND_NOW)
        self._lock_and_take = redis.register_script(_LOCK_AND_TAKE)
        self._unlock = redis.register_script(_UNLOCK)

    def _now_ms(self) -> int:
        if self.clock is not None:
            return round(self.clock() * 1000)
        seconds, micros = self.redis.time()
        return int(seconds) * 1000 + int(micros) // 1000

    # --- buckets -------------------------------------------------------------------
    def _take(self, bucket: str, interval: float, burst: int, now_ms: int) -> float:
        interval_ms = max(1, round(interval * 1000))
        waited = self._gcra(
            keys=[f"{PREFIX}:bucket:{bucket}"],
            args=[interval_ms, interval_ms * (burst - 1), now_ms],
        )
        return int(waited) / 1000

    def acquire(self, chat_id: str) -> float:
        """Take a token for one message to ``chat_id``: 0 when it may go now, else seconds to wait."""
        now = self._now_ms()
        untils: list[Any] = self.redis.mget(
            [f"{PREFIX}:backoff:{NUMBER}", f"{PREFIX}:backoff:{chat_id}"]
        )
        blocked = max((int(until) - now for until in untils if until is not None), default=0)
        if blocked > 0:
            return blocked / 1000
        wait = self._take(f"user:{chat_id}", self.config.user_interval, self.config.user_burst, now)
        if wait > 0:
            return wait
        while True:
            wait = self._take(NUMBER, 1 / self.config.number_rate, self.config.number_burst, now)
            if wait == 0:
                return 0
            if wait > self.config.short_wait:
                return wait
            self.sleep(wait)
            now = self._now_ms()

    def _bucket_keys(self, chat_id: str) -> list[str]:
        """The keys the one-trip scripts read, in their order: pending list, number back-off,
        user back-off, user bucket, number bucket."""
        return [
            f"{PREFIX}:pending:{chat_id}",
            f"{PREFIX}:backoff:{NUMBER}",
            f"{PREFIX}:backoff:{chat_id}",
            f"{PREFIX}:bucket:user:{chat_id}",
            f"{PREFIX}:bucket:{NUMBER}",
        ]

    def _bucket_args(self) -> list[int | str]:
        """Now ("": Redis's TIME) and both buckets' interval and tolerance, in milliseconds."""
        user_ms = max(1, round(self.config.user_interval * 1000))
        number_ms = max(1, round(1000 / self.config.number_rate))
        return [
            self._now_ms() if self.clock is not None else "",
            user_ms,
            user_ms * (self.config.user_burst - 1),
            number_ms,
            number_ms * (self.config.number_burst - 1),
        ]

    def acquire_if_idle(self, chat_id: str) -> float | None:
        """:meth:`acquire` for a message with nothing pending before it, in one round trip.

        None when messages already wait for ``chat_id`` (the caller queues behind them).
        """
        code, wait_ms = self._send_now(keys=self._bucket_keys(chat_id), args=self._bucket_args())
        if int(code) == 1:
            return None
        wait = int(wait_ms) / 1000
        while int(code) == 4:  # the number's bucket: short waits are slept, as in acquire()
            if wait > self.config.short_wait:
                return wait
            self.sleep(wait)
            wait = self._take(
                NUMBER, 1 / self.config.number_rate, self.config.number_burst, self._now_ms()
            )
            if wait == 0:
                return 0
        return wait

    # --- back-off ------------------------------------------------------------------
    def backoff(self, scope: str, base: float) -> float:
        """Back off ``scope`` (a chat id or NUMBER) exponentially; returns the delay in seconds."""
        level = int(self.redis.incr(f"{PREFIX}:backoff-level:{scope}"))
        self.redis.expire(f"{PREFIX}:backoff-level:{scope}", 900)
        delay = min(self.config.backoff_cap, base * 2 ** (level - 1))
        delay_ms = max(1, round(delay * 1000))
        until = self._now_ms() + delay_ms
        self.redis.set(f"{PREFIX}:backoff:{scope}", until, px=delay_ms + _KEEP_MS)
        logger.warning(
            "whatsapp pacing: %s backs off %.1fs (level %d)", _scope(scope), delay, level
        )
        return delay

    def backoff_remaining(self, scope: str) -> float:
        """Seconds ``scope`` still backs off (0 when it may send)."""
        until: Any = self.redis.get(f"{PREFIX}:backoff:{scope}")
        if until is None:
            return 0.0
        return max(0, int(until) - self._now_ms()) / 1000

    def clear_backoff(self, scope: str) -> None:
        self.redis.delete(f"{PREFIX}:backoff-level:{scope}")

    # --- pending queue ------------------------------------------------------------------
    @contextmanager
    def lock(self, chat_id: str) -> Iterator[None]:
        """Serialize sends to one user so pending messages keep their order."""
        with self.redis.lock(
            f"{PREFIX}:lock:{chat_id}", timeout=self.config.lock_timeout, blocking_timeout=30
        ):
            yield

    @contextmanager
    def sending(self, chat_id: str, count: int) -> Iterator[int]:
        """:meth:`lock`, and tokens for up to ``count`` messages to a user with nothing pending
        (:meth:`acquire_if_idle` each), in one round trip: yields how many may go now.

        0 when something waits or a bucket is short, and when another holds the lock (then
        this waits for it as :meth:`lock` does): the caller asks per message, as before.
        """
        lock_key = f"{PREFIX}:lock:{chat_id}"
        token = uuid.uuid4().hex
        ready = int(
            self._lock_and_take(
                keys=[lock_key, *self._bucket_keys(chat_id)],
                args=[token, round(self.config.lock_timeout * 1000), *self._bucket_args(), count],
            )
        )
        if ready < 0:
            with self.lock(chat_id):
                yield 0
            return
        try:
            yield ready
        finally:
            self._unlock(keys=[lock_key], args=[token])

    def has_pending(self, chat_id: str) -> bool:
        return bool(self.redis.llen(f"{PREFIX}:pending:{chat_id}"))

    def push(self, chat_id: str, item: dict[str, Any], *, front: bool = False) -> None:
        key = f"{PREFIX}:pending:{chat_id}"
        raw = json.dumps(item, separators=(",", ":"))
        if front:
            self.redis.lpush(key, raw)
        else:
            self.redis.rpush(key, raw)
        self.redis.expire(key, 7 * 24 * 3600)

    def peek(self, chat_id: str) -> dict[str, Any] | None:
        raw: Any = self.redis.lindex(f"{PREFIX}:pending:{chat_id}", 0)
        return json.loads(raw) if raw is not None else None

    def pop(self, chat_id: str) -> dict[str, Any] | None:
        raw: Any = self.redis.lpop(f"{PREFIX}:pending:{chat_id}")
        return json.loads(raw) if raw is not None else None

    def claim_flush(self, chat_id: str, delay: float) -> bool:
        """True if no flush is scheduled for this user yet (the caller schedules one)."""
        ttl_ms = round((delay + 120) * 1000)
        return bool(self.redis.set(f"{PREFIX}:flush:{chat_id}", "1", nx=True, px=ttl_ms))

    def release_flush(self, chat_id: str) -> None:
        self.redis.delete(f"{PREFIX}:flush:{chat_id}")

    def schedule_flush(self, chat_id: str, delay: float) -> bool:
        """Schedule :func:`bot.whatsapp.sender.flush_pending` once per user; True if scheduled now."""
        if not self.claim_flush(chat_id, delay):
            return False
        # RQ: only with Redis; the embedded default runs jobs in-process
        from rq import Queue

        seconds = max(0.0, delay)
        Queue("high", connection=self.redis).enqueue_in(
            timedelta(seconds=seconds),
            "bot.whatsapp.sender.flush_pending",
            chat_id,
            failure_ttl=7 * 24 * 3600,
        )
        logger.info("whatsapp pacing: %s flush in %.1fs", _scope(chat_id), seconds)
        return True


def _scope(scope: str) -> str:
    """Numbers are personal data: logs show only their last digits."""
    return scope if scope == NUMBER else f"…{scope[-4:]}"
