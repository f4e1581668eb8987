"""Performance reports as pure computations over insight rows.

Fetching lives in :func:`fetch_report`; everything else is a function of the
rows handed in, so it is tested with plain values. Money stays Decimal minor
units; ratios are Decimal; nothing is rounded until it is formatted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from ads.base import AdSet, AdsPlatform, Campaign, InsightRow, Level, Period
from ads.errors import IncompleteInsights

#: Figures that add up over time (compared at the same pace when a period is still running).
ADDITIVE = frozenset({"spend", "impressions", "clicks", "reach", "conversions", "revenue"})
#: A campaign needs this share of total spend to be called best or worst.
MIN_SPEND_SHARE = Decimal("0.05")


@dataclass(frozen=True)
class Totals:
    spend: Decimal = Decimal(0)
    impressions: int = 0
    clicks: int = 0
    reach: int = 0
    conversions: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)

    @classmethod
    def of(cls, rows: Iterable[InsightRow]) -> Totals:
        spend, revenue, conversions = Decimal(0), Decimal(0), Decimal(0)
        impressions = clicks = reach = 0
        for row in rows:
            spend += row.spend
            revenue += row.revenue
            conversions += row.conversions
            impressions += row.impressions
            clicks += row.clicks
            reach += row.reach
        return cls(spend, impressions, clicks, reach, conversions, revenue)

    @property
    def ctr(self) -> Decimal | None:
        return _div(Decimal(self.clicks) * 100, Decimal(self.impressions))

    @property
    def cpc(self) -> Decimal | None:
        return _div(self.spend, Decimal(self.clicks))

    @property
    def cpa(self) -> Decimal | None:
        return _div(self.spend, self.conversions)

    @property
    def roas(self) -> Decimal | None:
        return _div(self.revenue, self.spend)

    @property
    def cpm(self) -> Decimal | None:
        return _div(self.spend * 1000, Decimal(self.impressions))

    def scaled(self, factor: Decimal) -> Totals:
        """The additive figures times ``factor`` (ratios unchanged): a fair pace comparison."""
        return Totals(
            spend=self.spend * factor,
            impressions=round(self.impressions * factor),
            clicks=round(self.clicks * factor),
            reach=round(self.reach * factor),
            conversions=self.conversions * factor,
            revenue=self.revenue * factor,
        )


def _div(a: Decimal, b: Decimal) -> Decimal | None:
    return a / b if b else None


def change(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """Relative change in percent; None when there is nothing to compare against."""
    if current is None or previous is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)


@dataclass(frozen=True)
class CampaignLine:
    id: str
    name: str
    status: str
    totals: Totals


@dataclass(frozen=True)
class Report:
    account_id: str
    account_name: str
    currency: str
    period: Period
    totals: Totals
    previous: Totals
    campaigns: tuple[CampaignLine, ...]
    best: CampaignLine | None
    worst: CampaignLine | None
    daily: tuple[tuple[Period, Totals], ...] = ()
    #: Share of the period elapsed (below 1 while it includes today): sums of the previous
    #: period are scaled by it, so "change" compares like with like.
    elapsed: Decimal = Decimal(1)
    #: What the lines are ("campaign", or "adset" in one campaign's report) and, for such a
    #: report, the campaign's name.
    unit: str = "campaign"
    subject: str = ""
    #: Parts Meta could not deliver (``"previous"``, ``"daily"``): the report says so.
    incomplete: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        return self.elapsed < 1

    def change_of(self, metric: str) -> Decimal | None:
        """Change against the previous period; sums are compared at the same pace."""
        if "previous" in self.incomplete:
            return None  # no figures to compare with: no change, rather than a false one
        previous = self.previous
        if metric in ADDITIVE and self.partial:
            previous = previous.scaled(self.elapsed)
        return change(getattr(self.totals, metric), getattr(previous, metric))


def by_campaign(rows: Sequence[InsightRow]) -> dict[str, Totals]:
    grouped: dict[str, list[InsightRow]] = {}
    for row in rows:
        grouped.setdefault(row.campaign_id or row.object_id, []).append(row)
    return {cid: Totals.of(group) for cid, group in grouped.items()}


def by_object(rows: Sequence[InsightRow]) -> dict[str, Totals]:
    grouped: dict[str, list[InsightRow]] = {}
    for row in rows:
        grouped.setdefault(row.object_id, []).append(row)
    return {oid: Totals.of(group) for oid, group in grouped.items()}


def margin_of(gross_margin_pct: Decimal | None, target_roas: Decimal | None) -> Decimal | None:
    """The share of revenue left after costs other than ads: the workspace's gross margin
    (stored in percent), or 1 / its ROAS target standing in as break-even, or None."""
    if gross_margin_pct is not None and gross_margin_pct > 0:
        return Decimal(gross_margin_pct) / 100
    if target_roas is not None and target_roas > 0:
        return 1 / Decimal(target_roas)
    return None


def rank(
    lines: Sequence[CampaignLine], total_spend: Decimal, margin: Decimal | None = None
) -> tuple[CampaignLine | None, ...]:
    """Best and worst campaign by contribution, among material spenders (≥ 5% of spend).

    Contribution = revenue × margin − spend (the margin when set; otherwise the account's
    own ROAS stands in as break-even, so it reads "beyond or short of the account's
    average"). A campaign that spent and sold nothing has the most negative contribution
    for its spend, so it can be the worst. The worst never beats the account (its ROAS is
    at most the account's) and the best never trails it. Without revenue anywhere the
    same holds for conversions at the account's CPA.
    """
    material = [
        line
        for line in lines
        if total_spend
        and line.totals.spend > 0
        and line.totals.spend >= total_spend * MIN_SPEND_SHARE
    ]
    spend = sum((line.totals.spend for line in lines), Decimal(0))
    revenue = sum((line.totals.revenue for line in lines), Decimal(0))
    conversions = sum((line.totals.conversions for line in lines), Decimal(0))
    if not material or not spend:
        return None, None
    if revenue:
        account_rate = revenue / spend  # ROAS
        value = {id(line): line.totals.revenue for line in material}
    elif conversions:
        account_rate = conversions / spend  # conversions per unit of spend
        value = {id(line): line.totals.conversions for line in material}
        margin = None  # a margin applies to revenue, not to conversions
    else:
        return None, None
    keep = margin if margin is not None else 1 / account_rate

    def contribution(line: CampaignLine) -> Decimal:
        return value[id(line)] * keep - line.totals.spend

    def rate(line: CampaignLine) -> Decimal:
        return value[id(line)] / line.totals.spend

    if len(material) < 2:
        only = material[0]
        return (only if value[id(only)] else None), None
    winners = [line for line in material if value[id(line)] and rate(line) >= account_rate]
    losers = [line for line in material if rate(line) <= account_rate]
    best = max(winners, key=contribution, default=None)
    worst = min(losers, key=contribution, default=None)
    if worst is best:
        worst = None
    return best, worst


def build_report(
    *,
    account_id: str,
    account_name: str,
    currency: str,
    period: Period,
    current: Sequence[InsightRow],
    previous: Sequence[InsightRow],
    campaigns: Sequence[Campaign | AdSet],
    daily: Sequence[InsightRow] = (),
    elapsed: Decimal = Decimal(1),
    unit: str = "campaign",
    subject: str = "",
    margin: Decimal | None = None,
) -> Report:
    """``margin`` (see :func:`margin_of`) ranks the best and worst lines by contribution."""
    totals = Totals.of(current)
    per_campaign = by_campaign(current) if unit == "campaign" else by_object(current)
    names = {c.id: c for c in campaigns}
    lines = tuple(
        sorted(
            (
                CampaignLine(
                    id=cid,
                    name=names[cid].name if cid in names else cid,
                    status=names[cid].status.value if cid in names else "",
                    totals=t,
                )
                for cid, t in per_campaign.items()
            ),
            key=lambda line: line.totals.spend,
            reverse=True,
        )
    )
    # With one line, "best" would only repeat the totals.
    best, worst = rank(lines, totals.spend, margin) if len(lines) > 1 else (None, None)
    days: dict[date, list[InsightRow]] = {}
    for row in daily:
        days.setdefault(row.date_start, []).append(row)
    daily_totals = tuple((Period(day, day), Totals.of(rows)) for day, rows in sorted(days.items()))
    return Report(
        account_id=account_id,
        account_name=account_name,
        currency=currency,
        period=period,
        totals=totals,
        previous=Totals.of(previous),
        campaigns=lines,
        best=best,
        worst=worst,
        daily=daily_totals,
        elapsed=elapsed,
        unit=unit,
        subject=subject,
    )


def elapsed_share(period: Period, now_local: datetime) -> Decimal:
    """How much of ``period`` has happened by ``now_local`` (in the account's timezone)."""
    today = now_local.date()
    if period.until < today:
        return Decimal(1)
    seconds = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    done_days = Decimal((today - period.since).days) + Decimal(seconds) / 86400
    return max(Decimal("0.01"), done_days / period.days)


def fetch_report(
    ads: AdsPlatform,
    account_id: str,
    period: Period,
    *,
    with_daily: bool = False,
    now_local: datetime | None = None,
    margin: Decimal | None = None,
) -> Report:
    """Read what a report needs (cached by the ads layer) and build it."""
    info = ads.get_account(account_id)
    current = ads.insights(account_id, Level.CAMPAIGN, period)
    missing: list[str] = []
    previous = _or_missing(
        lambda: ads.insights(account_id, Level.CAMPAIGN, period.previous()), "previous", missing
    )
    campaigns = ads.list_campaigns(account_id)
    daily: list[InsightRow] = []
    if with_daily:
        daily = _or_missing(
            lambda: ads.insights(account_id, Level.ACCOUNT, period, daily=True), "daily", missing
        )
    report = build_report(
        account_id=account_id,
        account_name=info.name,
        currency=info.currency,
        period=period,
        current=current,
        previous=previous,
        campaigns=campaigns,
        daily=daily,
        elapsed=elapsed_share(period, now_local) if now_local else Decimal(1),
        margin=margin,
    )
    return replace(report, incomplete=tuple(missing)) if missing else report


def _or_missing(
    read: Callable[[], list[InsightRow]], part: str, missing: list[str]
) -> list[InsightRow]:
    """A secondary part of a report; when Meta's report job never finished, noted as missing."""
    try:
        return read()
    except IncompleteInsights:
        missing.append(part)
        return []


def fetch_campaign_report(
    ads: AdsPlatform,
    account_id: str,
    campaign: Campaign,
    period: Period,
    *,
    with_daily: bool = False,
    now_local: datetime | None = None,
    margin: Decimal | None = None,
) -> Report:
    """One campaign: its figures, its ad sets as the lines (best and worst), its days."""
    info = ads.get_account(account_id)

    def rows(when: Period) -> list[InsightRow]:
        return [
            r for r in ads.insights(account_id, Level.ADSET, when) if r.campaign_id == campaign.id
        ]

    daily: list[InsightRow] = []
    if with_daily:
        daily = ads.insights(
            account_id, Level.CAMPAIGN, period, object_ids=[campaign.id], daily=True
        )
    return build_report(
        account_id=account_id,
        account_name=info.name,
        currency=info.currency,
        period=period,
        current=rows(period),
        previous=rows(period.previous()),
        campaigns=ads.list_adsets(account_id, campaign.id),
        daily=daily,
        elapsed=elapsed_share(period, now_local) if now_local else Decimal(1),
        unit="adset",
        subject=campaign.name,
        margin=margin,
    )
