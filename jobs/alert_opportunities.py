"""Opportunities of one ad account, checked once a local day by the hourly smart-alerts job.

Two questions on settled daily totals (:mod:`analytics.alerts.opportunities`):

* which active campaigns beat the workspace's target (ROAS or CPA) while
  their budget runs out (one Graph call: the campaigns' daily rows of the last
  seven complete days, plus the cached campaign and ad-set lists for budgets);
* which audience or placement segment earns more per unit of spend than it
  used to (four breakdown calls: age × gender and platform × device, the last
  seven complete days against the 21 before). Each segment's ROAS is taken
  relative to the account's in the same period
  (:func:`analytics.alerts.opportunities.rising_segments`), so late purchases
  still arriving for the recent week (the attribution lag) and an account-wide
  swing do not look like a segment rising.

The check runs from ``CHECK_HOUR`` local time on (so its push arrives in
business hours), once per local day; its findings go through the same
incident lifecycle as the anomalies, and the entities it looked at are named
so the hourly runs between two checks never resolve an opportunity.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ads.base import AdsPlatform, InsightRow, Level, Period, Status
from analytics.alerts.findings import Finding
from analytics.alerts.opportunities import (
    DailyTotals,
    SegmentTotals,
    detect_scale_opportunity,
    rising_segments,
)
from analytics.sync import local_today
from storage.models import AdAccount
from storage.repositories import workspace_settings

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Local hour from which the day's check runs.
CHECK_HOUR = 9
RECENT_DAYS = 7
PREVIOUS_DAYS = 21
#: Breakdown requests (Graph does not mix demographic and placement ones); each attribute's
#: values are summed over the others, so a segment is one attribute's value.
BREAKDOWNS: tuple[tuple[str, ...], ...] = (
    ("age", "gender"),
    ("publisher_platform", "device_platform"),
)
#: Entity ids of opportunities: ``campaign:<id>`` and ``segment:<attribute>=<value>``.
CAMPAIGN, SEGMENT = "campaign:", "segment:"


@dataclass(frozen=True)
class Check:
    """One day's check: what it found and the entities it judged (so others keep their state)."""

    findings: tuple[Finding, ...]
    evaluated: frozenset[str]
    covered: frozenset[str] = frozenset()  # entity prefixes whose read succeeded

    def judged(self, entity_id: str) -> bool:
        """Whether this check judged ``entity_id`` (one it no longer lists counts as quiet)."""
        return entity_id in self.evaluated or entity_id.startswith(tuple(self.covered))


def due(last_checked: str | None, now: datetime, timezone: str) -> bool:
    """Whether today's check is still to run (from ``CHECK_HOUR`` local time, once a day)."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.hour >= CHECK_HOUR and last_checked != local.date().isoformat()


def is_opportunity_entity(entity_id: str) -> bool:
    return entity_id.startswith((CAMPAIGN, SEGMENT))


def _targets(rt: Runtime, workspace_id: int) -> tuple[Decimal | None, int | None]:
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        roas = Decimal(prefs.target_roas) if prefs.target_roas else None
        cpa = int(prefs.target_cpa) if prefs.target_cpa else None
    return roas, cpa


@dataclass(frozen=True)
class Budget:
    """Where a campaign's daily budget lives: its own (CBO) or its biggest ad set's (ABO)."""

    level: Level
    holder_id: str
    holder_name: str
    holder_budget: Decimal  # minor units
    campaign_total: Decimal  # the campaign's whole daily budget (its ad sets' sum under ABO)


def campaign_budgets(ads: AdsPlatform, account_id: str) -> dict[str, Budget]:
    """Each active campaign's budget, by campaign id."""
    campaigns = [c for c in ads.list_campaigns(account_id) if c.status is Status.ACTIVE]
    out: dict[str, Budget] = {}
    abo = {c.id for c in campaigns if not c.daily_budget}
    for campaign in campaigns:
        if campaign.daily_budget:
            budget = campaign.daily_budget
            out[campaign.id] = Budget(Level.CAMPAIGN, campaign.id, campaign.name, budget, budget)
    if abo:
        by_campaign: dict[str, list[tuple[Decimal, str, str]]] = defaultdict(list)
        for adset in ads.list_adsets(account_id):
            if adset.campaign_id in abo and adset.status is Status.ACTIVE and adset.daily_budget:
                by_campaign[adset.campaign_id].append((adset.daily_budget, adset.id, adset.name))
        for campaign_id, holders in by_campaign.items():
            biggest, holder, name = max(holders)
            total = sum((h[0] for h in holders), Decimal(0))
            out[campaign_id] = Budget(Level.ADSET, holder, name, biggest, total)
    return out


