"""Attribution lag: when a day's purchases show up in Graph's figures.

What it models: Meta attributes a purchase to the day of the ad interaction
(insights' default ``action_report_time=impression``) within the account's
attribution setting, by default 7-day click / 1-day view (Marketing API,
"Ads Insights" reference, ``action_attribution_windows`` and
``action_report_time``). So a past day's purchases keep growing as late buyers
convert: most by the end of the day, a tail over the next days, the last ones
up to ~7 days after the click.

Assumptions (stated, not measured): a share ``immediate_share`` of a day's
purchases is reported by the end of that day; the rest arrive after a delay
that is exponential with mean ``mean_hours``, truncated at the 7-day window
(168 h after the day ended). Accounts differ (what they sell and how long
people think about it), so each account gets its own profile, drawn from the
sandbox seed: immediate share 40-65 %, mean delay 20-60 h, which puts 1-15 %
of purchases beyond 72 hours. A scenario can set the profile explicitly.

Failure modes: real lags depend on the product and the weekday and are
not exponential; the sandbox's profile is fixed per account over time.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from typing import Any

from ads.sandbox.model import rng_for

#: Hours after the end of a day by which all of its conversions have been reported (7-day click).
ATTRIBUTION_WINDOW_HOURS = 168.0


@dataclass(frozen=True)
class LagProfile:
    """How an account's purchases are reported over time after the day they are attributed to."""

    immediate_share: float  # reported by the end of the day itself
    mean_hours: float  # mean delay of the others, hours after the day ended (before truncation)

    def share(self, age_hours: float) -> float:
        """Expected share of a day's purchases reported ``age_hours`` after the day ended."""
        if age_hours <= 0:
            return self.immediate_share
        if age_hours >= ATTRIBUTION_WINDOW_HOURS:
            return 1.0
        return self.immediate_share + (1 - self.immediate_share) * self._tail_cdf(age_hours)

    def draw(self, rng: random.Random) -> float:
        """Hours after the end of the click's day at which one purchase is reported."""
        if rng.random() < self.immediate_share:
            return 0.0
        u = rng.random()
        truncation = 1.0 - math.exp(-ATTRIBUTION_WINDOW_HOURS / self.mean_hours)
        return min(-self.mean_hours * math.log(1.0 - u * truncation), ATTRIBUTION_WINDOW_HOURS)

    def _tail_cdf(self, hours: float) -> float:
        truncation = 1.0 - math.exp(-ATTRIBUTION_WINDOW_HOURS / self.mean_hours)
        return (1.0 - math.exp(-hours / self.mean_hours)) / truncation

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LagProfile:
        return cls(**data)


def default_lag_profile(seed: int, account_id: str) -> LagProfile:
    """The account's own profile when a scenario did not set one (fixed by the seed)."""
    rng = rng_for(seed, "lag-profile", account_id)
    immediate = 0.40 + 0.25 * rng.random()
    mean_hours = 20.0 * 3.0 ** rng.random()  # log-uniform 20..60 h
    return LagProfile(round(immediate, 3), round(mean_hours, 1))
