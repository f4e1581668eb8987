"""The sandbox's deterministic performance model, as pure functions.

Why a model and not random numbers: the product reasons about cause and
effect (raise the budget of a winner, pause a fatigued creative, wait for
conversions to settle), so the fake platform must respond to those actions the
way an auction does, and do so reproducibly. Every random draw comes from a
generator seeded by a hash of ``(seed, object, day, purpose)``, never from a
global RNG, so the same seed and the same clock always give the same numbers
whatever order the questions are asked in.

Ingredients (each a stated assumption unless a source is given):

* each ad has a true CTR, link-click share, conversion rate, order value and
  base CPM (:class:`AdTruth`); each ad set an audience size and churn;
* auction CPM varies by hour of day, weekday and season;
* day-to-day auction shocks with persistence: the log of every account's CPM
  follows an AR(1) process, ``x_t = 0.6 x_{t-1} + e_t`` with a stationary
  standard deviation of 0.12 (so a dear day tends to be followed by a dear
  day, and shocks fade over ~3 days). Auction prices move with competitors'
  demand, which persists; the size is an assumption in line with the 5-15 %
  day-to-day CPM swings media buyers report. Seeded per account and day;
* diminishing returns per ad: CPM rises and conversion rate falls as the ad's
  spend grows past its efficient scale (:func:`cpm_scale_multiplier`);
* diminishing returns per ad set (audience size): an ad set's daily spend is
  compared with what its eligible audience absorbs efficiently (about one
  impression for 3 in 10 eligible people a day at base CPM); past that, CPM
  rises and conversion rate falls for all of its ads
  (:func:`adset_cpm_multiplier`), so a small audience cannot be scaled by
  adding ads or budget;
* saturation and fatigue: CTR decays and frequency rises as (decayed)
  cumulative frequency grows;
* the learning phase after creation or a significant edit
  (:mod:`ads.sandbox.learning`, after Meta's documented 50 events / 7 days);
* attribution lag with a 7-day tail, varying by account
  (:mod:`ads.sandbox.attribution`);
* an account-level ``noise`` factor scales every day-to-day noise term
  (1.0 is typical; a "noisy" scenario raises it).
* ads created through the API carry known, documented differences for A/B
  tests (:mod:`ads.sandbox.variants`): one base truth per campaign, the copy's
  cues multiply the CTR (free shipping ×1.25, urgency ×1.15, a concrete
  discount ×1.10), a 1% lookalike audience multiplies the conversion rate
  (×1.20) and holds ~1.5 million people; Meta's split testing (ad studies) is
  not simulated, so tests use equal-budget ad sets.

Failure modes: the curves are smooth and stationary apart from seasons; real
auctions have regime changes (policy, competitors entering) the model lacks.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import NormalDist
from typing import Any

from ads.sandbox.variants import is_lookalike

#: AR(1) persistence and stationary standard deviation of the log auction CPM.
AUCTION_PERSISTENCE = 0.6
AUCTION_SD = 0.12
#: Days of past shocks summed for one day's AR(1) value (0.6**40 is negligible).
_AUCTION_MEMORY = 40
#: Impressions per eligible person per day an ad set absorbs at base CPM (its efficient scale).
ADSET_EFFICIENT_FREQUENCY = 0.3

#: Local-hour multipliers of the auction CPM (evenings cost more), mean ~= 1.
HOUR_CPM = (
    0.74, 0.66, 0.62, 0.60, 0.62, 0.70, 0.82, 0.92, 0.98, 1.00, 1.02, 1.04,
    1.05, 1.04, 1.03, 1.03, 1.05, 1.08, 1.14, 1.20, 1.25, 1.22, 1.10, 0.90,
)  # fmt: skip
#: Monday..Sunday multipliers of CPM and of conversion rate.
WEEKDAY_CPM = (1.04, 1.03, 1.01, 1.00, 0.98, 0.94, 0.97)
WEEKDAY_CVR = (1.02, 1.03, 1.01, 1.00, 0.95, 0.91, 1.03)

_ZERO_DECIMAL_CURRENCIES = frozenset(
    {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"}
)


@dataclass(frozen=True)
class AdTruth:
    """The hidden, true performance of one ad (what a media buyer tries to discover)."""

    ctr: float  # all clicks per impression at zero fatigue
    link_share: float  # share of clicks that are link clicks
    cvr: float  # purchases per link click
    aov: int  # average order value, minor units
    cpm: int  # base auction CPM, minor units per 1,000 impressions
    scale: int  # efficient daily spend, minor units; returns diminish above it
    fatigue: float  # CTR decay per unit of cumulative frequency
    video_rate: float = 0.0  # 3-second video views per impression (video creatives)
    pace: float = (
        0.92  # typical share of its budget the auction lets it spend (1.0: budget-limited)
    )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdTruth:
        return cls(**data)

    def value_score(self, fatigue_mult: float = 1.0) -> float:
        """Expected revenue per unit of spend; what the delivery system optimises for."""
        revenue_per_mille = 1000 * self.ctr * fatigue_mult * self.link_share * self.cvr * self.aov
        return max(revenue_per_mille / max(self.cpm, 1), 1e-6)


# --- deterministic randomness --------------------------------------------------------


def rng_for(seed: int, *keys: object) -> random.Random:
    """A generator private to ``keys``: same seed and keys, same sequence, any call order."""
    digest = hashlib.blake2b(repr((seed, *keys)).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def lognormal(rng: random.Random, sigma: float) -> float:
    """A multiplicative noise factor with median 1."""
    return math.exp(rng.normalvariate(0.0, sigma))


_NORMAL = NormalDist()


def poisson_quantile(lam: float, u: float) -> int:
    """The ``u``-quantile of Poisson(``lam``).

    Using a fixed ``u`` per ad-day (common random numbers) makes the count a
    non-decreasing function of ``lam``, so a day's purchases never shrink as the
    day progresses.
    """
    if lam <= 0:
        return 0
    u = min(max(u, 1e-12), 1 - 1e-12)
    if lam > 500:
        return max(0, math.floor(lam + math.sqrt(lam) * _NORMAL.inv_cdf(u) + 0.5))
    k = 0
    p = math.exp(-lam)
    cumulative = p
    while cumulative < u and k < 100_000:
        k += 1
        p *= lam / k
        cumulative += p
    return k


# --- market curves ---------------------------------------------------------------------


def _black_friday(year: int) -> date:
    november_first = date(year, 11, 1)
    first_friday = 1 + (4 - november_first.weekday()) % 7
    return date(year, 11, first_friday + 21)


def _mothers_day_br(year: int) -> date:
    may_first = date(year, 5, 1)
    first_sunday = 1 + (6 - may_first.weekday()) % 7
    return date(year, 5, first_sunday + 7)


def seasonality(day: date) -> tuple[float, float]:
    """(CPM multiplier, conversion-rate multiplier) for retail seasons."""
    bf = _black_friday(day.year)
    if -7 <= (day - bf).days <= 3:
        return 1.55, 1.35
    md = _mothers_day_br(day.year)
    if -10 <= (day - md).days <= 0:
        return 1.18, 1.15
    if day.month == 12 and day.day <= 22:
        return 1.15, 1.10
    if day.month == 1 and day.day <= 15:
        return 0.88, 0.92
    return 1.0, 1.0


def auction_shock(seed: int, account_id: str, day: date, noise: float = 1.0) -> float:
    """The account's CPM multiplier on ``day`` from persistent auction shocks (median 1).

    AR(1) on log CPM computed as a truncated moving average of seeded daily
    innovations, so any day can be asked in any order.
    """
    sd = AUCTION_SD * noise
    if sd <= 0:
        return 1.0
    innovation_sd = sd * math.sqrt(1.0 - AUCTION_PERSISTENCE**2)
    ordinal = day.toordinal()
    total = sum(
        AUCTION_PERSISTENCE**lag * _auction_innovation(seed, account_id, ordinal - lag)
        for lag in range(_AUCTION_MEMORY)
    )
    return math.exp(innovation_sd * total)


@functools.lru_cache(maxsize=1 << 16)
def _auction_innovation(seed: int, account_id: str, ordinal: int) -> float:
    day = date.fromordinal(ordinal).isoformat()
    return rng_for(seed, "auction", account_id, day).normalvariate(0.0, 1.0)


# --- response curves -------------------------------------------------------------------


def cpm_scale_multiplier(rate: float, scale: float) -> float:
    """CPM rises as daily spend outgrows the ad's efficient scale (1.0 at scale)."""
    ratio = max(rate, 0.0) / max(scale, 1.0)
    return ((1.0 + ratio) / 2.0) ** 0.45


