"""One detector per alert kind, on an entity's hourly series and its fitted baseline.

Each detector scans the last 1..24 hours (:func:`analytics.alerts.scores.scan_windows`)
for the relation that isolates its problem, conditionally on what was really
bought, so one cause shows up in one place:

* CPM spike: impressions per unit of spend below usual;
* CPA rise / ROAS drop: purchases (revenue) per unit of spend below the
  lag-aware expectation;
* CTR collapse: link clicks per impression below usual;
* delivery stall / spend spike: spend against its usual hourly pace;
* tracking broken: purchases per click far below the lag-aware expectation
  while clicks and landing-page views are normal;
* ads disapproved: the platform's effective status;
* budget nearly exhausted early: today's spend against the daily budget and
  the share of a usual day's spend that should be gone by now.

A finding is returned only when it is statistically significant (adjusted
tail probability below ``config.significance``), large enough
(``config.min_effect``) and material (money at stake per day, in minor units,
at least ``config.materiality_floor``). Money at stake is the usual daily
spend (or revenue) times the share of it the problem wastes or forgoes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

import numpy as np

from analytics.alerts.baseline import Baseline, RelationName
from analytics.alerts.findings import (
    ActionKind,
    AdStatus,
    AlertKind,
    ChartSeries,
    DetectorConfig,
    Finding,
)
from analytics.alerts.scores import LONG_WINDOWS, WINDOWS, Deviation, Side, scan_windows
from analytics.alerts.series import Array, HourlySeries, shift


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What one hourly run knows about one entity.

    ``series`` runs through the last complete hour with conversions as reported
    at its end (the run's "now"); ``baseline`` was fitted on the days before.
    """

    entity_id: str
    series: HourlySeries
    baseline: Baseline
    daily_budget: int | None = None  # minor units
    ads: tuple[AdStatus, ...] = ()
    #: Purchases reported *during* each of the last hours (any click hour), oldest first,
    #: from successive reads (``series.purchases_reported_between``); ``None`` when the
    #: job kept none, and tracking is then judged on the attributed hours (slower).
    arrivals: Array | None = None
    _usual: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    @property
    def now(self) -> datetime:
        return self.series.end

    def usual_daily(self, metric: str) -> float:
        """The settled total a usual day starting now would bring (computed once per metric)."""
        if metric not in self.baseline.relations:
            return 0.0
        if metric not in self._usual:
            self._usual[metric] = self.baseline.expected_day(metric, self.now)
        return self._usual[metric]


def _decimal(value: float, places: int = 4) -> Decimal | None:
    if not math.isfinite(value):
        return None
    return Decimal(str(round(value, places)))


def _money(value: float) -> int:
    return max(0, round(value)) if math.isfinite(value) else 0


def _ratio(numerator: Array, denominator: Array, scale: float) -> list[float]:
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(denominator > 0, scale * numerator / denominator, np.nan)
    return [float(v) for v in values]


_CHARTS: dict[str, tuple[RelationName, str, float, bool]] = {
    # metric: (relation, numerator-or-denominator shown, scale, inverted)
    "cpm": ("impressions|spend", "impressions", 1000.0, True),
    "ctr": ("clicks|impressions", "clicks", 1.0, False),
    "cpa": ("conversions|spend", "conversions", 1.0, True),
    "roas": ("revenue|spend", "revenue", 1.0, False),
    "conversions": ("conversions|clicks", "conversions", 1.0, False),
    "spend": ("spend", "spend", 1.0, False),
}


def chart_for(snapshot: Snapshot, metric: str, hours: int) -> ChartSeries:
    """The metric hour by hour, observed and expected, over the last ``hours`` hours."""
    series = snapshot.series
    first = max(0, len(series) - hours)
    relation, numerator, scale, inverted = _CHARTS[metric]
    fit = snapshot.baseline.relation(relation)
    observed_num = series.metric(numerator)[first:]
    expected_num = snapshot.baseline.expected(relation, series, first)
    if fit.denominator is None:
        observed, expected = list(observed_num.astype(float)), list(expected_num.astype(float))
    else:
        den = series.metric(fit.denominator)[first:]
        if inverted:  # CPM, CPA: spend per unit
            observed = _ratio(den, observed_num, scale)
            expected = _ratio(den, expected_num, scale)
        else:
            observed = _ratio(observed_num, den, scale)
            expected = _ratio(expected_num, den, scale)
    places = 0 if metric in ("cpm", "cpa", "spend") else 4
    return ChartSeries(
        metric,
        tuple(series.hour_start(i) for i in range(first, len(series))),
        tuple(_decimal(v, places) for v in observed),
        tuple(_decimal(v, places) for v in expected),
    )