def scale_findings(
    ads: AdsPlatform,
    account: AdAccount,
    today: date,
    now: datetime,
    target_roas: Decimal | None,
    target_cpa: int | None,
) -> tuple[list[Finding], set[str]]:
    """Budget-limited campaigns beating the target over the last complete days."""
    if target_roas is None and target_cpa is None:
        return [], set()
    budgets = campaign_budgets(ads, account.external_id)
    if not budgets:
        return [], set()
    period = Period(today - timedelta(days=RECENT_DAYS), today - timedelta(days=1))
    rows = ads.insights_levels(account.external_id, [Level.CAMPAIGN], period, daily=True)
    days: dict[str, list[DailyTotals]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows.get(Level.CAMPAIGN, []):
        if row.object_id not in budgets:
            continue
        names[row.object_id] = row.object_name
        days[row.object_id].append(
            DailyTotals(
                row.date_start, int(row.spend), int(row.conversions), int(row.revenue),
                int(budgets[row.object_id].campaign_total),
            )
        )  # fmt: skip
    found = []
    for campaign_id, series in days.items():
        finding = detect_scale_opportunity(
            CAMPAIGN + campaign_id, sorted(series, key=lambda d: d.day), now,
            target_roas=target_roas, target_cpa=target_cpa,
        )  # fmt: skip
        if finding is None:
            continue
        budget = budgets[campaign_id]
        found.append(
            _with_details(
                finding,
                name=names.get(campaign_id, campaign_id),
                budget_level=budget.level.value,
                budget_id=budget.holder_id,
                budget_name=budget.holder_name,
                budget=str(int(budget.holder_budget)),
                campaign_budget=str(int(budget.campaign_total)),
            )
        )
    return found, {CAMPAIGN + c for c in budgets}


def _segments(rows: Iterable[InsightRow], attributes: Sequence[str]) -> dict[str, SegmentTotals]:
    """Each attribute value's totals, summed over the other attributes."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        for name in attributes:
            value = row.breakdown.get(name)
            if not value or value == "unknown":
                continue
            total = sums[f"{name}={value}"]
            total[0] += int(row.spend)
            total[1] += int(row.conversions)
            total[2] += int(row.revenue)
    return {key: SegmentTotals(*values) for key, values in sums.items()}


def _relative(segment: SegmentTotals, account: SegmentTotals) -> float:
    return segment.roas / account.roas if account.roas else 0.0


def segment_findings(
    ads: AdsPlatform, account: AdAccount, today: date, now: datetime
) -> tuple[list[Finding], set[str]]:
    """Segments whose ROAS, relative to the account's, rose in the last complete week."""
    recent_period = Period(today - timedelta(days=RECENT_DAYS), today - timedelta(days=1))
    previous_period = Period(
        today - timedelta(days=RECENT_DAYS + PREVIOUS_DAYS),
        today - timedelta(days=RECENT_DAYS + 1),
    )
    found: list[Finding] = []
    evaluated: set[str] = set()
    for attributes in BREAKDOWNS:
        recent_rows = ads.insights(
            account.external_id, Level.ACCOUNT, recent_period, breakdowns=attributes
        )
        previous_rows = ads.insights(
            account.external_id, Level.ACCOUNT, previous_period, breakdowns=attributes
        )
        recent, previous = _segments(recent_rows, attributes), _segments(previous_rows, attributes)
        evaluated |= {SEGMENT + key for key in recent}
        for finding in rising_segments(
            recent, previous, _account(recent_rows), _account(previous_rows), now,
            recent_days=RECENT_DAYS,
        ):  # fmt: skip
            attribute, _, value = finding.entity_id.partition("=")
            found.append(
                _with_details(
                    replace(finding, entity_id=SEGMENT + finding.entity_id),
                    attribute=attribute,
                    value=value,
                )
            )
    return found, evaluated


def _account(rows: Iterable[InsightRow]) -> SegmentTotals:
    spend = conversions = revenue = 0
    for row in rows:
        spend += int(row.spend)
        conversions += int(row.conversions)
        revenue += int(row.revenue)
    return SegmentTotals(spend, conversions, revenue)


def _with_details(finding: Finding, **details: str) -> Finding:
    return replace(finding, details=MappingProxyType({**finding.details, **details}))


def check(rt: Runtime, account: AdAccount, now: datetime) -> Check:
    """Today's opportunities of ``account`` (a failed read checks nothing, logged)."""
    today = local_today(now, account.timezone)
    target_roas, target_cpa = _targets(rt, account.workspace_id)
    ads = rt.ads(account)
    findings: list[Finding] = []
    evaluated: set[str] = set()
    covered: set[str] = set()
    steps: list[tuple[str, Callable[[], tuple[list[Finding], set[str]]]]] = [
        (CAMPAIGN, lambda: scale_findings(ads, account, today, now, target_roas, target_cpa))
    ]
    if account.platform == "meta":  # Google Ads gives no breakdowns (yet) through our connector
        steps.append((SEGMENT, lambda: segment_findings(ads, account, today, now)))
    for prefix, step in steps:
        try:
            found, seen = step()
        except Exception:
            logger.exception("opportunities (%s) of %s unavailable", prefix, account.external_id)
            continue
        findings.extend(found)
        evaluated |= seen
        covered.add(prefix)
    return Check(tuple(findings), frozenset(evaluated), frozenset(covered))
