"""A rules-tool rule, replayed over the stored history: what it would have done, and what that was worth.

``testar regra: pausar se CPA > 2x a meta por 3 dias`` becomes a :class:`Rule`
(action, metric, comparison, threshold, window). :func:`replay` walks the
history day by day as the rule would have seen it that morning (the figures of
the last ``window`` days *as reported then*: a day younger than the attribution
window was still provisional, so a rule that reads it judges under-reported
conversions) and records each time it fires, at most once per object per
cooldown. The effect is estimated from the brain's models, never asserted:

* a pause is worth minus the contribution profit the object really made after
  that day (what pausing would have forgone or saved), settled figures;
* a budget change is worth the response curve's profit change per day between
  the old and the new spend, over the days left in the window.

Shadow mode (``regra em modo sombra``) evaluates the same rule each night on
fresh figures without acting (:func:`fires_today`), and reports after N days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from analytics.brain.curves import ResponseCurve

METRICS = ("cpa", "roas", "ctr", "spend", "conversions")
ACTIONS = ("pause", "raise", "cut")
#: Days after which a day's conversions are considered settled (Meta's 7-day click window).
SETTLED_AFTER = 7


@dataclass(frozen=True)
class Rule:
    """``action`` when ``metric`` ``op`` ``threshold`` (× the target when ``relative``) over
    the last ``window`` days; budget actions move by ``step`` (0.2 = 20%)."""

    action: str  # pause | raise | cut
    metric: str  # cpa | roas | ctr | spend | conversions
    op: str  # > | <
    threshold: Decimal
    relative: bool = False  # threshold is a multiple of the workspace's target
    window: int = 3
    step: Decimal = Decimal("0.2")
    cooldown: int = 3

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "metric": self.metric,
            "op": self.op,
            "threshold": str(self.threshold),
            "relative": self.relative,
            "window": self.window,
            "step": str(self.step),
            "cooldown": self.cooldown,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rule:
        return cls(
            action=str(data["action"]),
            metric=str(data["metric"]),
            op=str(data["op"]),
            threshold=Decimal(str(data["threshold"])),
            relative=bool(data.get("relative", False)),
            window=int(data.get("window", 3)),
            step=Decimal(str(data.get("step", "0.2"))),
            cooldown=int(data.get("cooldown", 3)),
        )


@dataclass(frozen=True)
class Day:
    """One object's day as it really was (settled figures)."""

    day: date
    spend: int  # minor units
    impressions: int
    clicks: int
    conversions: float
    revenue: int  # minor units


#: Share of a day's final conversions reported ``age`` days after it ended (the lag curve).
Share = Callable[[float], float]


def settled(_age: float) -> float:
    return 1.0


@dataclass(frozen=True)
class Firing:
    object_id: str
    name: str
    day: date  # the morning it fires
    value: float  # the metric it read
    on_provisional: bool  # its window held days still inside the attribution window
    profit_change: int  # estimated contribution profit change, minor units (to the end)


@dataclass(frozen=True)
class Backtest:
    rule: Rule
    since: date
    until: date
    firings: tuple[Firing, ...]
    profit_change: int  # sum, minor units
    objects: int  # how many objects it read

    @property
    def on_provisional(self) -> int:
        return sum(f.on_provisional for f in self.firings)


def metric_value(
    metric: str, days: Sequence[Day], morning: date, share: Share = settled
) -> float | None:
    """The metric over ``days`` as a rule read it on ``morning``: each day's conversions and
    revenue as reported by then (``share`` of the final at its age, 8 h into the morning)."""
    ages = {d.day: (morning - d.day).days - 1 + 8 / 24 for d in days}
    spend = sum(d.spend for d in days)
    conversions = sum(d.conversions * share(ages[d.day]) for d in days)
    revenue = sum(d.revenue * share(ages[d.day]) for d in days)
    if metric == "spend":
        return float(spend)
    if metric == "conversions":
        return float(conversions)
    if metric == "cpa":
        return spend / conversions if conversions else (float("inf") if spend else None)
    if metric == "roas":
        return revenue / spend if spend else None
    if metric == "ctr":
        impressions = sum(d.impressions for d in days)
        return 100 * sum(d.clicks for d in days) / impressions if impressions else None
    raise ValueError(metric)