def _scan(
    snapshot: Snapshot,
    relation: RelationName,
    side: Side,
    min_effect: float,
    config: DetectorConfig,
    *,
    slow: bool = False,
) -> Deviation | None:
    """The relation's most surprising recent window; ``slow``: purchases, which on a
    low-volume account are also judged over up to ``config.purchase_lookback_hours``."""
    if relation not in snapshot.baseline.relations:
        return None
    fit = snapshot.baseline.relation(relation)
    series = snapshot.series
    first = max(0, len(series) - max(config.lookback_hours, config.purchase_lookback_hours))
    observed = series.metric(fit.numerator)[first:] / fit.count_unit
    expected = snapshot.baseline.expected(relation, series, first) / fit.count_unit
    windows = [w for w in WINDOWS if w <= config.lookback_hours]
    if slow and float(expected[-24:].sum()) < config.low_volume_purchases:  # scoring events
        windows = [w for w in LONG_WINDOWS if w <= config.purchase_lookback_hours]
    longest = max(windows)
    return scan_windows(
        observed[-longest:],
        expected[-longest:],
        side=side,
        count=fit.is_count,
        dispersion=fit.dispersion,
        hourly_dispersion=fit.hourly_dispersion,
        min_volume=config.min_volume.get(relation, 0.0),
        min_effect=min_effect,
        windows=windows,
    )


def _finding(
    snapshot: Snapshot,
    kind: AlertKind,
    deviation: Deviation,
    *,
    metric: str,
    observed: float,
    expected: float,
    money: float,
    action: ActionKind,
    config: DetectorConfig,
    details: dict[str, str] | None = None,
) -> Finding | None:
    if deviation.tail_probability >= config.significance_for(kind):
        return None
    stake = _money(money)
    if stake < config.materiality_floor:
        return None
    places = 0 if metric in ("cpm", "cpa", "spend") else 4
    return Finding(
        kind=kind,
        entity_id=snapshot.entity_id,
        detected_at=snapshot.now,
        since=shift(snapshot.now, -deviation.hours),
        metric=metric,
        observed=_decimal(observed, places) or Decimal(0),
        expected=_decimal(expected, places) or Decimal(0),
        change=_decimal(observed / expected - 1 if expected else 0.0, 4) or Decimal(0),
        money_at_stake_per_day=stake,
        tail_probability=deviation.tail_probability,
        action=action,
        chart=chart_for(snapshot, metric, config.chart_hours),
        details=MappingProxyType(details or {}),
    )


def _window_sum(snapshot: Snapshot, metric: str, hours: int) -> float:
    return float(snapshot.series.metric(metric)[-hours:].sum())


def _scan_arrivals(
    snapshot: Snapshot, arrivals: Array, min_effect: float, config: DetectorConfig
) -> Deviation | None:
    """Purchases reported in the last hours against what a working pixel would report."""
    fit = snapshot.baseline.relation("conversions|clicks")
    hours = min(config.lookback_hours, arrivals.shape[0], len(snapshot.series))
    observed = arrivals[-hours:] / fit.count_unit
    expected = snapshot.baseline.expected_arrivals(snapshot.series, hours) / fit.count_unit
    return scan_windows(
        observed,
        expected,
        side="low",
        count=True,
        dispersion=fit.dispersion,
        hourly_dispersion=fit.hourly_dispersion,
        min_volume=config.min_volume.get("conversions|clicks", 0.0),
        min_effect=min_effect,
    )


