"""The sandbox's in-memory world: accounts, the ad object tree, a change log, the clock.

Why a change log: a pause or a budget change takes effect from the simulated
moment it happens, so the delivery engine must know what every object's
status and budget *were* at any past instant. Each tracked field's history is
kept per object; current values are simply the last entry.

Writes only ever happen at the clock's "now", and the clock only moves forward,
so a completed day can never change after the fact (which is what lets the
delivery engine cache it).

The whole world can be saved to and reloaded from a JSON file.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from ads.sandbox.clock import SimClock, hour_floor
from ads.sandbox.model import AdTruth

if TYPE_CHECKING:
    from ads.sandbox.delivery import DeliveryEngine, Totals

logger = logging.getLogger(__name__)

STATE_VERSION = 1
FIRST_OBJECT_ID = 120_210_000_000_000_000
USER_ID = "100000000000001"
USER_NAME = "Sandbox User"

ACTIVE, PAUSED, DELETED, ARCHIVED = "ACTIVE", "PAUSED", "DELETED", "ARCHIVED"
STATUSES = (ACTIVE, PAUSED, DELETED, ARCHIVED)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(kw_only=True)
class Tracked:
    """Common to every stored object: identity, timestamps and the change log."""

    TRACKED: ClassVar[tuple[str, ...]] = ()

    id: str
    account_id: str  # "act_<digits>"
    name: str
    created_time: datetime
    updated_time: datetime
    history: list[tuple[datetime, str, Any]] = field(default_factory=list)

    def record(self, name: str, value: Any, at: datetime) -> None:
        """Set a tracked field from ``at`` on (kept in time order)."""
        at = at.astimezone(UTC)
        if isinstance(value, datetime):
            value = value.astimezone(UTC)
        keys = [entry[0] for entry in self.history]
        self.history.insert(bisect.bisect_right(keys, at), (at, name, value))
        # The current value is the latest entry for the field.
        latest = [v for when, f, v in self.history if f == name]
        setattr(self, name, latest[-1])

    def value_at(self, name: str, moment: datetime) -> Any:
        value: Any = getattr(self, name)
        found = False
        for at, fld, val in self.history:
            if at > moment:
                break
            if fld == name:
                value, found = val, True
        if not found and self.history:
            # Before its first recorded value the field had its earliest value.
            for _, fld, val in self.history:
                if fld == name:
                    return val
        return value

    def change_times(self, since: datetime, until: datetime) -> Iterator[datetime]:
        for at, _, _ in self.history:
            if since < at < until:
                yield at

    def _base_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "created_time": _iso(self.created_time),
            "updated_time": _iso(self.updated_time),
            "history": [
                [_iso(at), f, _iso(v) if isinstance(v, datetime) else v]
                for at, f, v in self.history
            ],
        }

    @staticmethod
    def _base_kwargs(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": data["id"],
            "account_id": data["account_id"],
            "name": data["name"],
            "created_time": _dt(data["created_time"]),
            "updated_time": _dt(data["updated_time"]),
            "history": [(_dt(at), f, v) for at, f, v in data["history"]],
        }


@dataclass(kw_only=True)
class AccountRecord(Tracked):
    TRACKED: ClassVar[tuple[str, ...]] = ("account_status",)

    currency: str
    timezone: str
    business_id: str
    business_name: str
    account_status: int = 1
    spend_cap: int = 0  # minor units; 0 means no cap

    @property
    def numeric_id(self) -> str:
        return self.id.removeprefix("act_")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_json(self) -> dict[str, Any]:
        return {
            **self._base_json(),
            "currency": self.currency,
            "timezone": self.timezone,
            "business_id": self.business_id,
            "business_name": self.business_name,
            "account_status": self.account_status,
            "spend_cap": self.spend_cap,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccountRecord:
        return cls(
            **cls._base_kwargs(data),
            currency=data["currency"],
            timezone=data["timezone"],
            business_id=data["business_id"],
            business_name=data["business_name"],
            account_status=data["account_status"],
            spend_cap=data["spend_cap"],
        )


@dataclass(kw_only=True)
class CampaignRecord(Tracked):
    TRACKED: ClassVar[tuple[str, ...]] = (
        "status",
        "daily_budget",
        "lifetime_budget",
        "start_time",
        "stop_time",
    )

    objective: str
    status: str
    daily_budget: int | None = None
    lifetime_budget: int | None = None
    bid_strategy: str | None = None
    special_ad_categories: list[str] = field(default_factory=list)
    buying_type: str = "AUCTION"
    start_time: datetime | None = None
    stop_time: datetime | None = None

    @property
    def is_cbo(self) -> bool:
        return self.daily_budget is not None or self.lifetime_budget is not None

    def to_json(self) -> dict[str, Any]:
        return {
            **self._base_json(),
            "objective": self.objective,
            "status": self.status,
            "daily_budget": self.daily_budget,
            "lifetime_budget": self.lifetime_budget,
            "bid_strategy": self.bid_strategy,
            "special_ad_categories": self.special_ad_categories,
            "buying_type": self.buying_type,
            "start_time": _iso(self.start_time),
            "stop_time": _iso(self.stop_time),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CampaignRecord:
        kwargs = cls._base_kwargs(data)
        kwargs["history"] = _revive_times(kwargs["history"], ("start_time", "stop_time"))
        return cls(
            **kwargs,
            objective=data["objective"],
            status=data["status"],
            daily_budget=data["daily_budget"],
            lifetime_budget=data["lifetime_budget"],
            bid_strategy=data["bid_strategy"],
            special_ad_categories=data["special_ad_categories"],
            buying_type=data["buying_type"],
            start_time=_dt(data["start_time"]),
            stop_time=_dt(data["stop_time"]),
        )


@dataclass(kw_only=True)
class AdSetRecord(Tracked):
    TRACKED: ClassVar[tuple[str, ...]] = (
        "status",
        "daily_budget",
        "lifetime_budget",
        "start_time",
        "end_time",
    )

    campaign_id: str
    status: str
    daily_budget: int | None = None
    lifetime_budget: int | None = None
    optimization_goal: str = "OFFSITE_CONVERSIONS"
    billing_event: str = "IMPRESSIONS"
    bid_strategy: str | None = None
    bid_amount: int | None = None
    targeting: dict[str, Any] = field(default_factory=dict)
    promoted_object: dict[str, Any] | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    audience_size: int = 1_000_000  # simulation only: people the targeting can reach
    churn: float = 0.02  # simulation only: daily renewal of the audience

    def to_json(self) -> dict[str, Any]:
        return {
            **self._base_json(),
            "campaign_id": self.campaign_id,
            "status": self.status,
            "daily_budget": self.daily_budget,
            "lifetime_budget": self.lifetime_budget,
            "optimization_goal": self.optimization_goal,
            "billing_event": self.billing_event,
            "bid_strategy": self.bid_strategy,
            "bid_amount": self.bid_amount,
            "targeting": self.targeting,
            "promoted_object": self.promoted_object,
            "start_time": _iso(self.start_time),
            "end_time": _iso(self.end_time),
            "audience_size": self.audience_size,
            "churn": self.churn,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdSetRecord:
        kwargs = cls._base_kwargs(data)
        kwargs["history"] = _revive_times(kwargs["history"], ("start_time", "end_time"))
        return cls(
            **kwargs,
            campaign_id=data["campaign_id"],
            status=data["status"],
            daily_budget=data["daily_budget"],
            lifetime_budget=data["lifetime_budget"],
            optimization_goal=data["optimization_goal"],
            billing_event=data["billing_event"],
            bid_strategy=data["bid_strategy"],
            bid_amount=data["bid_amount"],
            targeting=data["targeting"],
            promoted_object=data["promoted_object"],
            start_time=_dt(data["start_time"]),
            end_time=_dt(data["end_time"]),
            audience_size=data["audience_size"],
            churn=data["churn"],
        )


@dataclass(kw_only=True)
class AdRecord(Tracked):
    TRACKED: ClassVar[tuple[str, ...]] = ("status",)

    campaign_id: str
    adset_id: str
    status: str
    creative_id: str
    truth: AdTruth

    def to_json(self) -> dict[str, Any]:
        return {
            **self._base_json(),
            "campaign_id": self.campaign_id,
            "adset_id": self.adset_id,
            "status": self.status,
            "creative_id": self.creative_id,
            "truth": self.truth.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdRecord:
        return cls(
            **cls._base_kwargs(data),
            campaign_id=data["campaign_id"],
            adset_id=data["adset_id"],
            status=data["status"],
            creative_id=data["creative_id"],
            truth=AdTruth.from_json(data["truth"]),
        )


@dataclass(kw_only=True)
class CreativeRecord(Tracked):
    title: str = ""
    body: str = ""
    link_url: str = ""
    image_url: str = ""
    call_to_action_type: str = ""
    page_id: str = ""
    object_story_spec: dict[str, Any] | None = None
    video: bool = False
    status: str = ACTIVE

    def to_json(self) -> dict[str, Any]:
        return {
            **self._base_json(),
            "title": self.title,
            "body": self.body,
            "link_url": self.link_url,
            "image_url": self.image_url,
            "call_to_action_type": self.call_to_action_type,
            "page_id": self.page_id,
            "object_story_spec": self.object_story_spec,
            "video": self.video,
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CreativeRecord:
        return cls(
            **cls._base_kwargs(data),
            title=data["title"],
            body=data["body"],
            link_url=data["link_url"],
            image_url=data["image_url"],
            call_to_action_type=data["call_to_action_type"],
            page_id=data["page_id"],
            object_story_spec=data["object_story_spec"],
            video=data["video"],
            status=data["status"],
        )


@dataclass
class ReportRun:
    """An async insights job; its rows are a snapshot taken when it was created."""

    id: str
    account_id: str
    node_id: str
    created: datetime
    date_start: date
    date_stop: date
    rows: list[dict[str, Any]]
    polls_left: int = 0


def _revive_times(
    history: list[tuple[datetime, str, Any]], names: tuple[str, ...]
) -> list[tuple[datetime, str, Any]]:
    return [(at, f, _dt(v) if f in names and v is not None else v) for at, f, v in history]


AnyRecord = AccountRecord | CampaignRecord | AdSetRecord | AdRecord | CreativeRecord


@dataclass
class SandboxConfig:
    """Behaviour switches (not persisted)."""

    #: Polls of an async insights job that answer "Job Running" before it completes.
    async_polls: int = 0
    #: Simulated minutes a new ad stays in review (no delivery, PENDING_REVIEW).
    ad_review_minutes: int = 0


class SandboxState:
    """The sandbox world. Writes, clock moves and simulation take ``lock`` (an RLock)."""

    def __init__(
        self,
        *,
        seed: int = 42,
        start: datetime | None = None,
        state_file: Path | None = None,
        populate: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.state_file = state_file
        self.config = SandboxConfig()
        self.expired_tokens: set[str] = set()
        #: Optional token scoping: token -> visible account ids (absent = sees all).
        self.token_accounts: dict[str, set[str]] = {}
        self.jobs: dict[str, ReportRun] = {}
        self._populate = populate
        loaded = state_file is not None and state_file.exists()
        if loaded:
            assert state_file is not None
            self._load(json.loads(state_file.read_text("utf-8")))
        else:
            self.start = hour_floor(start or datetime.now(UTC))
            self._fresh()
            self.save()

    # --- lifecycle ------------------------------------------------------------------

    def _fresh(self) -> None:
        self.clock = SimClock(self.start)
        self.accounts: dict[str, AccountRecord] = {}
        self.campaigns: dict[str, CampaignRecord] = {}
        self.adsets: dict[str, AdSetRecord] = {}
        self.ads: dict[str, AdRecord] = {}
        self.creatives: dict[str, CreativeRecord] = {}
        self.jobs = {}
        self._next_id = FIRST_OBJECT_ID
        self._next_job = 6_000_000_000_000_000
        self.revision = 0
        self._engine: DeliveryEngine | None = None
        self._reindex()
        if self._populate:
            from ads.sandbox.demo import populate_demo

            populate_demo(self)

    def reset(self) -> None:
        """Back to the freshly seeded demo world at the original start time."""
        with self.lock:
            self.expired_tokens.clear()
            self._fresh()
            self.save()

    @property
    def engine(self) -> DeliveryEngine:
        if self._engine is None:
            from ads.sandbox.delivery import DeliveryEngine

            self._engine = DeliveryEngine(self)
        return self._engine

    def touch(self) -> None:
        """Note a write: today's cached figures are stale; persist."""
        self.revision += 1
        self.save()

    # --- clock --------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def advance_clock(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        with self.lock:
            moment = self.clock.advance(timedelta(days=days, hours=hours, minutes=minutes))
            self.revision += 1
            self.save()
            return moment

    def set_clock(self, moment: datetime) -> datetime:
        with self.lock:
            result = self.clock.set(moment)
            self.revision += 1
            self.save()
            return result

    def today(self, account_id: str) -> date:
        return self.now().astimezone(self.accounts[account_id].tz).date()

    # --- ids ----------------------------------------------------------------------------

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    def new_job_id(self) -> str:
        with self.lock:
            self._next_job += 1
            return str(self._next_job)

    # --- lookups ------------------------------------------------------------------------

    def account(self, account_id: str) -> AccountRecord | None:
        return self.accounts.get(
            account_id if account_id.startswith("act_") else f"act_{account_id}"
        )

    def campaign(self, campaign_id: str) -> CampaignRecord | None:
        return self.campaigns.get(campaign_id)

    def adset(self, adset_id: str) -> AdSetRecord | None:
        return self.adsets.get(adset_id)

    def ad(self, ad_id: str) -> AdRecord | None:
        return self.ads.get(ad_id)

    def creative(self, creative_id: str) -> CreativeRecord | None:
        return self.creatives.get(creative_id)

    def node(self, object_id: str) -> AnyRecord | None:
        if object_id.startswith("act_"):
            return self.accounts.get(object_id)
        for table in (self.campaigns, self.adsets, self.ads, self.creatives):
            record = table.get(object_id)
            if record is not None:
                return record  # type: ignore[return-value]
        return None

    def campaigns_of(self, account_id: str) -> list[CampaignRecord]:
        return [self.campaigns[i] for i in self._children.get(account_id, ())]

    def adsets_of(self, parent_id: str) -> list[AdSetRecord]:
        if parent_id.startswith("act_"):
            return [s for c in self.campaigns_of(parent_id) for s in self.adsets_of(c.id)]
        return [self.adsets[i] for i in self._children.get(parent_id, ())]

    def ads_of(self, parent_id: str) -> list[AdRecord]:
        """Ads under an account, campaign or ad set (or the ad itself)."""
        if parent_id in self.ads:
            return [self.ads[parent_id]]
        if parent_id in self.adsets:
            return [self.ads[i] for i in self._children.get(parent_id, ())]
        return [a for s in self.adsets_of(parent_id) for a in self.ads_of(s.id)]

    def creatives_of(self, account_id: str) -> list[CreativeRecord]:
        return [self.creatives[i] for i in self._creatives_by_account.get(account_id, ())]

    def _index(self, parent_id: str, child_id: str) -> None:
        self._children.setdefault(parent_id, []).append(child_id)

    def _reindex(self) -> None:
        self._children: dict[str, list[str]] = {}
        self._creatives_by_account: dict[str, list[str]] = {}
        for campaign in self.campaigns.values():
            self._index(campaign.account_id, campaign.id)
        for adset in self.adsets.values():
            self._index(adset.campaign_id, adset.id)
        for ad in self.ads.values():
            self._index(ad.adset_id, ad.id)
        for creative in self.creatives.values():
            self._creatives_by_account.setdefault(creative.account_id, []).append(creative.id)

    def visible_accounts(self, token: str | None) -> list[AccountRecord]:
        allowed = self.token_accounts.get(token or "")
        accounts = sorted(self.accounts.values(), key=lambda a: int(a.numeric_id))
        if allowed is None:
            return accounts
        return [a for a in accounts if a.id in allowed]

    def can_see(self, token: str | None, account_id: str) -> bool:
        allowed = self.token_accounts.get(token or "")
        return allowed is None or account_id in allowed

    # --- typed writes (the Graph layer validates parameters before calling these) -----

    def add_account(
        self,
        account_id: str,
        *,
        name: str,
        currency: str,
        timezone: str,
        business_id: str | None = None,
        business_name: str | None = None,
        created: datetime | None = None,
        spend_cap: int = 0,
    ) -> AccountRecord:
        with self.lock:
            at = (created or self.now()).astimezone(UTC)
            numeric = account_id.removeprefix("act_")
            record = AccountRecord(
                id=f"act_{numeric}",
                account_id=f"act_{numeric}",
                name=name,
                created_time=at,
                updated_time=at,
                currency=currency,
                timezone=timezone,
                business_id=business_id or f"9{numeric:0>14}",
                business_name=business_name or name,
                spend_cap=spend_cap,
            )
            record.record("account_status", 1, at)
            self.accounts[record.id] = record
            return record

    def add_campaign(
        self,
        account_id: str,
        *,
        name: str,
        objective: str,
        status: str = PAUSED,
        daily_budget: int | None = None,
        lifetime_budget: int | None = None,
        bid_strategy: str | None = None,
        special_ad_categories: list[str] | None = None,
        start_time: datetime | None = None,
        stop_time: datetime | None = None,
        at: datetime | None = None,
    ) -> CampaignRecord:
        with self.lock:
            when = (at or self.now()).astimezone(UTC)
            record = CampaignRecord(
                id=self.new_id(),
                account_id=account_id,
                name=name,
                created_time=when,
                updated_time=when,
                objective=objective,
                status=status,
                bid_strategy=bid_strategy
                or ("LOWEST_COST_WITHOUT_CAP" if daily_budget or lifetime_budget else None),
                special_ad_categories=list(special_ad_categories or []),
            )
            self._initial(
                record,
                when,
                status=status,
                daily_budget=daily_budget,
                lifetime_budget=lifetime_budget,
                start_time=start_time or when,
                stop_time=stop_time,
            )
            self.campaigns[record.id] = record
            self._index(account_id, record.id)
            self._written(at)
            return record

    def add_adset(
        self,
        campaign_id: str,
        *,
        name: str,
        status: str = PAUSED,
        daily_budget: int | None = None,
        lifetime_budget: int | None = None,
        optimization_goal: str = "OFFSITE_CONVERSIONS",
        billing_event: str = "IMPRESSIONS",
        bid_strategy: str | None = None,
        bid_amount: int | None = None,
        targeting: dict[str, Any] | None = None,
        promoted_object: dict[str, Any] | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        audience_size: int | None = None,
        churn: float | None = None,
        at: datetime | None = None,
    ) -> AdSetRecord:
        from ads.sandbox.model import audience_for_targeting, rng_for

        with self.lock:
            campaign = self.campaigns[campaign_id]
            when = (at or self.now()).astimezone(UTC)
            adset_id = self.new_id()
            spec = targeting or {"geo_locations": {"countries": ["BR"]}}
            if audience_size is None:
                audience_size = audience_for_targeting(spec, rng_for(self.seed, "aud", adset_id))
            record = AdSetRecord(
                id=adset_id,
                account_id=campaign.account_id,
                name=name,
                created_time=when,
                updated_time=when,
                campaign_id=campaign_id,
                status=status,
                optimization_goal=optimization_goal,
                billing_event=billing_event,
                bid_strategy=bid_strategy,
                bid_amount=bid_amount,
                targeting=spec,
                promoted_object=promoted_object,
                audience_size=audience_size,
                churn=churn
                if churn is not None
                else (0.15 if spec.get("custom_audiences") else 0.02),
            )
            self._initial(
                record,
                when,
                status=status,
                daily_budget=daily_budget,
                lifetime_budget=lifetime_budget,
                start_time=start_time or when,
                end_time=end_time,
            )
            self.adsets[record.id] = record
            self._index(campaign_id, record.id)
            self._written(at)
            return record

    def add_creative(
        self,
        account_id: str,
        *,
        name: str,
        title: str = "",
        body: str = "",
        link_url: str = "",
        image_url: str = "",
        call_to_action_type: str = "",
        page_id: str = "",
        object_story_spec: dict[str, Any] | None = None,
        video: bool = False,
        at: datetime | None = None,
    ) -> CreativeRecord:
        with self.lock:
            when = (at or self.now()).astimezone(UTC)
            record = CreativeRecord(
                id=self.new_id(),
                account_id=account_id,
                name=name,
                created_time=when,
                updated_time=when,
                title=title,
                body=body,
                link_url=link_url,
                image_url=image_url,
                call_to_action_type=call_to_action_type,
                page_id=page_id,
                object_story_spec=object_story_spec,
                video=video,
            )
            self.creatives[record.id] = record
            self._creatives_by_account.setdefault(account_id, []).append(record.id)
            self._written(at)
            return record

    def add_ad(
        self,
        adset_id: str,
        *,
        name: str,
        creative_id: str,
        status: str = PAUSED,
        truth: AdTruth | None = None,
        at: datetime | None = None,
    ) -> AdRecord:
        from ads.sandbox.model import random_truth, rng_for

        with self.lock:
            adset = self.adsets[adset_id]
            campaign = self.campaigns[adset.campaign_id]
            when = (at or self.now()).astimezone(UTC)
            ad_id = self.new_id()
            if truth is None:
                truth = random_truth(
                    rng_for(self.seed, "truth", ad_id),
                    campaign.objective,
                    self.accounts[adset.account_id].currency,
                )
                if self.creatives[creative_id].video:
                    truth = AdTruth(**{**truth.to_json(), "video_rate": 0.25})
            record = AdRecord(
                id=ad_id,
                account_id=adset.account_id,
                name=name,
                created_time=when,
                updated_time=when,
                campaign_id=campaign.id,
                adset_id=adset_id,
                status=status,
                creative_id=creative_id,
                truth=truth,
            )
            self._initial(record, when, status=status)
            self.ads[record.id] = record
            self._index(adset_id, record.id)
            self._written(at)
            return record

    def update(
        self, object_id: str, changes: dict[str, Any], *, at: datetime | None = None
    ) -> None:
        """Apply field changes from ``at`` (default: now); tracked fields go to the change log."""
        with self.lock:
            record = self.node(object_id)
            if record is None:
                raise KeyError(object_id)
            when = (at or self.now()).astimezone(UTC)
            for name, value in changes.items():
                if name in record.TRACKED:
                    record.record(name, value, when)
                else:
                    setattr(record, name, value)
            record.updated_time = max(record.updated_time, when)
            self._written(at)

    def _initial(self, record: Tracked, when: datetime, **values: Any) -> None:
        for name, value in values.items():
            record.record(name, value, when)

    def _written(self, at: datetime | None) -> None:
        # Writes "now" invalidate today's figures and persist; back-dated writes
        # (demo construction) are batched by their caller.
        if at is None:
            self.touch()

    # --- status ------------------------------------------------------------------------

    def effective_status(self, record: AnyRecord, at: datetime | None = None) -> str:
        """Meta's ``effective_status``: the object's own status combined with its parents'."""
        moment = at or self.now()
        if isinstance(record, AccountRecord):
            return ACTIVE
        if isinstance(record, CreativeRecord):
            return record.status
        own = record.value_at("status", moment)
        if own in (DELETED, ARCHIVED):
            return own
        chain: list[tuple[str, Tracked]] = []
        if isinstance(record, AdRecord):
            chain = [("CAMPAIGN", self.campaigns[record.campaign_id])]
            chain.append(("ADSET", self.adsets[record.adset_id]))
        elif isinstance(record, AdSetRecord):
            chain = [("CAMPAIGN", self.campaigns[record.campaign_id])]
        for label, parent in chain:
            status = parent.value_at("status", moment)
            if status in (DELETED, ARCHIVED):
                return status
            if status == PAUSED:
                return f"{label}_PAUSED"
        if own == PAUSED:
            return PAUSED
        if isinstance(record, AdRecord) and self.in_review(record, moment):
            return "PENDING_REVIEW"
        return ACTIVE

    def in_review(self, ad: AdRecord, moment: datetime) -> bool:
        minutes = self.config.ad_review_minutes
        return minutes > 0 and moment < ad.created_time + timedelta(minutes=minutes)

    # --- delivery ----------------------------------------------------------------------

    def totals(self, object_id: str, since: date, until: date, *, settled: bool = False) -> Totals:
        """The sandbox's own delivery figures for an object over local days ``since..until``.

        ``settled=False`` gives what Graph reports right now (attribution lag
        included); ``settled=True`` the figures once every conversion has arrived.
        Deleted and archived children are included (like Graph at account level).
        """
        with self.lock:
            return self.engine.totals(object_id, since, until, settled=settled)

    # --- persistence --------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "seed": self.seed,
            "start": _iso(self.start),
            "now": _iso(self.now()),
            "next_id": self._next_id,
            "next_job": self._next_job,
            "accounts": [a.to_json() for a in self.accounts.values()],
            "campaigns": [c.to_json() for c in self.campaigns.values()],
            "adsets": [s.to_json() for s in self.adsets.values()],
            "ads": [a.to_json() for a in self.ads.values()],
            "creatives": [c.to_json() for c in self.creatives.values()],
        }

    def _load(self, data: dict[str, Any]) -> None:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported sandbox state version {data.get('version')!r}")
        self.seed = data["seed"]
        self.start = _dt(data["start"])  # type: ignore[assignment]
        self.clock = SimClock(_dt(data["now"]))  # type: ignore[arg-type]
        self.accounts = {a["id"]: AccountRecord.from_json(a) for a in data["accounts"]}
        self.campaigns = {c["id"]: CampaignRecord.from_json(c) for c in data["campaigns"]}
        self.adsets = {s["id"]: AdSetRecord.from_json(s) for s in data["adsets"]}
        self.ads = {a["id"]: AdRecord.from_json(a) for a in data["ads"]}
        self.creatives = {c["id"]: CreativeRecord.from_json(c) for c in data["creatives"]}
        self._next_id = data["next_id"]
        self._next_job = data["next_job"]
        self.revision = 0
        self._engine = None
        self._reindex()
        logger.info("sandbox state loaded from %s", self.state_file)

    def save(self) -> None:
        """Write the world to ``state_file`` atomically (no-op without a file)."""
        if self.state_file is None:
            return
        with self.lock:
            payload = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=self.state_file.parent, prefix=".sandbox-", suffix=".json"
            )
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                os.replace(tmp, self.state_file)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
