"""Rate-limit accounting and Meta's usage headers.

Meta tells a client how close it is to being throttled through three headers
on every response; a well-behaved connector reads them and slows down before
hitting 100%. The sandbox keeps a sliding one-minute window of (real-time)
calls per ad account and per usage type (``ads_management``,
``ads_insights``) plus one for the app (calls outside the Marketing API: Meta keeps the
Marketing API out of the app's Graph limits), reports percentages of a per-minute
budget, and - when ``enforce`` is on - answers Graph's throttling errors once a
budget is exhausted, until the window drains.

Header shapes (as Meta sends them)::

    X-App-Usage: {"call_count": 12, "total_cputime": 3, "total_time": 5}
    X-Ad-Account-Usage: {"acc_id_util_pct": 9.5, "reset_time_duration": 0,
                         "ads_api_access_tier": "standard_access"}
    X-Business-Use-Case-Usage: {"1000000001": [{"type": "ads_management",
        "call_count": 9, "total_cputime": 2, "total_time": 4,
        "estimated_time_to_regain_access": 0, "ads_api_access_tier": "standard_access"}]}

For the Marketing API the business-use-case key is the ad account id (digits,
without ``act_``), which is what Meta sends for ads use cases.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ads.sandbox.errors import GraphError, throttled

ADS_MANAGEMENT = "ads_management"
ADS_INSIGHTS = "ads_insights"


@dataclass
class UsageLimits:
    """Per-minute call budgets. Insights calls weigh 2 (they are heavier at Meta too)."""

    ads_management: int = 600
    ads_insights: int = 600
    app: int = 20_000
    window_seconds: float = 60.0
    enforce: bool = True


@dataclass
class _Call:
    at: float
    weight: float
    seconds: float


class UsageTracker:
    def __init__(
        self, limits: UsageLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or UsageLimits()
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque[_Call]] = {}
        self._app: deque[_Call] = deque()

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._app.clear()

    def check(self, account: str | None, kind: str) -> None:
        """Raise Graph's throttling error if the budget is exhausted (when enforced)."""
        if not self.limits.enforce:
            return
        with self._lock:
            now = self._clock()
            if self._pct(self._app, self.limits.app, now) >= 100:
                raise throttled(4)
            if account is None:
                return
            calls = self._calls.get((account, kind))
            if calls is not None and self._pct(calls, self._budget(kind), now) >= 100:
                raise throttled(80004 if kind == ADS_INSIGHTS else 17)

    def record(self, account: str | None, kind: str, seconds: float) -> None:
        """Count a call: an ad account's (Marketing API) against that account's business use
        case only. Meta: "The Marketing API has its own rate limiting logic and is excluded
        from all the Graph API rate limitations" (developers.facebook.com/docs/marketing-api/
        overview/rate-limiting), so only calls without an ad account fill the app's window."""
        weight = 2.0 if kind == ADS_INSIGHTS else 1.0
        with self._lock:
            now = self._clock()
            call = _Call(now, weight, seconds)
            if account is None:
                self._app.append(call)
            else:
                self._calls.setdefault((account, kind), deque()).append(call)

    def headers(
        self, account: str | None, kind: str, *, regain_minutes: int | None = None
    ) -> dict[str, str]:
        with self._lock:
            now = self._clock()
            app_pct = self._pct(self._app, self.limits.app, now)
            headers = {
                "X-App-Usage": json.dumps(
                    {
                        "call_count": math.floor(app_pct),
                        "total_cputime": math.floor(self._time_pct(self._app, now) * 0.6),
                        "total_time": math.floor(self._time_pct(self._app, now)),
                    }
                )
            }
            if account is None:
                return headers
            numeric = account.removeprefix("act_")
            entries = []
            for use_case in (ADS_MANAGEMENT, ADS_INSIGHTS):
                calls = self._calls.get((account, use_case), deque())
                pct = self._pct(calls, self._budget(use_case), now)
                if use_case != kind and not calls:
                    continue
                regain = self._regain_minutes(calls, self._budget(use_case), now)
                if use_case == kind and regain_minutes is not None:
                    pct, regain = max(pct, 100.0), regain_minutes
                entries.append(
                    {
                        "type": use_case,
                        "call_count": math.floor(pct),
                        "total_cputime": math.floor(self._time_pct(calls, now) * 0.6),
                        "total_time": math.floor(self._time_pct(calls, now)),
                        "estimated_time_to_regain_access": regain,
                        "ads_api_access_tier": "standard_access",
                    }
                )
            own = self._calls.get((account, kind), deque())
            account_pct = self._pct(own, self._budget(kind), now)
            if regain_minutes is not None:
                account_pct = max(account_pct, 100.0)
            headers["X-Business-Use-Case-Usage"] = json.dumps({numeric: entries})
            headers["X-Ad-Account-Usage"] = json.dumps(
                {
                    "acc_id_util_pct": round(account_pct, 2),
                    "reset_time_duration": self._reset_seconds(own, now),
                    "ads_api_access_tier": "standard_access",
                }
            )
            return headers

    # --- internals (lock held) -----------------------------------------------------------

    def _budget(self, kind: str) -> int:
        return self.limits.ads_insights if kind == ADS_INSIGHTS else self.limits.ads_management

    def _trim(self, calls: deque[_Call], now: float) -> None:
        horizon = now - self.limits.window_seconds
        while calls and calls[0].at <= horizon:
            calls.popleft()

    def _pct(self, calls: deque[_Call], budget: int, now: float) -> float:
        self._trim(calls, now)
        return 100.0 * sum(c.weight for c in calls) / max(budget, 1)

    def _time_pct(self, calls: deque[_Call], now: float) -> float:
        self._trim(calls, now)
        # Budget: 25 seconds of handler time per minute.
        return min(100.0, 100.0 * sum(c.seconds for c in calls) / 25.0)

    def _regain_minutes(self, calls: deque[_Call], budget: int, now: float) -> int:
        """Minutes until usage drops below 100% (0 when not throttled)."""
        total = sum(c.weight for c in calls)
        if total < budget:
            return 0
        excess = total - budget + 1
        for call in calls:
            excess -= call.weight
            if excess <= 0:
                seconds = call.at + self.limits.window_seconds - now
                return max(1, math.ceil(seconds / 60))
        return 1

    def _reset_seconds(self, calls: deque[_Call], now: float) -> int:
        if not calls:
            return 0
        return max(0, math.ceil(calls[0].at + self.limits.window_seconds - now))


def throttle_error(kind: str, code: int | None) -> GraphError:
    return throttled(code if code is not None else (80004 if kind == ADS_INSIGHTS else 17))