def cvr_scale_multiplier(rate: float, scale: float) -> float:
    """Marginal buyers convert worse as spend grows (1.0 at scale)."""
    ratio = max(rate, 0.0) / max(scale, 1.0)
    return (2.0 / (1.0 + ratio)) ** 0.25


def adset_efficient_spend(fresh_audience: float, base_cpm: float) -> float:
    """Daily spend (minor units) an ad set's eligible audience absorbs before returns diminish."""
    return max(reach_pool(fresh_audience) * ADSET_EFFICIENT_FREQUENCY * base_cpm / 1000, 1.0)


def adset_cpm_multiplier(rate: float, efficient: float) -> float:
    """CPM paid by all of an ad set's ads: ~1 well below its efficient spend, ~ratio**0.35 above."""
    ratio = max(rate, 0.0) / max(efficient, 1.0)
    return (1.0 + ratio**4) ** (0.35 / 4)


def adset_cvr_multiplier(rate: float, efficient: float) -> float:
    """Conversion rate left as an ad set reaches ever less likely buyers: ~ratio**-0.25 above."""
    ratio = max(rate, 0.0) / max(efficient, 1.0)
    return (1.0 + ratio**4) ** (-0.25 / 4)


def fatigue_multiplier(cumulative_frequency: float, fatigue: float) -> float:
    """CTR left after creative fatigue: decays toward 35% of fresh CTR."""
    return 0.35 + 0.65 * math.exp(-fatigue * max(cumulative_frequency, 0.0))


