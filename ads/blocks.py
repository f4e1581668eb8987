"""Meta's "blocked until", shared by every process through Redis.

When Meta throttles an ad account (error 80004, 17, 613... with
``estimated_time_to_regain_access``) every process must stop calling it, not
only the one that was told: RQ forks a work horse per job, so a block kept in
memory is forgotten at the end of the job. The moment access returns is kept
in Redis under ``mb:meta:blocked:<app>:<account>`` (``app`` for an app-wide
block) with the block's length as its TTL; :class:`ads.usage.UsageTracker`
asks it before every call. If Redis cannot be read the process falls back to
its own memory (what it saw itself), never to calling blindly more than that.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

PREFIX = "mb:meta:blocked:"
APP = "app"
USAGE_METRIC = "mb:metrics:mb_meta_usage_pct"


class SharedBlocks:
    """Blocks per ad account (and app) in Redis; ``clock`` is wall time (epoch seconds)."""

    def __init__(
        self, redis: Any, *, app: str = "", clock: Callable[[], float] = time.time
    ) -> None:
        self.redis = redis
        self.app = hashlib.sha1(app.encode()).hexdigest()[:8] if app else "meta"
        self._clock = clock

    def _key(self, account_id: str | None) -> str:
        return f"{PREFIX}{self.app}:{account_id or APP}"

    def block(self, account_id: str | None, seconds: float) -> None:
        """Access to ``account_id`` returns in ``seconds``; never shortens a longer block."""
        if seconds <= 0:
            return
        until = self._clock() + seconds
        key = self._key(account_id)
        try:
            current = self.redis.get(key)
            if current is not None and float(current) >= until:
                return
            self.redis.set(key, f"{until:.3f}", px=max(1, math.ceil(seconds * 1000)))
        except Exception:
            logger.warning("meta blocks: cannot record the block of %s", account_id, exc_info=True)
            return
        logger.warning("meta: %s blocked for %.0fs (shared)", account_id or "the app", seconds)

    def usage(self, account_id: str | None, peak_pct: float) -> None:
        """The latest usage Meta reported, for ``/metrics`` (the format of
        ``vocabulary.metrics``, which sits above this layer); never raises."""
        field = json.dumps({"account": account_id or APP}, separators=(",", ":"))
        try:
            self.redis.hset(USAGE_METRIC, field, peak_pct)
        except Exception:
            logger.debug("meta blocks: usage of %s not recorded", account_id, exc_info=True)

    def remaining(self, account_id: str | None) -> float:
        """Seconds until ``account_id`` (or the whole app) may be called again; 0 if free."""
        try:
            values = self.redis.mget([self._key(account_id), self._key(None)])
        except Exception:
            logger.warning("meta blocks: cannot read the shared blocks", exc_info=True)
            return 0.0
        now = self._clock()
        return max([0.0, *(float(v) - now for v in values if v is not None)])

    def until(self, account_id: str | None) -> float | None:
        """The epoch second access returns (None: not blocked)."""
        left = self.remaining(account_id)
        return self._clock() + left if left > 0 else None
