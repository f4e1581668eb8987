"""The values detectors produce and the settings they read: alert kinds, findings, thresholds.

A :class:`Finding` is one detector's verdict for one entity at one hour: what
is wrong (or promising), since when, how far from usual, how much money per
day is at stake (integer minor units), the series for a small chart and the
kind of action that fits. The incident lifecycle turns findings into alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class AlertKind(StrEnum):
    CPM_SPIKE = "cpm_spike"
    CPA_RISE = "cpa_rise"
    ROAS_DROP = "roas_drop"
    CTR_COLLAPSE = "ctr_collapse"
    DELIVERY_STALL = "delivery_stall"
    TRACKING_BROKEN = "tracking_broken"
    ADS_DISAPPROVED = "ads_disapproved"
    SPEND_SPIKE = "spend_spike"
    BUDGET_EXHAUSTING = "budget_exhausting"
    SCALE_OPPORTUNITY = "scale_opportunity"  # beating target while limited by budget
    RISING_SEGMENT = "rising_segment"  # an audience or placement whose ROAS rises

    @property
    def is_opportunity(self) -> bool:
        return self in (AlertKind.SCALE_OPPORTUNITY, AlertKind.RISING_SEGMENT)


class ActionKind(StrEnum):
    """The kind of proposal an alert may bring (the supervisor builds the real one)."""

    PAUSE = "pause"
    CUT_BUDGET = "cut_budget"
    RAISE_BUDGET = "raise_budget"
    CHECK_PIXEL = "check_pixel"
    REVIEW_ADS = "review_ads"
    CHECK_DELIVERY = "check_delivery"
    WATCH = "watch"  # nothing to change yet; keep an eye on it


@dataclass(frozen=True)
class ChartSeries:
    """Hourly observed and expected values of the alert's metric, for a small chart."""

    metric: str  # cpm, ctr, cpa, roas, spend, conversions
    hours: tuple[datetime, ...]
    observed: tuple[Decimal | None, ...]
    expected: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Finding:
    """One detector's verdict for one entity at ``detected_at``."""

    kind: AlertKind
    entity_id: str
    detected_at: datetime
    since: datetime
    metric: str
    observed: Decimal  # the metric over the evidence window (CPM/CPA in minor units)
    expected: Decimal
    change: Decimal  # relative: observed / expected - 1 (CPA +0.8 = 80% dearer)
    money_at_stake_per_day: int  # minor units
    tail_probability: float
    action: ActionKind
    chart: ChartSeries | None = None
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def key(self) -> tuple[AlertKind, str]:
        """What makes two findings the same incident."""
        return self.kind, self.entity_id


@dataclass(frozen=True)
class AdStatus:
    """One ad's delivery status as the platform reports it, with its usual spend."""

    ad_id: str
    name: str
    effective_status: str  # ACTIVE, DISAPPROVED, WITH_ISSUES, PENDING_REVIEW, PAUSED...
    usual_daily_spend: int  # minor units, e.g. the trailing 7-day average


#: Smallest effect a detector reports, as a ratio of observed to expected.
DEFAULT_MIN_EFFECT: Mapping[AlertKind, float] = MappingProxyType(
    {
        AlertKind.CPM_SPIKE: 1.3,  # CPM at least 30% above usual
        AlertKind.CPA_RISE: 1.3,  # CPA at least 30% above usual
        AlertKind.ROAS_DROP: 0.7,  # ROAS at most 70% of usual
        AlertKind.CTR_COLLAPSE: 0.6,  # CTR at most 60% of usual
        AlertKind.DELIVERY_STALL: 0.3,  # spend at most 30% of its usual pace
        AlertKind.TRACKING_BROKEN: 0.25,  # purchases at most 25% of the lag-aware expectation
        AlertKind.SPEND_SPIKE: 1.6,  # spend at least 60% above its usual pace
        AlertKind.SCALE_OPPORTUNITY: 1.15,  # 15% better than target
        AlertKind.RISING_SEGMENT: 1.25,  # ROAS 25% above its previous level
    }
)

#: Smallest expected volume in the evidence window, per relation, for a score to count.
DEFAULT_MIN_VOLUME: Mapping[str, float] = MappingProxyType(
    {
        "impressions|spend": 300.0,
        "clicks|impressions": 15.0,
        "conversions|clicks": 3.0,
        "conversions|spend": 3.0,
        "revenue|spend": 3.0,  # in scoring units (about 1.5 orders each)
        "spend": 0.0,  # spend is guarded by money at stake instead
        "landing_page_views|clicks": 10.0,
    }
)


@dataclass(frozen=True)
class DetectorConfig:
    """Thresholds shared by the detectors (per-chat thresholds apply later, at routing)."""

    significance: float = 1e-4  # adjusted tail probability an hourly alert needs
    #: Looser bars for kinds whose false alarm is cheap and whose miss is dear: a tracking
    #: alert asks for a pixel check, while a broken pixel blinds every purchase-based decision.
    significance_by_kind: Mapping[AlertKind, float] = field(
        default_factory=lambda: MappingProxyType({AlertKind.TRACKING_BROKEN: 2e-2})
    )
    #: Opportunities are checked once a day on settled totals: ~24x fewer tests, looser bar.
    opportunity_significance: float = 1e-3
    materiality_floor: int = 5000  # minor units of money at stake per day (R$ 50,00)
    min_effect: Mapping[AlertKind, float] = field(default_factory=lambda: DEFAULT_MIN_EFFECT)
    min_volume: Mapping[str, float] = field(default_factory=lambda: DEFAULT_MIN_VOLUME)
    chart_hours: int = 48
    lookback_hours: int = 24  # the longest evidence window
    #: Purchases of a low-volume account (fewer than ``low_volume_purchases`` scoring events in the
    #: last 24 h) are judged on windows up to this long: a 70% drop at one sale an hour takes
    #: more than a day to tell from noise at the same per-run bar.
    purchase_lookback_hours: int = 72
    low_volume_purchases: float = 50.0
    overdelivery_ratio: float = 1.25  # spent today / daily budget
    budget_exhausted_share: float = 0.9  # spent today / daily budget ...
    early_day_share: float = 0.6  # ... while the usual share of the day's spend is below this
    disapproved_statuses: frozenset[str] = frozenset({"DISAPPROVED", "WITH_ISSUES"})

    def significance_for(self, kind: AlertKind) -> float:
        return self.significance_by_kind.get(kind, self.significance)