def effective_audience(audience: float, cumulative_frequency: float) -> float:
    """Audience still 'fresh': shrinks as it saturates, so frequency climbs."""
    return audience * max(0.25, math.exp(-0.2 * max(cumulative_frequency, 0.0)))


def reach_pool(fresh_audience: float) -> float:
    """People of an audience actually eligible in the auction on a given day."""
    return min(fresh_audience, 40_000.0 + 0.05 * fresh_audience)


def reach(impressions: float, fresh_audience: float, days: int = 1, churn: float = 0.0) -> float:
    """Unique people reached by ``impressions`` over ``days`` days.

    The eligible pool renews by ``churn`` per day, so longer periods reach more
    people while frequency still climbs.
    """
    pool = reach_pool(fresh_audience) * (1.0 + churn * max(days - 1, 0))
    if impressions <= 0 or pool <= 0:
        return 0.0
    return pool * (1.0 - math.exp(-impressions / pool))


# --- exact money -------------------------------------------------------------------------


def currency_offset(currency: str) -> int:
    """Minor units per major unit, as Meta's 'offset' for budgets and spend."""
    return 1 if currency.upper() in _ZERO_DECIMAL_CURRENCIES else 100


def round_minor(value: float) -> int:
    """Round a model amount to whole minor units (banker's rounding, like a ledger)."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer ``total`` by ``weights`` so the parts sum exactly (largest remainder)."""
    count = len(weights)
    if count == 0:
        return []
    positive = [max(w, 0.0) for w in weights]
    weight_sum = sum(positive)
    if total == 0:
        return [0] * count
    if weight_sum <= 0:
        positive = [1.0] * count
        weight_sum = float(count)
    raw = [total * w / weight_sum for w in positive]
    parts = [math.floor(r) for r in raw]
    left = total - sum(parts)
    order = sorted(range(count), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def format_major(minor: int, currency: str) -> str:
    """Minor units as Graph prints money in insights: major units, no trailing zeros."""
    offset = currency_offset(currency)
    value = Decimal(minor) / offset
    text = format(value.normalize(), "f")
    return text


def format_ratio(value: float) -> str:
    """Graph's way of printing derived ratios (ctr, cpm...): up to 6 decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


# --- defaults for objects created through the API ----------------------------------------

#: Typical base CPM and order value (minor units) by account currency.
_MARKETS: dict[str, tuple[int, int]] = {
    "BRL": (2600, 21000),
    "USD": (1300, 8500),
    "EUR": (1100, 7500),
}


def audience_for_targeting(targeting: dict[str, Any], rng: random.Random) -> int:
    """A plausible audience size for a targeting spec (custom audiences are small)."""
    size = 9_000_000.0 * lognormal(rng, 0.3)
    if is_lookalike(targeting):  # a 1% lookalike of Brazil: ~1.5 million people
        size = 1_500_000.0 * lognormal(rng, 0.3)
    elif targeting.get("custom_audiences"):
        size = 60_000.0 * lognormal(rng, 0.5)
    elif targeting.get("flexible_spec") or targeting.get("interests"):
        size = 2_500_000.0 * lognormal(rng, 0.4)
    age_min = int(targeting.get("age_min", 18) or 18)
    age_max = int(targeting.get("age_max", 65) or 65)
    size *= max(5, min(age_max, 65) - max(age_min, 18) + 1) / 48
    genders = targeting.get("genders") or []
    if len(genders) == 1:
        size *= 0.5
    return max(1000, int(size))


def random_truth(rng: random.Random, objective: str, currency: str) -> AdTruth:
    """A plausible hidden truth for an ad created through the API."""
    cpm, aov = _MARKETS.get(currency.upper(), _MARKETS["USD"])
    ctr = 0.012 * lognormal(rng, 0.35)
    cvr = 0.022 * lognormal(rng, 0.45)
    video_rate = 0.0
    if objective == "OUTCOME_AWARENESS":
        ctr, cvr, video_rate = ctr * 0.45, cvr * 0.15, 0.28
    elif objective == "OUTCOME_TRAFFIC":
        ctr, cvr = ctr * 1.5, cvr * 0.35
    elif objective in ("OUTCOME_ENGAGEMENT", "OUTCOME_LEADS"):
        cvr *= 0.5
    return AdTruth(
        ctr=round(ctr, 5),
        link_share=round(0.62 + 0.25 * rng.random(), 3),
        cvr=round(cvr, 5),
        aov=int(aov * lognormal(rng, 0.2)),
        cpm=int(cpm * lognormal(rng, 0.2)),
        scale=int(cpm * 4 * lognormal(rng, 0.3)),
        fatigue=round(0.05 + 0.1 * rng.random(), 3),
        video_rate=video_rate,
        pace=round(0.86 + 0.12 * rng.random(), 3),
    )
