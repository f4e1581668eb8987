"""The objective the engine maximises: contribution profit, and what break-even means.

Contribution profit = revenue × gross margin − ad spend. Break-even ROAS is
``1 / gross margin``: below it a sale costs more in ads than it leaves. Without a
margin the workspace's ROAS target stands in as break-even (a margin of
``1 / target``), and every explanation says so (``break_even_source``); with
neither, nothing can be judged profitable or not, and the engine only moves
budget between objects (revenue at equal spend) and keeps the monthly limit.

The targets stay constraints on top of the margin: spend is never raised past
the point where an object's average ROAS falls below the ROAS target or its
average CPA rises above the CPA target. Also the figures as cards show them:
money in integer minor units, ratios as Decimal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from analytics.brain.curves import Estimate

MARGIN = "margin"
ROAS_TARGET = "roas_target"


@dataclass(frozen=True)
class Objective:
    gross_margin: Decimal | None = None  # 0.45 = 45%
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None  # minor units

    @property
    def break_even_roas(self) -> Decimal | None:
        if self.gross_margin is not None and self.gross_margin > 0:
            return (1 / self.gross_margin).quantize(Decimal("0.0001"))
        return self.target_roas if self.target_roas and self.target_roas > 0 else None

    @property
    def break_even_source(self) -> str | None:
        """``margin``, ``roas_target`` (no margin set: the target stands in) or None."""
        if self.gross_margin is not None and self.gross_margin > 0:
            return MARGIN
        return ROAS_TARGET if self.target_roas and self.target_roas > 0 else None

    @property
    def margin(self) -> float | None:
        """The margin used for profit: the gross margin, or 1 / the stand-in break-even."""
        if self.gross_margin is not None and self.gross_margin > 0:
            return float(self.gross_margin)
        be = self.break_even_roas
        return 1 / float(be) if be else None

    def profit(self, revenue: float, spend: float) -> float | None:
        margin = self.margin
        return None if margin is None else revenue * margin - spend


@dataclass(frozen=True)
class MoneyRange:
    """Money in integer minor units: a point and a 90% range."""

    mean: int
    low: int
    high: int

    @classmethod
    def of(cls, estimate: Estimate) -> MoneyRange:
        low, high = sorted((estimate.low, estimate.high))
        return cls(_minor(estimate.mean), _minor(low), _minor(high))

    def to_json(self) -> dict[str, int]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class RatioRange:
    """A ratio (ROAS) as Decimal with two decimals: a point and a 90% range."""

    mean: Decimal
    low: Decimal
    high: Decimal

    @classmethod
    def of(cls, estimate: Estimate) -> RatioRange:
        low, high = sorted((estimate.low, estimate.high))
        return cls(_ratio(estimate.mean), _ratio(low), _ratio(high))

    def to_json(self) -> dict[str, str]:
        return {"mean": str(self.mean), "low": str(self.low), "high": str(self.high)}


#: Where an interval is unbounded (a CPA with no sales), cards show this ceiling.
_CEILING = 1e15


def _finite(value: float) -> float:
    return float(min(max(value, -_CEILING), _CEILING)) if math.isfinite(value) else _CEILING


def _minor(value: float) -> int:
    value = _finite(value)
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _ratio(value: float) -> Decimal:
    value = _finite(value)
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
