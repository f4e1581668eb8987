"""The learning phase: an ad set delivers worse for a while after it starts or is edited.

What it models (Meta Business Help Center, "About the learning phase",
https://www.facebook.com/business/help/112167992830700): when an ad set starts
delivering, or after a *significant edit*, the delivery system explores;
performance is less stable and cost per result usually higher. The ad set
leaves learning after about 50 optimisation events since its last significant
edit; one that cannot get them within 7 days shows "Learning limited".

Significant edits the sandbox recognises (Meta's list, "About significant
edits", includes targeting, creative, optimisation event, bid strategy,
adding an ad, budget and bid changes and a pause of 7+ days):

* the ad set's creation, and adding an ad to it;
* a budget change of more than 20 % (ad set budget for ABO, campaign budget
  for CBO). Meta only says "significant"; 20 % is the practitioners' rule of
  thumb and is the stated assumption here;
* a change between daily and lifetime budget;
* resuming after 7 days or more in which the campaign or ad set was not active.
  Targeting and optimisation-goal edits are not tracked in the change log, so
  they do not restart learning in the sandbox.

Assumed size of the effect (no public figure exists): while learning, CPM is
10 % higher and the conversion rate 20 % lower (cost per result about +37 %),
and the day's conversion rate gets extra lognormal noise (sigma 0.25), so
results are costlier and noisier. Learning ends when the ad set has ~50
optimisation events since the edit (counted from settled figures of completed
days) or when 7 days have passed; "learning limited" is not modelled
separately (after 7 days the penalty ends either way).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ads.sandbox.figures import AdDay
from ads.sandbox.records import ACTIVE, AdRecord, AdSetRecord, CampaignRecord

#: Optimisation events that end learning (Meta: "about 50").
EXIT_EVENTS = 50
#: Learning ends at the latest this long after the last significant edit.
WINDOW = timedelta(days=7)
#: A budget change bigger than this (relative) restarts learning.
SIGNIFICANT_BUDGET_CHANGE = 0.20
#: Not delivering at least this long makes a resume a significant edit.
LONG_PAUSE = timedelta(days=7)
#: Multipliers and extra noise while learning (assumptions, see the module docstring).
CPM_MULTIPLIER = 1.10
CVR_MULTIPLIER = 0.80
CVR_NOISE = 0.25

_BUDGET_FIELDS = ("daily_budget", "lifetime_budget")


def significant_edits(
    campaign: CampaignRecord, adset: AdSetRecord, ads: Iterable[AdRecord]
) -> list[datetime]:
    """Moments (sorted) at which the ad set entered learning, up to the last change known."""
    moments = {adset.created_time}
    moments.update(ad.created_time for ad in ads if ad.created_time > adset.created_time)
    budget_owner = campaign if campaign.is_cbo else adset
    moments.update(_budget_edits(budget_owner))
    moments.update(_long_pause_resumes(campaign, adset))
    return sorted(moments)


def last_edit(edits: list[datetime], at: datetime) -> datetime | None:
    """The latest significant edit at or before ``at``."""
    index = bisect.bisect_right(edits, at)
    return edits[index - 1] if index else None


@dataclass(frozen=True)
class Progress:
    """Optimisation events an ad set has had since its last significant edit."""

    since: datetime
    events: int


def advance(
    progress: Progress | None,
    edit: datetime | None,
    day_start: datetime,
    day_end: datetime,
    day_events: int,
) -> Progress | None:
    """Count a completed day's events towards the latest edit (restarting after a new one)."""
    if edit is None:
        return None
    if progress is not None and progress.since == edit:
        return Progress(edit, progress.events + day_events)
    # A new edit: only the part of the day after it counts (events spread evenly over the day).
    after = (day_end - max(edit, day_start)).total_seconds()
    fraction = min(max(after / (day_end - day_start).total_seconds(), 0.0), 1.0)
    return Progress(edit, round(day_events * fraction))


def is_learning(edit: datetime | None, progress: Progress | None, at: datetime) -> bool:
    """Whether an ad set whose last significant edit is ``edit`` is learning at ``at``."""
    if edit is None or at - edit >= WINDOW:
        return False
    events = progress.events if progress is not None and progress.since == edit else 0
    return events < EXIT_EVENTS


def _budget_edits(record: CampaignRecord | AdSetRecord) -> list[datetime]:
    edits = []
    previous: dict[str, int | None] = {}
    for at, name, value in record.history:
        if name not in _BUDGET_FIELDS:
            continue
        if name in previous:
            before = previous[name]
            if (before is None) != (value is None) or (
                before and value and abs(value / before - 1.0) > SIGNIFICANT_BUDGET_CHANGE
            ):
                edits.append(at)
        previous[name] = value
    return edits


def _long_pause_resumes(campaign: CampaignRecord, adset: AdSetRecord) -> list[datetime]:
    entries = sorted(
        [(at, "campaign", v) for at, f, v in campaign.history if f == "status"]
        + [(at, "adset", v) for at, f, v in adset.history if f == "status"]
    )
    status = {"campaign": None, "adset": None}
    off_since: datetime | None = None
    delivering = False
    resumes = []
    for at, owner, value in entries:
        status[owner] = value
        now_delivering = status["campaign"] == ACTIVE and status["adset"] == ACTIVE
        if delivering and not now_delivering:
            off_since = at
        elif now_delivering and not delivering and off_since is not None:
            if at - off_since >= LONG_PAUSE:
                resumes.append(at)
            off_since = None
        delivering = now_delivering
    return resumes


def optimisation_events(ad_day: AdDay, goal: str) -> int:
    """The ad-day's events of the kind its ad set optimises for (settled), for learning."""
    if goal == "THRUPLAY":
        return ad_day.video_views
    if goal == "LANDING_PAGE_VIEWS":
        return ad_day.landing_page_views
    if goal in ("LINK_CLICKS", "REACH", "IMPRESSIONS"):
        return ad_day.link_clicks
    return ad_day.purchases
