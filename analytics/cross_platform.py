"""One report over several ad platforms: each platform's figures and their total.

Why its own module: a workspace that buys on Meta and Google wants one answer to
"how did we do", with each platform's share visible. Campaign ids are unique
across platforms (Meta ids, Google resource names), so the campaigns of every
account rank together; their names carry the platform's label. Totals are only
summed across accounts that share a currency (a sum of BRL and USD means nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ads.base import AdsPlatform, InsightRow, Level, Period
from analytics.report import Report, Totals, build_report, elapsed_share


@dataclass(frozen=True)
class PlatformSource:
    """Where one platform's figures come from: its label, connector and account."""

    label: str  # "Meta", "Google Ads"
    ads: AdsPlatform
    account_id: str


@dataclass(frozen=True)
class PlatformShare:
    label: str
    account_name: str
    currency: str
    totals: Totals


@dataclass(frozen=True)
class CrossPlatformReport:
    report: Report  # every platform's campaigns and days together
    shares: tuple[PlatformShare, ...]


def fetch_cross_platform_report(
    sources: Sequence[PlatformSource],
    period: Period,
    *,
    with_daily: bool = False,
    now_local: datetime | None = None,
) -> CrossPlatformReport:
    """Read each platform's rows (cached by the ads layer) and build the combined report."""
    if not sources:
        raise ValueError("a cross-platform report needs at least one account")
    current: list[InsightRow] = []
    previous: list[InsightRow] = []
    daily: list[InsightRow] = []
    campaigns = []
    shares: list[PlatformShare] = []
    names: list[str] = []
    currency = None
    for source in sources:
        info = source.ads.get_account(source.account_id)
        currency = currency or info.currency
        if info.currency != currency:
            raise ValueError("accounts in different currencies cannot be summed")
        rows = source.ads.insights(source.account_id, Level.CAMPAIGN, period)
        current += rows
        previous += source.ads.insights(source.account_id, Level.CAMPAIGN, period.previous())
        campaigns += [
            replace(c, name=f"{c.name} ({source.label})")
            for c in source.ads.list_campaigns(source.account_id)
        ]
        if with_daily:
            daily += source.ads.insights(source.account_id, Level.ACCOUNT, period, daily=True)
        shares.append(PlatformShare(source.label, info.name, info.currency, Totals.of(rows)))
        names.append(info.name)
    report = build_report(
        account_id="+".join(s.account_id for s in sources),
        account_name=" + ".join(names),
        currency=currency or "BRL",
        period=period,
        current=current,
        previous=previous,
        campaigns=campaigns,
        daily=daily,
        elapsed=elapsed_share(period, now_local) if now_local else Decimal(1),
    )
    return CrossPlatformReport(report, tuple(shares))