def threshold_of(rule: Rule, targets: Mapping[str, Decimal | None]) -> float | None:
    """The rule's threshold in the metric's units (a relative one needs the target)."""
    if not rule.relative:
        return float(rule.threshold)
    target = targets.get(rule.metric)
    return float(rule.threshold * target) if target is not None else None


def fires(rule: Rule, value: float | None, threshold: float) -> bool:
    if value is None:
        return False
    return value > threshold if rule.op == ">" else value < threshold


def replay(
    rule: Rule,
    history: Mapping[str, tuple[str, Sequence[Day]]],
    *,
    targets: Mapping[str, Decimal | None],
    margin: Decimal | None,
    curves: Mapping[str, ResponseCurve] | None = None,
    since: date,
    until: date,
    share: Share = settled,
) -> Backtest:
    """Replay ``rule`` each morning from ``since`` to ``until`` over ``history``
    (object id → (name, days)); effects from settled figures and the curves."""
    threshold = threshold_of(rule, targets)
    firings: list[Firing] = []
    curves = curves or {}
    for object_id, (name, days) in history.items():
        by_day = {d.day: d for d in days}
        stopped: date | None = None
        last: date | None = None
        morning = since
        while morning <= until and threshold is not None:
            if stopped is not None:
                break
            if last is not None and (morning - last).days < rule.cooldown:
                morning += timedelta(days=1)
                continue
            window = [
                by_day[d]
                for k in range(1, rule.window + 1)
                if (d := morning - timedelta(days=k)) in by_day
            ]
            value = metric_value(rule.metric, window, morning, share)
            if len(window) == rule.window and fires(rule, value, threshold):
                after = [d for d in days if morning <= d.day <= until]
                change = _effect(rule, after, margin, curves.get(object_id), window)
                firings.append(
                    Firing(
                        object_id,
                        name,
                        morning,
                        float(value or 0.0),
                        on_provisional=any((morning - d.day).days <= SETTLED_AFTER for d in window),
                        profit_change=change,
                    )
                )
                last = morning
                if rule.action == "pause":
                    stopped = morning
            morning += timedelta(days=1)
    total = sum(f.profit_change for f in firings)
    return Backtest(rule, since, until, tuple(firings), total, len(history))


def _effect(
    rule: Rule,
    after: Sequence[Day],
    margin: Decimal | None,
    curve: ResponseCurve | None,
    window: Sequence[Day],
) -> int:
    if margin is None:
        return 0
    m = float(margin)
    if rule.action == "pause":
        earned = sum(m * d.revenue - d.spend for d in after)
        return round(-earned)
    if curve is None or not window:
        return 0
    spend = sum(d.spend for d in window) / len(window)
    factor = float(1 + rule.step) if rule.action == "raise" else float(1 - rule.step)
    per_day = curve.profit_change(spend, spend * factor, m).mean
    return round(per_day * len(after))


def fires_today(
    rule: Rule,
    history: Mapping[str, tuple[str, Sequence[Day]]],
    *,
    targets: Mapping[str, Decimal | None],
    today: date,
    share: Share = settled,
) -> list[tuple[str, str, float]]:
    """Shadow mode: which objects the rule would act on this morning: (id, name, value)."""
    threshold = threshold_of(rule, targets)
    if threshold is None:
        return []
    out = []
    for object_id, (name, days) in history.items():
        by_day = {d.day: d for d in days}
        window = [
            by_day[d]
            for k in range(1, rule.window + 1)
            if (d := today - timedelta(days=k)) in by_day
        ]
        value = metric_value(rule.metric, window, today, share) if window else None
        if len(window) == rule.window and fires(rule, value, threshold):
            out.append((object_id, name, float(value or 0.0)))
    return out


def group_by_object(rows: Sequence[tuple[str, str, Day]]) -> dict[str, tuple[str, list[Day]]]:
    out: dict[str, tuple[str, list[Day]]] = {}
    names: dict[str, str] = {}
    days: dict[str, list[Day]] = defaultdict(list)
    for object_id, name, day in rows:
        names[object_id] = name
        days[object_id].append(day)
    for object_id, items in days.items():
        out[object_id] = (names[object_id], sorted(items, key=lambda d: d.day))
    return out
