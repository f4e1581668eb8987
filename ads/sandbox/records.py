"""The sandbox's stored objects: an ad account's tree, each with its own change log.

Why a change log: a pause or a budget change takes effect from the simulated
moment it happens, so the delivery engine must know what every object's
status and budget *were* at any past instant. Each tracked field's history is
kept per object; current values are simply the last entry.

Each record knows how to turn itself into JSON and back (the state file).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Self
from zoneinfo import ZoneInfo

from ads.sandbox.attribution import LagProfile
from ads.sandbox.incidents import SandboxIncident
from ads.sandbox.model import AdTruth

ACTIVE, PAUSED, DELETED, ARCHIVED = "ACTIVE", "PAUSED", "DELETED", "ARCHIVED"
STATUSES = (ACTIVE, PAUSED, DELETED, ARCHIVED)


def to_iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def from_iso(text: str | None) -> datetime | None:
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

    @classmethod
    def create(cls, at: datetime, **values: Any) -> Self:
        """A record created at ``at``: its tracked fields' first values open the change log."""
        at = at.astimezone(UTC)
        record = cls(created_time=at, updated_time=at, **values)
        for name in cls.TRACKED:
            record.record(name, getattr(record, name), at)
        return record

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
            "created_time": to_iso(self.created_time),
            "updated_time": to_iso(self.updated_time),
            "history": [
                [to_iso(at), f, to_iso(v) if isinstance(v, datetime) else v]
                for at, f, v in self.history
            ],
        }

    @staticmethod
    def _base_kwargs(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": data["id"],
            "account_id": data["account_id"],
            "name": data["name"],
            "created_time": from_iso(data["created_time"]),
            "updated_time": from_iso(data["updated_time"]),
            "history": [(from_iso(at), f, v) for at, f, v in data["history"]],
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
    #: Simulation only: attribution lag (None: the account's default from the seed).
    lag: LagProfile | None = None
    #: Simulation only: multiplies the day-to-day noise of every figure (1.0: typical).
    noise: float = 1.0
    #: Which platform serves the account: Graph shows "meta" accounts, the Google Ads
    #: sandbox "google" ones (customer id = ``numeric_id``); both share the model and clock.
    platform: str = "meta"
    #: Simulation only: injected incidents (``ads.sandbox.incidents``), oldest first.
    incidents: tuple[SandboxIncident, ...] = ()

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
            "lag": None if self.lag is None else self.lag.to_json(),
            "noise": self.noise,
            "platform": self.platform,
            "incidents": [incident.to_json() for incident in self.incidents],
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
            lag=LagProfile.from_json(data["lag"]) if data.get("lag") else None,
            noise=data.get("noise", 1.0),
            platform=data.get("platform", "meta"),
            incidents=tuple(SandboxIncident.from_json(i) for i in data.get("incidents", ())),
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
            "start_time": to_iso(self.start_time),
            "stop_time": to_iso(self.stop_time),
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
            start_time=from_iso(data["start_time"]),
            stop_time=from_iso(data["stop_time"]),
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
            "start_time": to_iso(self.start_time),
            "end_time": to_iso(self.end_time),
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
            start_time=from_iso(data["start_time"]),
            end_time=from_iso(data["end_time"]),
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
    return [(at, f, from_iso(v) if f in names and v is not None else v) for at, f, v in history]


AnyRecord = AccountRecord | CampaignRecord | AdSetRecord | AdRecord | CreativeRecord
