"""The platform-neutral ads interface: typed objects and the read/write protocol.

Everything the product says about money flows through these types. Money is a
``Decimal`` amount in the account currency's *minor* units (centavos for BRL),
never a float; the currency code travels with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, runtime_checkable


class Level(StrEnum):
    ACCOUNT = "account"
    CAMPAIGN = "campaign"
    ADSET = "adset"
    AD = "ad"


class Status(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    DELETED = "DELETED"
    ARCHIVED = "ARCHIVED"


@dataclass(frozen=True)
class AdAccountInfo:
    id: str  # "act_<digits>"
    name: str
    currency: str  # ISO 4217, e.g. "BRL"
    timezone: str  # IANA, e.g. "America/Sao_Paulo"
    status: int = 1  # Meta account_status: 1 active, 2 disabled, ...


@dataclass(frozen=True)
class Campaign:
    id: str
    account_id: str
    name: str
    status: Status
    effective_status: str
    objective: str
    daily_budget: Decimal | None  # minor units
    lifetime_budget: Decimal | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None
    #: The budget is shared with other campaigns (Google Ads shared budgets): a change moves all.
    budget_shared: bool = False


@dataclass(frozen=True)
class AdSet:
    id: str
    account_id: str
    campaign_id: str
    name: str
    status: Status
    effective_status: str
    daily_budget: Decimal | None
    optimization_goal: str = ""
    billing_event: str = "IMPRESSIONS"
    targeting: dict = field(default_factory=dict)
    updated_time: datetime | None = None


@dataclass(frozen=True)
class Ad:
    id: str
    account_id: str
    campaign_id: str
    adset_id: str
    name: str
    status: Status
    effective_status: str
    creative_id: str | None = None
    updated_time: datetime | None = None


@dataclass(frozen=True)
class Creative:
    id: str
    account_id: str
    name: str
    title: str = ""
    body: str = ""
    link_url: str = ""
    image_url: str = ""
    call_to_action: str = ""
    page_id: str = ""  # the Facebook Page that publishes it (object_story_spec.page_id)


@dataclass(frozen=True)
class Period:
    """An inclusive range of days in the account's timezone."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise ValueError("period ends before it starts")

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one (for 'change vs previous')."""
        length = timedelta(days=self.days)
        return Period(self.since - length, self.until - length)


@dataclass(frozen=True)
class InsightRow:
    """Delivery figures for one object over one period (or one day with a daily increment)."""

    level: Level
    object_id: str
    object_name: str
    currency: str
    date_start: date
    date_stop: date
    spend: Decimal  # minor units
    impressions: int
    clicks: int
    reach: int = 0
    conversions: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)  # minor units
    campaign_id: str | None = None
    adset_id: str | None = None
    breakdown: dict[str, str] = field(default_factory=dict)

    @property
    def ctr(self) -> Decimal | None:
        """Click-through rate in percent."""
        return _ratio(Decimal(self.clicks) * 100, Decimal(self.impressions))

    @property
    def cpc(self) -> Decimal | None:
        return _ratio(self.spend, Decimal(self.clicks))

    @property
    def cpm(self) -> Decimal | None:
        return _ratio(self.spend * 1000, Decimal(self.impressions))

    @property
    def cpa(self) -> Decimal | None:
        return _ratio(self.spend, self.conversions)

    @property
    def roas(self) -> Decimal | None:
        return _ratio(self.revenue, self.spend)

    @property
    def frequency(self) -> Decimal | None:
        return _ratio(Decimal(self.impressions), Decimal(self.reach))


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class CampaignDraft:
    name: str
    objective: str = "OUTCOME_SALES"
    daily_budget: Decimal | None = None  # minor units
    special_ad_categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdSetDraft:
    campaign_id: str
    name: str
    daily_budget: Decimal | None = None
    optimization_goal: str = "OFFSITE_CONVERSIONS"
    billing_event: str = "IMPRESSIONS"
    targeting: dict = field(default_factory=lambda: {"geo_locations": {"countries": ["BR"]}})


@dataclass(frozen=True)
class CreativeDraft:
    name: str
    title: str
    body: str
    link_url: str
    image_url: str = ""
    call_to_action: str = "SHOP_NOW"
    page_id: str = ""


@dataclass(frozen=True)
class AdDraft:
    adset_id: str
    name: str
    creative_id: str


@runtime_checkable
class AdsPlatform(Protocol):
    """What every ad platform connector offers. New objects are always created PAUSED."""

    platform: str

    @property
    def network_calls(self) -> int:
        """Requests sent to the platform so far (a batch request counts once): for logs, bench."""
        ...

    # reads
    def list_ad_accounts(self) -> list[AdAccountInfo]: ...
    def get_account(self, account_id: str) -> AdAccountInfo: ...
    def list_campaigns(self, account_id: str) -> list[Campaign]: ...
    def get_campaign(self, campaign_id: str) -> Campaign: ...
    def list_adsets(self, account_id: str, campaign_id: str | None = None) -> list[AdSet]: ...
    def get_adset(self, adset_id: str) -> AdSet: ...
    def list_ads(self, account_id: str, adset_id: str | None = None) -> list[Ad]: ...
    def list_creatives(self, account_id: str) -> list[Creative]: ...
    def insights(
        self,
        account_id: str,
        level: Level,
        period: Period,
        *,
        object_ids: Sequence[str] | None = None,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]: ...
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
        """Rows of each object in ``object_ids`` (at ``level``), in that order, batched upstream."""
        ...

    def insights_levels(
        self,
        account_id: str,
        levels: Sequence[Level],
        period: Period,
        *,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> dict[Level, list[InsightRow]]:
        """The account's rows at each of ``levels`` in as few requests as the platform allows.

        Never served from a read cache: its callers (the metrics sync) want today's figures.
        """
        ...

    def account_of(self, object_id: str) -> str:
        """The ad account owning a campaign, ad set, ad or creative."""
        ...

    # writes (absolute values only)
    def create_campaign(self, account_id: str, draft: CampaignDraft) -> Campaign: ...
    def create_adset(self, account_id: str, draft: AdSetDraft) -> AdSet: ...
    def create_creative(self, account_id: str, draft: CreativeDraft) -> Creative: ...
    def create_ad(self, account_id: str, draft: AdDraft) -> Ad: ...
    def set_status(self, object_id: str, status: Status) -> None: ...
    def set_daily_budget(self, object_id: str, amount: Decimal) -> None: ...
