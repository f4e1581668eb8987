"""Delivery figures: one ad's day, what of it Graph reports now, and sums of days.

Everything here is an exact integer except reach, which is estimated from
impressions and the audience (unique people do not add up across days or ad
sets). Purchases carry their own report lag, so the same :class:`AdDay` reads
differently as the clock moves: :meth:`AdDay.reported` is the figure Graph
shows at a moment, and ``reported(None)`` the settled truth.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ads.sandbox import model
from ads.sandbox.attribution import LagProfile


def _hours(value: float) -> timedelta:
    return timedelta(hours=value)


@dataclass(frozen=True)
class Reported:
    """Lagged (attribution) figures for an ad-day as of some moment."""

    purchases: int
    revenue: int
    view_content: int
    add_to_cart: int
    initiate_checkout: int


@dataclass(frozen=True)
class AdDay:
    """One ad's delivery on one local day (to the clock's now, if the day is today)."""

    ad_id: str
    adset_id: str
    campaign_id: str
    day: date
    day_end: datetime
    complete: bool
    spend: int  # minor units
    impressions: int
    clicks: int
    link_clicks: int
    landing_page_views: int
    video_views: int
    post_reactions: int
    audience: float  # fresh audience, for reach
    churn: float  # daily renewal of the ad set's audience, for reach
    purchases: int  # settled (true) purchases
    lags: tuple[float, ...]  # per purchase, sorted: hours after day end it is reported
    value_prefix: tuple[int, ...]  # prefix sums of order values, in lag order
    view_content: int
    add_to_cart: int
    initiate_checkout: int
    lag: LagProfile  # the account's attribution lag, for the funnel events' reported share
    learning: bool = False  # the ad set was in the learning phase for part of the day

    def reported(
        self, now: datetime | None, blind: Sequence[tuple[datetime, datetime | None]] = ()
    ) -> Reported:
        """Attribution as Graph shows it at ``now``; ``None`` means fully settled.

        ``blind``: windows when the site's pixel fired nothing (an injected broken pixel);
        a late purchase made inside one is never reported (the day's own purchases made
        meanwhile are already missing from delivery).
        """
        if now is None:
            age = math.inf
        elif self.complete:
            age = (now - self.day_end).total_seconds() / 3600
        else:
            age = 0.0
        count = bisect.bisect_right(self.lags, age)
        if blind and now is not None and count:
            return self._blinded(count, age, blind)
        share = self.lag.share(age)
        checkout = max(count, math.floor(self.initiate_checkout * share))
        cart = max(checkout, math.floor(self.add_to_cart * share))
        view = max(cart, math.floor(self.view_content * share))
        if age == math.inf:
            checkout, cart, view = self.initiate_checkout, self.add_to_cart, self.view_content
        return Reported(count, self.value_prefix[count], view, cart, checkout)

    def _blinded(
        self, count: int, age: float, blind: Sequence[tuple[datetime, datetime | None]]
    ) -> Reported:
        seen = self.reported(None if age == math.inf else self.day_end + _hours(age))
        lost = 0
        lost_value = 0
        for index in range(count):
            lag = self.lags[index]
            if lag <= 0:
                continue
            made = self.day_end + _hours(lag)
            if any(start <= made and (end is None or made < end) for start, end in blind):
                lost += 1
                lost_value += self.value_prefix[index + 1] - self.value_prefix[index]
        return Reported(
            seen.purchases - lost, seen.revenue - lost_value, seen.view_content,
            seen.add_to_cart, seen.initiate_checkout,
        )  # fmt: skip


@dataclass
class Totals:
    """Summed delivery for a set of ad-days (exact integers; reach is estimated)."""

    spend: int = 0
    impressions: int = 0
    clicks: int = 0
    link_clicks: int = 0
    landing_page_views: int = 0
    video_views: int = 0
    post_reactions: int = 0
    purchases: int = 0
    revenue: int = 0
    view_content: int = 0
    add_to_cart: int = 0
    initiate_checkout: int = 0
    _audience: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _days: dict[str, set[date]] = field(default_factory=dict, repr=False)

    def add(
        self,
        *,
        adset_id: str,
        day: date,
        audience: float,
        churn: float,
        spend: int,
        impressions: int,
        clicks: int,
        link_clicks: int,
        landing_page_views: int,
        video_views: int,
        post_reactions: int,
        purchases: int,
        revenue: int,
        view_content: int,
        add_to_cart: int,
        initiate_checkout: int,
    ) -> None:
        self.spend += spend
        self.impressions += impressions
        self.clicks += clicks
        self.link_clicks += link_clicks
        self.landing_page_views += landing_page_views
        self.video_views += video_views
        self.post_reactions += post_reactions
        self.purchases += purchases
        self.revenue += revenue
        self.view_content += view_content
        self.add_to_cart += add_to_cart
        self.initiate_checkout += initiate_checkout
        slot = self._audience.setdefault(adset_id, [0.0, 0.0, churn])
        slot[0] += impressions
        slot[1] += audience * impressions
        self._days.setdefault(adset_id, set()).add(day)

    def add_day(self, day: AdDay, reported: Reported) -> None:
        """:meth:`add` of one ad-day as reported (inline: an insights query adds every ad-day
        of its range once per level, and sixteen keyword arguments were most of it)."""
        self.spend += day.spend
        self.impressions += day.impressions
        self.clicks += day.clicks
        self.link_clicks += day.link_clicks
        self.landing_page_views += day.landing_page_views
        self.video_views += day.video_views
        self.post_reactions += day.post_reactions
        self.purchases += reported.purchases
        self.revenue += reported.revenue
        self.view_content += reported.view_content
        self.add_to_cart += reported.add_to_cart
        self.initiate_checkout += reported.initiate_checkout
        slot = self._audience.setdefault(day.adset_id, [0.0, 0.0, day.churn])
        slot[0] += day.impressions
        slot[1] += day.audience * day.impressions
        self._days.setdefault(day.adset_id, set()).add(day.day)

    def merge(self, other: Totals) -> None:
        """Fold ``other`` in (for summary rows)."""
        for name in (
            "spend",
            "impressions",
            "clicks",
            "link_clicks",
            "landing_page_views",
            "video_views",
            "post_reactions",
            "purchases",
            "revenue",
            "view_content",
            "add_to_cart",
            "initiate_checkout",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for adset_id, (impressions, weighted, churn) in other._audience.items():
            slot = self._audience.setdefault(adset_id, [0.0, 0.0, churn])
            slot[0] += impressions
            slot[1] += weighted
        for adset_id, days in other._days.items():
            self._days.setdefault(adset_id, set()).update(days)

    @property
    def reach(self) -> int:
        """Unique people: ad sets' audiences overlap nothing, ads within an ad set share one."""
        total = 0.0
        for adset_id, (impressions, weighted, churn) in self._audience.items():
            if impressions > 0:
                days = len(self._days[adset_id])
                total += model.reach(impressions, weighted / impressions, days, churn)
        people = round(total)
        return max(people, 1) if self.impressions else 0

    @property
    def empty(self) -> bool:
        return self.impressions == 0 and self.spend == 0