def detect_cpm_spike(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Impressions per unit of spend well below usual: the auction got dearer."""
    effect = config.min_effect[AlertKind.CPM_SPIKE]
    deviation = _scan(snapshot, "impressions|spend", "low", 1.0 / effect, config)
    if deviation is None or deviation.observed <= 0:
        return None
    spend = _window_sum(snapshot, "spend", deviation.hours)
    cpm_now = 1000 * spend / deviation.observed
    cpm_usual = 1000 * spend / deviation.expected
    waste = 1.0 - deviation.ratio  # share of spend now buying nothing extra
    return _finding(
        snapshot, AlertKind.CPM_SPIKE, deviation, metric="cpm", observed=cpm_now,
        expected=cpm_usual, money=snapshot.usual_daily("spend") * waste,
        action=ActionKind.CUT_BUDGET, config=config,
    )  # fmt: skip


def detect_cpa_rise(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Purchases per unit of spend well below the lag-aware expectation.

    The evidence is the sharper of two tests (each Bonferroni-doubled): purchases
    per unit of spend, and purchases per click, which leaves out the auction's and
    the creative's wobble and so sees a conversion-rate drop sooner. Either way the
    CPA itself, over the same window, must be up by the minimum effect.
    """
    effect = config.min_effect[AlertKind.CPA_RISE]
    deviation: Deviation | None = None
    for relation in ("conversions|spend", "conversions|clicks"):
        found = _scan(snapshot, relation, "low", 1.0 / effect, config, slow=True)
        if found is None or relation not in snapshot.baseline.relations:
            continue
        if relation == "conversions|clicks":
            first = len(snapshot.series) - found.hours
            per_spend = snapshot.baseline.expected("conversions|spend", snapshot.series, first)
            expected = float(per_spend.sum())
            if expected <= 0 or found.observed > expected / effect:
                continue  # purchases per click fell, but the CPA did not rise enough
            found = Deviation(found.hours, found.observed, expected, found.tail_probability)
        doubled = replace(found, tail_probability=min(1.0, 2 * found.tail_probability))
        if deviation is None or doubled.tail_probability < deviation.tail_probability:
            deviation = doubled
    if deviation is None:
        return None
    spend = _window_sum(snapshot, "spend", deviation.hours)
    cpa_usual = spend / deviation.expected
    cpa_now = spend / deviation.observed if deviation.observed else math.inf
    action = ActionKind.PAUSE if deviation.ratio <= 0.5 else ActionKind.CUT_BUDGET
    return _finding(
        snapshot, AlertKind.CPA_RISE, deviation, metric="cpa",
        observed=cpa_now if math.isfinite(cpa_now) else spend, expected=cpa_usual,
        money=snapshot.usual_daily("spend") * (1.0 - deviation.ratio), action=action,
        config=config, details={"purchases": str(round(deviation.observed))},
    )  # fmt: skip


def detect_roas_drop(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Revenue per unit of spend well below the lag-aware expectation."""
    deviation = _scan(
        snapshot, "revenue|spend", "low", config.min_effect[AlertKind.ROAS_DROP], config, slow=True
    )
    if deviation is None:
        return None
    unit = snapshot.baseline.relation("revenue|spend").count_unit
    spend = _window_sum(snapshot, "spend", deviation.hours)
    roas_now = deviation.observed * unit / spend if spend else 0.0
    roas_usual = deviation.expected * unit / spend if spend else 0.0
    return _finding(
        snapshot, AlertKind.ROAS_DROP, deviation, metric="roas", observed=roas_now,
        expected=roas_usual, money=snapshot.usual_daily("revenue") * (1.0 - deviation.ratio),
        action=ActionKind.CUT_BUDGET, config=config,
    )  # fmt: skip


def detect_ctr_collapse(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Link clicks per impression far below usual: a tired or broken creative or link."""
    deviation = _scan(
        snapshot, "clicks|impressions", "low", config.min_effect[AlertKind.CTR_COLLAPSE], config
    )
    if deviation is None:
        return None
    impressions = _window_sum(snapshot, "impressions", deviation.hours)
    return _finding(
        snapshot, AlertKind.CTR_COLLAPSE, deviation, metric="ctr",
        observed=deviation.observed / impressions, expected=deviation.expected / impressions,
        money=snapshot.usual_daily("spend") * (1.0 - deviation.ratio),
        action=ActionKind.REVIEW_ADS, config=config,
    )  # fmt: skip


def detect_delivery_stall(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Spend stopped or far behind its usual hourly pace."""
    deviation = _scan(snapshot, "spend", "low", config.min_effect[AlertKind.DELIVERY_STALL], config)
    if deviation is None:
        return None
    return _finding(
        snapshot, AlertKind.DELIVERY_STALL, deviation, metric="spend",
        observed=deviation.observed, expected=deviation.expected,
        money=snapshot.usual_daily("spend") * (1.0 - deviation.ratio),
        action=ActionKind.CHECK_DELIVERY, config=config,
    )  # fmt: skip


def detect_spend_spike(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Spend far above its usual pace, or today's spend past the daily budget (overdelivery)."""
    if snapshot.daily_budget:
        today = _today_spend(snapshot)
        if today > config.overdelivery_ratio * snapshot.daily_budget:
            excess = today - snapshot.daily_budget
            certain = Deviation(_hours_today(snapshot), today, snapshot.daily_budget, 0.0)
            return _finding(
                snapshot, AlertKind.SPEND_SPIKE, certain, metric="spend", observed=today,
                expected=snapshot.daily_budget, money=excess, action=ActionKind.CUT_BUDGET,
                config=config, details={"overdelivery": "true"},
            )  # fmt: skip
    deviation = _scan(snapshot, "spend", "high", config.min_effect[AlertKind.SPEND_SPIKE], config)
    if deviation is None:
        return None
    return _finding(
        snapshot, AlertKind.SPEND_SPIKE, deviation, metric="spend",
        observed=deviation.observed, expected=deviation.expected,
        money=snapshot.usual_daily("spend") * (deviation.ratio - 1.0),
        action=ActionKind.CUT_BUDGET, config=config,
    )  # fmt: skip


def detect_tracking_broken(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Purchases far below what clicks and the lag model promise, while traffic is normal."""
    effect = config.min_effect[AlertKind.TRACKING_BROKEN]
    if snapshot.arrivals is not None and "conversions|clicks" in snapshot.baseline.relations:
        deviation = _scan_arrivals(snapshot, snapshot.arrivals, effect, config)
    else:
        deviation = _scan(snapshot, "conversions|clicks", "low", effect, config)
    if deviation is None:
        return None
    series, baseline = snapshot.series, snapshot.baseline
    first = len(series) - deviation.hours
    if "clicks" in baseline.relations:
        usual_clicks = float(baseline.expected("clicks", series, first).sum())
        if _window_sum(snapshot, "clicks", deviation.hours) < 0.5 * usual_clicks:
            return None  # traffic itself fell: a delivery or CTR problem, not tracking
    if "landing_page_views|clicks" in baseline.relations:
        usual_views = float(baseline.expected("landing_page_views|clicks", series, first).sum())
        if _window_sum(snapshot, "landing_page_views", deviation.hours) < 0.7 * usual_views:
            return None  # the site itself is not loading: not a pixel problem
    return _finding(
        snapshot, AlertKind.TRACKING_BROKEN, deviation, metric="conversions",
        observed=deviation.observed, expected=deviation.expected,
        money=snapshot.usual_daily("spend"), action=ActionKind.CHECK_PIXEL, config=config,
        details={"clicks": str(round(_window_sum(snapshot, "clicks", deviation.hours)))},
    )  # fmt: skip


def detect_disapproved_ads(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Ads the platform disapproved or flagged, weighed by the spend they usually carry."""
    blocked = [ad for ad in snapshot.ads if ad.effective_status in config.disapproved_statuses]
    stake = sum(ad.usual_daily_spend for ad in blocked)
    if not blocked or stake < config.materiality_floor:
        return None
    total = sum(ad.usual_daily_spend for ad in snapshot.ads) or stake
    return Finding(
        kind=AlertKind.ADS_DISAPPROVED,
        entity_id=snapshot.entity_id,
        detected_at=snapshot.now,
        since=shift(snapshot.now, -1),
        metric="ads",
        observed=Decimal(len(blocked)),
        expected=Decimal(0),
        change=Decimal(stake) / Decimal(total),  # share of usual spend blocked
        money_at_stake_per_day=stake,
        tail_probability=0.0,
        action=ActionKind.REVIEW_ADS,
        details=MappingProxyType(
            {
                "ads": ",".join(sorted(ad.ad_id for ad in blocked)),
                # their names, biggest usual spend first, for the message
                "names": "\n".join(
                    ad.name for ad in sorted(blocked, key=lambda a: -a.usual_daily_spend)
                ),
            }
        ),
    )


def _hours_today(snapshot: Snapshot) -> int:
    series = snapshot.series
    today = int(series.day[-1]) if len(series) else 0
    return int((series.day == today).sum())


def _today_spend(snapshot: Snapshot) -> float:
    return _window_sum(snapshot, "spend", _hours_today(snapshot)) if len(snapshot.series) else 0.0


def detect_budget_exhausting(snapshot: Snapshot, config: DetectorConfig) -> Finding | None:
    """Most of the daily budget gone while most of a usual day's spend is still ahead."""
    budget = snapshot.daily_budget
    if not budget or "spend" not in snapshot.baseline.relations or not len(snapshot.series):
        return None
    hours = _hours_today(snapshot)
    if hours >= 24:
        return None
    spent = _today_spend(snapshot)
    if spent < config.budget_exhausted_share * budget:
        return None
    day_start = shift(snapshot.now, -hours)
    per_hour = [snapshot.baseline.expected_hour("spend", shift(day_start, i)) for i in range(24)]
    usual_share = sum(per_hour[:hours]) / max(sum(per_hour), 1e-9)
    if usual_share > config.early_day_share:
        return None
    value = snapshot.usual_daily("revenue") or snapshot.usual_daily("spend")
    certain = Deviation(hours, spent, budget * usual_share, 0.0)
    return _finding(
        snapshot, AlertKind.BUDGET_EXHAUSTING, certain, metric="spend", observed=spent,
        expected=budget * usual_share, money=value * (1.0 - usual_share),
        action=ActionKind.RAISE_BUDGET, config=config,
        details={"budget": str(budget), "usual_share_by_now": f"{usual_share:.2f}"},
    )  # fmt: skip


Detector = Callable[[Snapshot, DetectorConfig], Finding | None]
DETECTORS: dict[AlertKind, Detector] = {
    AlertKind.CPM_SPIKE: detect_cpm_spike,
    AlertKind.CPA_RISE: detect_cpa_rise,
    AlertKind.ROAS_DROP: detect_roas_drop,
    AlertKind.CTR_COLLAPSE: detect_ctr_collapse,
    AlertKind.DELIVERY_STALL: detect_delivery_stall,
    AlertKind.TRACKING_BROKEN: detect_tracking_broken,
    AlertKind.ADS_DISAPPROVED: detect_disapproved_ads,
    AlertKind.SPEND_SPIKE: detect_spend_spike,
    AlertKind.BUDGET_EXHAUSTING: detect_budget_exhausting,
}
#: Symptoms a root cause explains: reported once, under the cause.
_EXPLAINED_BY: dict[AlertKind, frozenset[AlertKind]] = {
    AlertKind.TRACKING_BROKEN: frozenset({AlertKind.CPA_RISE, AlertKind.ROAS_DROP}),
    AlertKind.DELIVERY_STALL: frozenset({AlertKind.CPM_SPIKE, AlertKind.CTR_COLLAPSE}),
}


def detect_all(snapshot: Snapshot, config: DetectorConfig | None = None) -> tuple[Finding, ...]:
    """Every anomaly detector on one snapshot, symptoms of a found root cause left out."""
    settings = config or DetectorConfig()
    found = [f for f in (d(snapshot, settings) for d in DETECTORS.values()) if f is not None]
    kinds = {f.kind for f in found}
    explained = set().union(*(_EXPLAINED_BY.get(kind, frozenset()) for kind in kinds))
    return tuple(f for f in found if f.kind not in explained)
