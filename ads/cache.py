"""A read cache in front of any ``AdsPlatform``, on a backend of ``ads.cache_backends``.

Chat turns, reports and alerts ask the same questions within minutes; the
cache answers them without spending Meta rate limit. Keys live under
``mb:ads:{platform}:{account_id}:...`` so one tenant's entries are never read
for another account, and a per-account *generation* number in every key makes
invalidation after a write one atomic INCR (the object, its parents, the
account's lists and insights all go at once). Concurrent misses on a key make
a single upstream call: a per-key future inside the process and a short
``SET NX PX`` lock across processes.

Against the sandbox, time is simulated: a clock advanced by a day in a second
would leave a two-minute-old answer (yesterday's ad statuses) fresh by the wall
clock. An ``epoch`` (the platform's simulated now) then goes into every key, so
an answer cached at one simulated moment is never served at another.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from ads import codec
from ads.base import (
    Ad,
    AdAccountInfo,
    AdDraft,
    AdSet,
    AdSetDraft,
    AdsPlatform,
    Campaign,
    CampaignDraft,
    Creative,
    CreativeDraft,
    InsightRow,
    Level,
    Period,
    Status,
)
from ads.cache_backends import CacheBackend, MemoryBackend
from ads.cache_flight import SingleFlight
from ads.errors import InvalidRequest
from ads.studies import SplitTesting, Study, StudyDraft

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds each kind of answer stays fresh.
TTLS: dict[str, float] = {
    "insights": 5 * 60,  # delivery metrics
    "campaigns": 2 * 60,  # campaign list
    "lists": 2 * 60,  # ad set / ad / creative lists
    "object": 10 * 60,  # one object's details
    "accounts": 10 * 60,  # the token's ad accounts and their details
    "month_summary": 30 * 60,
}
INDEX_TTL = 24 * 3600  # object id -> owning account (ids never move between accounts)
ACCESS_TTL = 10 * 60  # "this token reached this account" proof


def ttl_for(kind: str) -> float:
    """Freshness window for a kind of cached answer (KeyError for unknown kinds)."""
    return TTLS[kind]


def _digest(*parts: Any) -> str:
    return hashlib.sha256(codec.dumps(list(parts)).encode()).hexdigest()[:20]


def token_scope(token: str) -> str:
    """A non-reversible name for a token, to scope per-token entries (never the token)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class CachedAds:
    """``AdsPlatform`` that caches reads of ``inner`` and invalidates on every write through it."""

    def __init__(
        self,
        inner: AdsPlatform,
        backend: CacheBackend | None = None,
        *,
        scope: str | None = None,
        ttls: Mapping[str, float] | None = None,
        lock_ttl: float = 60.0,
        poll_interval: float = 0.02,
        epoch: Callable[[], str] | None = None,
    ) -> None:
        """``scope`` names the credential (see :func:`token_scope`): with it, a cached answer
        about an account is served only once this credential has reached that account.
        ``epoch`` names the platform's simulated moment (the sandbox clock), ``None`` for a
        platform on the wall clock."""
        self.inner = inner
        self.platform = inner.platform
        self.backend: CacheBackend = backend or MemoryBackend()
        self.scope = scope
        self._ttls = {**TTLS, **(ttls or {})}
        self._prefix = f"mb:ads:{self.platform}"
        self._epoch = epoch
        self._flight = SingleFlight(self.backend, lock_ttl=lock_ttl, poll_interval=poll_interval)
        self._stats_lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def __repr__(self) -> str:
        return f"CachedAds({self.inner!r}, shared={self.backend.shared})"

    # --- counters ---------------------------------------------------------------------------

    def _count(self, name: str, kind: str) -> None:
        with self._stats_lock:
            self._counts[name] += 1
            self._counts[f"{name}:{kind}"] += 1

    @property
    def stats(self) -> dict[str, int]:
        """Counters: ``hits``, ``misses`` (upstream calls), ``waits`` (served by another's
        call), ``invalidations``; each also per kind as ``hits:insights`` etc."""
        with self._stats_lock:
            counts = dict(self._counts)
        for name in ("hits", "misses", "waits", "invalidations"):
            counts.setdefault(name, 0)
        return counts

    @property
    def network_calls(self) -> int:
        """Requests the inner platform has sent (cache hits send none)."""
        return self.inner.network_calls

    @property
    def hits(self) -> int:
        return self.stats["hits"]

    @property
    def misses(self) -> int:
        return self.stats["misses"]

    # --- keys -------------------------------------------------------------------------------

    def ttl_for(self, kind: str) -> float:
        return self._ttls[kind]

    def _gen_key(self, account_id: str | None) -> str:
        return f"{self._prefix}:{account_id}:gen" if account_id else f"{self._prefix}:gen"

    def _access_key(self, account_id: str) -> str:
        return f"{self._prefix}:{account_id}:access:{self.scope}"

    def _index_key(self, object_id: str) -> str:
        return f"{self._prefix}:idx:{object_id}"

    def _state(self, account_id: str) -> tuple[str, bool]:
        """(generation tag for the account's keys, whether this scope reached the account)."""
        keys = [self._gen_key(None), self._gen_key(account_id)]
        if self.scope is not None:
            keys.append(self._access_key(account_id))
        values = self.backend.get_many(keys)
        access = self.scope is None or values[2] is not None
        generation = f"{values[0] or 0}.{values[1] or 0}"
        if self._epoch is not None:
            generation += f".t{self._epoch()}"
        return generation, access

    def key(self, account_id: str, kind: str, *parts: Any) -> str:
        """The current cache key for a question about ``account_id`` (changes after writes)."""
        generation, _ = self._state(account_id)
        return self._key(account_id, generation, kind, parts)

    def _key(self, account_id: str, generation: str, kind: str, parts: Sequence[Any]) -> str:
        return f"{self._prefix}:{account_id}:g{generation}:{kind}:{_digest(*parts)}"

    # --- the read path ----------------------------------------------------------------------

    def cached(
        self, account_id: str, kind: str, parts: Sequence[Any], compute: Callable[[], T]
    ) -> T:
        """The cached answer to a question about ``account_id``, computing it at most once.

        Public so other layers (e.g. a month summary) share keys, TTLs and invalidation.
        """
        generation, access = self._state(account_id)
        key = self._key(account_id, generation, kind, parts)
        (raw,) = self.backend.get_many([key])
        if raw is not None:
            if not access:
                self._prove_access(account_id)
            self._count("hits", kind)
            return codec.loads(raw)
        raw = self._single_flight(key, kind, account_id, compute)
        if not access and not self._state(account_id)[1]:
            self._prove_access(account_id)  # the answer came from another credential's call
        return codec.loads(raw)

    def _single_flight(
        self, key: str, kind: str, account_id: str | None, compute: Callable[[], Any]
    ) -> str:
        return self._flight.run(
            key,
            lambda: self._compute(key, kind, account_id, compute),
            on_wait=lambda: self._count("waits", kind),
        )

    def _compute(
        self, key: str, kind: str, account_id: str | None, compute: Callable[[], Any]
    ) -> str:
        self._count("misses", kind)
        value = compute()
        raw = codec.dumps(value)
        self.backend.set(key, raw, self._ttls[kind])
        self._remember(account_id, value)
        return raw

    def _remember(self, account_id: str | None, value: Any) -> None:
        """After a successful upstream read: note access, and which account owns each object."""
        if self.scope is not None and account_id:
            self.backend.set(self._access_key(account_id), "1", ACCESS_TTL)
        owners: dict[str, str] = {}
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Campaign | AdSet | Ad | Creative):
                owners[self._index_key(item.id)] = item.account_id
        self.backend.set_many(owners, INDEX_TTL)

    def _prove_access(self, account_id: str) -> None:
        """A hit cached by another credential: make this one reach the account first."""
        self.inner.get_account(account_id)  # raises PermissionDenied/NotFound/TokenExpired
        self._count("access_checks", "account")
        self.backend.set(self._access_key(account_id), "1", ACCESS_TTL)

    def _owner(self, object_id: str) -> str | None:
        return self.backend.get_many([self._index_key(object_id)])[0]

    def _object(self, object_id: str, kind_name: str, fetch: Callable[[], T]) -> T:
        """One object by id: cached under its account once we know which account that is."""
        account_id = self._owner(object_id)
        if account_id is None:
            self._count("misses", "object")
            value = fetch()
            owner = getattr(value, "account_id", None)
            if owner:
                generation, _ = self._state(owner)
                key = self._key(owner, generation, "object", (kind_name, object_id))
                self.backend.set(key, codec.dumps(value), self._ttls["object"])
                self._remember(owner, value)
            return value
        return self.cached(account_id, "object", (kind_name, object_id), fetch)

    # --- invalidation -----------------------------------------------------------------------

    def invalidate_account(self, account_id: str | None) -> None:
        """Forget everything cached about the account (None: about every account)."""
        self.backend.incr(self._gen_key(account_id))
        self._count("invalidations", "account" if account_id else "all")

    def _invalidate_object(self, object_id: str) -> None:
        account_id = self._owner(object_id)
        if account_id is None:
            try:
                account_id = self.inner.account_of(object_id)
            except Exception:  # None below: every account's entries go instead
                logger.warning("cannot tell which account owns %s", object_id, exc_info=True)
        self.invalidate_account(account_id)

    # --- AdsPlatform reads ------------------------------------------------------------------

    def list_ad_accounts(self) -> list[AdAccountInfo]:
        if self.scope is None:  # which accounts a token sees is per token
            return self.inner.list_ad_accounts()
        key = f"{self._prefix}:token:{self.scope}:accounts"
        (raw,) = self.backend.get_many([key])
        if raw is not None:
            self._count("hits", "accounts")
            return codec.loads(raw)
        raw = self._single_flight(key, "accounts", None, self._accounts_upstream)
        return codec.loads(raw)

    def _accounts_upstream(self) -> list[AdAccountInfo]:
        accounts = self.inner.list_ad_accounts()
        self.backend.set_many({self._access_key(a.id): "1" for a in accounts}, ACCESS_TTL)
        return accounts

    def get_account(self, account_id: str) -> AdAccountInfo:
        return self.cached(
            account_id, "accounts", ("account",), lambda: self.inner.get_account(account_id)
        )

    def list_campaigns(self, account_id: str) -> list[Campaign]:
        return self.cached(
            account_id, "campaigns", ("campaigns",), lambda: self.inner.list_campaigns(account_id)
        )

    def get_campaign(self, campaign_id: str) -> Campaign:
        return self._object(campaign_id, "campaign", lambda: self.inner.get_campaign(campaign_id))

    def list_adsets(self, account_id: str, campaign_id: str | None = None) -> list[AdSet]:
        return self.cached(
            account_id,
            "lists",
            ("adsets", campaign_id),
            lambda: self.inner.list_adsets(account_id, campaign_id),
        )

    def get_adset(self, adset_id: str) -> AdSet:
        return self._object(adset_id, "adset", lambda: self.inner.get_adset(adset_id))

    def list_ads(self, account_id: str, adset_id: str | None = None) -> list[Ad]:
        return self.cached(
            account_id,
            "lists",
            ("ads", adset_id),
            lambda: self.inner.list_ads(account_id, adset_id),
        )

    def list_creatives(self, account_id: str) -> list[Creative]:
        return self.cached(
            account_id, "lists", ("creatives",), lambda: self.inner.list_creatives(account_id)
        )

    def insights(
        self,
        account_id: str,
        level: Level,
        period: Period,
        *,
        object_ids: Sequence[str] | None = None,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        parts = (
            "insights",
            Level(level),
            period,
            list(object_ids) if object_ids is not None else None,
            list(breakdowns),
            daily,
        )
        return self.cached(
            account_id,
            "insights",
            parts,
            lambda: self.inner.insights(
                account_id,
                level,
                period,
                object_ids=object_ids,
                breakdowns=breakdowns,
                daily=daily,
            ),
        )

    def batch_insights(
        self,
        account_id: str,
        object_ids: Sequence[str],
        period: Period,
        *,
        level: Level = Level.CAMPAIGN,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        """Cached ``batch_insights`` of the inner connector (Meta: 50 objects per request)."""
        upstream = self.inner.batch_insights
        parts = ("batch_insights", Level(level), period, list(object_ids), list(breakdowns), daily)
        return self.cached(
            account_id,
            "insights",
            parts,
            lambda: upstream(
                account_id, object_ids, period, level=level, breakdowns=breakdowns, daily=daily
            ),
        )

    def insights_levels(
        self,
        account_id: str,
        levels: Sequence[Level],
        period: Period,
        *,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> dict[Level, list[InsightRow]]:
        """Straight upstream, never cached: the metrics sync reads each day's figures once, fresh,
        into the history (weeks of rows at four levels would only crowd the cache)."""
        return self.inner.insights_levels(
            account_id, levels, period, breakdowns=breakdowns, daily=daily
        )

    def account_of(self, object_id: str) -> str:
        """Asked upstream, so this credential's access is checked; noted in the owner index."""
        account_id = self.inner.account_of(object_id)
        self.backend.set(self._index_key(object_id), account_id, INDEX_TTL)
        return account_id

    # --- AdsPlatform writes: always invalidate, even when the outcome is unclear ------------

    def _write(self, account_id: str | None, object_id: str | None, call: Callable[[], T]) -> T:
        try:
            return call()
        finally:
            if object_id is not None:
                self._invalidate_object(object_id)
            else:
                self.invalidate_account(account_id)

    def create_campaign(self, account_id: str, draft: CampaignDraft) -> Campaign:
        return self._write(account_id, None, lambda: self.inner.create_campaign(account_id, draft))

    def create_adset(self, account_id: str, draft: AdSetDraft) -> AdSet:
        return self._write(account_id, None, lambda: self.inner.create_adset(account_id, draft))

    def create_creative(self, account_id: str, draft: CreativeDraft) -> Creative:
        return self._write(account_id, None, lambda: self.inner.create_creative(account_id, draft))

    def create_ad(self, account_id: str, draft: AdDraft) -> Ad:
        return self._write(account_id, None, lambda: self.inner.create_ad(account_id, draft))

    def set_status(self, object_id: str, status: Status) -> None:
        self._write(None, object_id, lambda: self.inner.set_status(object_id, status))

    def set_daily_budget(self, object_id: str, amount: Decimal) -> None:
        self._write(None, object_id, lambda: self.inner.set_daily_budget(object_id, amount))

    # --- split tests: never cached (read when a test starts or ends) ---------------------------

    @property
    def supports_studies(self) -> bool:
        return isinstance(self.inner, SplitTesting) and self.inner.supports_studies

    def _studies(self) -> SplitTesting:
        if not isinstance(self.inner, SplitTesting) or not self.inner.supports_studies:
            raise InvalidRequest(f"{self.platform} does not run split tests")
        return self.inner

    def create_study(self, account_id: str, draft: StudyDraft) -> Study:
        return self._studies().create_study(account_id, draft)

    def get_study(self, study_id: str) -> Study:
        return self._studies().get_study(study_id)

    def end_study(self, study_id: str, at: datetime) -> Study:
        return self._studies().end_study(study_id, at)
