"""Meta rate-limit usage headers: parse them, remember the latest per ad account, pace calls.

Meta reports how close a caller is to being throttled on every response:
``X-App-Usage`` (app-wide percentages), ``X-Ad-Account-Usage`` (``acc_id_util_pct``
for the account) and ``X-Business-Use-Case-Usage`` (per business object, with
``estimated_time_to_regain_access`` in minutes once blocked). Slowing down before
100% is far cheaper than being blocked for up to an hour.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ads.blocks import SharedBlocks

logger = logging.getLogger(__name__)

APP_USAGE = "x-app-usage"
ACCOUNT_USAGE = "x-ad-account-usage"
BUC_USAGE = "x-business-use-case-usage"


@dataclass(frozen=True)
class Usage:
    """The latest utilisation seen for one ad account (percentages, 0-100+)."""

    app_pct: float = 0.0
    account_pct: float = 0.0
    business_pct: float = 0.0
    regain_minutes: float = 0.0  # estimated_time_to_regain_access; 0 when not blocked
    observed_at: float = 0.0  # clock() when the headers were read

    @property
    def peak(self) -> float:
        return max(self.app_pct, self.account_pct, self.business_pct)


@dataclass(frozen=True)
class PacingPolicy:
    """When to slow down: linear delay from ``threshold`` % up to ``max_delay`` s at 100%."""

    threshold: float = 75.0
    max_delay: float = 10.0
    stale_after: float = 600.0  # ignore readings older than this (seconds)


def header_json(headers: Mapping[str, Any] | Any, name: str) -> Any:
    """One usage header decoded from JSON, or None (case-insensitive; batch lists too)."""
    if headers is None:
        return None
    raw: Any = None
    if isinstance(headers, Mapping):
        raw = headers.get(name)
        if raw is None:
            for key, value in headers.items():
                if str(key).lower() == name:
                    raw = value
                    break
    elif isinstance(headers, list):  # batch item headers: [{"name": ..., "value": ...}]
        for item in headers:
            if isinstance(item, Mapping) and str(item.get("name", "")).lower() == name:
                raw = item.get("value")
                break
    if raw is None or raw == "":
        return None
    if isinstance(raw, (dict, list)):
        return raw
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        logger.debug("unparseable %s header", name)
        return None


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _numeric_id(account_id: str | None) -> str | None:
    if not account_id:
        return None
    return account_id.removeprefix("act_")


def parse_usage(
    headers: Mapping[str, Any] | Any, account_id: str | None, *, now: float = 0.0
) -> Usage | None:
    """The usage the headers report for ``account_id`` (None when no usage header is present)."""
    app = header_json(headers, APP_USAGE)
    account = header_json(headers, ACCOUNT_USAGE)
    buc = header_json(headers, BUC_USAGE)
    if app is None and account is None and buc is None:
        return None
    app_pct = 0.0
    if isinstance(app, Mapping):
        app_pct = max(_num(app.get(k)) for k in ("call_count", "total_time", "total_cputime"))
    account_pct = _num(account.get("acc_id_util_pct")) if isinstance(account, Mapping) else 0.0
    business_pct = 0.0
    regain = 0.0
    if isinstance(buc, Mapping):
        wanted = _numeric_id(account_id)
        for key, entries in buc.items():
            # Entries keyed by another business object do not describe this account.
            if wanted is not None and len(buc) > 1 and str(key) != wanted:
                continue
            for entry in entries if isinstance(entries, list) else [entries]:
                if not isinstance(entry, Mapping):
                    continue
                business_pct = max(
                    business_pct,
                    *(_num(entry.get(k)) for k in ("call_count", "total_time", "total_cputime")),
                )
                regain = max(regain, _num(entry.get("estimated_time_to_regain_access")))
    return Usage(app_pct, account_pct, business_pct, regain, now)


def regain_seconds(headers: Mapping[str, Any] | Any, account_id: str | None) -> float | None:
    """Seconds until access comes back per the headers, or None when they do not say."""
    usage = parse_usage(headers, account_id)
    if usage is None or usage.regain_minutes <= 0:
        return None
    return usage.regain_minutes * 60.0


class UsageTracker:
    """Thread-safe latest usage per ad account, and the pause it implies before the next call."""

    def __init__(
        self,
        policy: PacingPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedBlocks | None = None,
    ) -> None:
        self.policy = policy or PacingPolicy()
        self._clock = clock
        #: Blocks every process sees (Redis); None: this process's memory only.
        self.shared = shared
        self._lock = threading.Lock()
        self._by_account: dict[str, Usage] = {}
        self._app: Usage | None = None

    def record(self, account_id: str | None, headers: Mapping[str, Any] | Any) -> Usage | None:
        if account_id is None:  # e.g. GET /{campaign_id}: the business header names the account
            buc = header_json(headers, BUC_USAGE)
            if isinstance(buc, Mapping) and len(buc) == 1:
                account_id = f"act_{next(iter(buc))}"
        usage = parse_usage(headers, account_id, now=self._clock())
        if usage is None:
            return None
        with self._lock:
            self._app = usage
            if account_id:
                self._by_account[account_id] = usage
        if self.shared is not None:
            self.shared.usage(account_id, usage.peak)
        if usage.regain_minutes > 0 and self.shared is not None:
            self.shared.block(account_id, usage.regain_minutes * 60.0)
        if usage.peak >= self.policy.threshold:
            logger.info(
                "meta usage high for %s: app %.0f%% account %.0f%% business %.0f%%",
                account_id or "-",
                usage.app_pct,
                usage.account_pct,
                usage.business_pct,
            )
        return usage

    def latest(self, account_id: str | None) -> Usage | None:
        with self._lock:
            if account_id and account_id in self._by_account:
                return self._by_account[account_id]
            return self._app

    def delay_for(self, account_id: str | None) -> tuple[float, float | None]:
        """(seconds to pause before calling, seconds until regained access when blocked)."""
        if self.shared is not None:
            left = self.shared.remaining(account_id)
            if left > 0:
                return left, left
        usage = self.latest(account_id)
        if usage is None:
            return 0.0, None
        age = self._clock() - usage.observed_at
        if usage.regain_minutes > 0:
            remaining = usage.regain_minutes * 60.0 - age
            if remaining > 0:
                return remaining, remaining
            return 0.0, None  # the block Meta announced is over; that 100% reading is history
        if age > self.policy.stale_after:
            return 0.0, None
        # App usage is app-wide, so it also paces calls for accounts never seen yet.
        peak = usage.peak if account_id in self._by_account else usage.app_pct
        if peak < self.policy.threshold:
            return 0.0, None
        span = max(100.0 - self.policy.threshold, 1e-9)
        fraction = min((peak - self.policy.threshold) / span, 1.0)
        return self.policy.max_delay * fraction, None
