"""How a campaign's budget is shared between its ad sets and ads at a moment.

Meta's delivery spends a CBO campaign's budget across ad sets, and an ad set's
budget across ads, favouring what it predicts performs best; the sandbox
approximates that with shares proportional to a power of each one's expected
value per unit of spend (``score``). Statuses, schedules and lifetime budgets
are read from the change log at the moment asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ads.sandbox.records import ACTIVE, AccountRecord, AdRecord, AdSetRecord, CampaignRecord

#: How strongly delivery favours the better ad set (CBO) and the better ad.
ADSET_SHARE_POWER = 1.3
AD_SHARE_POWER = 1.5


def budget_shares(
    account: AccountRecord,
    campaign: CampaignRecord,
    live: Mapping[str, list[AdRecord]],
    adsets: Mapping[str, AdSetRecord],
    at: datetime,
    scores: Mapping[str, float],
) -> dict[str, float]:
    """Each live ad's budget share (minor units per day) from ``at``.

    ``live`` maps ad set ids to their ads able to deliver at ``at``;
    ``scores`` gives each ad's expected value per unit of spend.
    """
    if account.value_at("account_status", at) != 1:
        return {}
    if not running(campaign, at, "stop_time"):
        return {}
    live = {sid: ads for sid, ads in live.items() if ads and running(adsets[sid], at, "end_time")}
    if not live:
        return {}
    budgets: dict[str, float] = {}
    campaign_budget = daily_equivalent(campaign, at, "stop_time")
    if campaign_budget is not None:
        weights = {
            sid: (sum(scores[a.id] for a in ads) / len(ads)) ** ADSET_SHARE_POWER
            for sid, ads in live.items()
        }
        total = sum(weights.values())
        budgets = {sid: campaign_budget * w / total for sid, w in weights.items()}
    else:
        for sid in live:
            budget = daily_equivalent(adsets[sid], at, "end_time")
            if budget:
                budgets[sid] = budget
    rates: dict[str, float] = {}
    for sid, budget in budgets.items():
        ads = live[sid]
        ad_weights = {a.id: scores[a.id] ** AD_SHARE_POWER for a in ads}
        total = sum(ad_weights.values())
        for ad_id, weight in ad_weights.items():
            rates[ad_id] = budget * weight / total
    return rates


def running(record: CampaignRecord | AdSetRecord, at: datetime, stop_field: str) -> bool:
    if record.value_at("status", at) != ACTIVE:
        return False
    start = record.value_at("start_time", at)
    stop = record.value_at(stop_field, at)
    if start is not None and at < start:
        return False
    return not (stop is not None and at >= stop)


def daily_equivalent(
    record: CampaignRecord | AdSetRecord, at: datetime, stop_field: str
) -> float | None:
    daily = record.value_at("daily_budget", at)
    if daily is not None:
        return float(daily)
    lifetime = record.value_at("lifetime_budget", at)
    if lifetime is None:
        return None
    start = record.value_at("start_time", at) or record.created_time
    stop = record.value_at(stop_field, at)
    days = max(1.0, (stop - start).total_seconds() / 86400) if stop else 30.0
    return float(lifetime) / days
