"""Insights breakdowns: splitting one ad-day's figures across audience segments.

Each ad-day is delivered as whole numbers; a breakdown re-splits those whole
numbers by segment weights with largest-remainder apportionment, so the
segments always add up exactly to the unbroken-down row (spend to the
centavo). Weights differ per metric (young people click more, 35-54 buy more,
Instagram costs more), respect the ad set's targeting, and carry a small
deterministic per-ad jitter.

Graph's rule that demographic and placement breakdowns cannot be mixed is
enforced here too.

The multipliers are stated assumptions, not measurements (Meta publishes no
such table): they follow the usual shape of Brazilian retail accounts, so
segments really differ and the personas (``analytics.audience``) find
groups worth naming. Women and 35-54 buy more per click, 18-24 click most
and buy least, Instagram and desktop cost more per impression, Audience
Network is cheap and converts poorly. ``tests/ads/test_sandbox_segments.py``
holds the spread: the best age x gender segment's ROAS is at least twice the
worst one's.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ads.sandbox.errors import GraphError, invalid_param
from ads.sandbox.model import apportion, rng_for


@dataclass(frozen=True)
class Dimension:
    values: tuple[str, ...]
    share: tuple[float, ...]  # impression share
    ctr: tuple[float, ...]  # click-through multiplier
    cvr: tuple[float, ...]  # purchase-per-click multiplier
    cpm: tuple[float, ...]  # cost multiplier


DIMENSIONS: dict[str, Dimension] = {
    "age": Dimension(
        values=("18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
        share=(0.14, 0.31, 0.24, 0.15, 0.10, 0.06),
        ctr=(1.12, 1.06, 1.0, 0.95, 0.9, 0.82),
        cvr=(0.6, 1.0, 1.22, 1.18, 1.0, 0.78),
        cpm=(0.85, 1.0, 1.06, 1.05, 1.0, 0.94),
    ),
    "gender": Dimension(
        values=("female", "male", "unknown"),
        share=(0.57, 0.41, 0.02),
        ctr=(1.1, 0.88, 0.9),
        cvr=(1.1, 0.85, 0.8),
        cpm=(1.05, 0.94, 0.8),
    ),
    "publisher_platform": Dimension(
        values=("facebook", "instagram", "audience_network", "messenger"),
        share=(0.37, 0.56, 0.05, 0.02),
        ctr=(0.9, 1.08, 0.55, 0.8),
        cvr=(1.0, 1.05, 0.3, 0.7),
        cpm=(0.9, 1.1, 0.4, 0.75),
    ),
    "device_platform": Dimension(
        values=("mobile_app", "mobile_web", "desktop"),
        share=(0.83, 0.07, 0.10),
        ctr=(1.0, 0.9, 1.05),
        cvr=(0.95, 0.8, 1.45),
        cpm=(1.0, 0.9, 1.2),
    ),
}

#: platform_position values per publisher platform, with their impression shares.
POSITIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "facebook": (("feed", 0.55), ("facebook_reels", 0.2), ("facebook_stories", 0.15), ("marketplace", 0.1)),
    "instagram": (("feed", 0.45), ("instagram_stories", 0.28), ("instagram_reels", 0.2), ("instagram_explore", 0.07)),
    "audience_network": (("classic", 1.0),),
    "messenger": (("messenger_inbox", 0.6), ("messenger_stories", 0.4)),
}  # fmt: skip

DEMOGRAPHIC = frozenset({"age", "gender", "country"})
PLACEMENT = frozenset({"publisher_platform", "platform_position", "device_platform"})
SUPPORTED = DEMOGRAPHIC | PLACEMENT
_GENDER_CODES = {1: "male", 2: "female"}


def validate(breakdowns: Sequence[str]) -> None:
    """Reject what Graph rejects: unknown names and demographic x placement mixes."""
    for index, name in enumerate(breakdowns):
        if name not in SUPPORTED:
            raise invalid_param(
                f"(#100) breakdowns[{index}] must be one of the following values: "
                + ", ".join(sorted(SUPPORTED))
            )
    chosen = set(breakdowns)
    if chosen & DEMOGRAPHIC and chosen & PLACEMENT:
        raise GraphError(
            "(#100) Current combination of data breakdown columns (action_type, "
            + ", ".join(breakdowns)
            + ") is invalid ",
            code=100,
        )
    if "platform_position" in chosen and "publisher_platform" not in chosen:
        raise invalid_param("(#100) platform_position must be requested with publisher_platform")


@dataclass(frozen=True)
class Segment:
    key: tuple[tuple[str, str], ...]  # (("age", "25-34"), ("gender", "female"))
    impressions: float
    cost: float
    clicks: float
    conversions: float


def segments(
    breakdowns: Sequence[str], targeting: dict[str, Any], seed: int, ad_id: str
) -> list[Segment]:
    """The weighted segments an ad's delivery splits into, in a stable order."""
    axes: list[list[tuple[str, str, float, float, float, float]]] = []
    for name in breakdowns:
        if name == "platform_position":
            continue  # expanded together with publisher_platform below
        axes.append(_axis(name, targeting, seed, ad_id))
    result: list[Segment] = []
    for combo in itertools.product(*axes):
        key = tuple((name, value) for name, value, *_ in combo)
        imp = cost = click = conv = 1.0
        for _, _, share, ctr, cvr, cpm in combo:
            imp *= share
            cost *= share * cpm
            click *= share * ctr
            conv *= share * ctr * cvr
        if "platform_position" in breakdowns:
            platform = dict(key)["publisher_platform"]
            for position, pshare in POSITIONS[platform]:
                result.append(
                    Segment(
                        key=(*key, ("platform_position", position)),
                        impressions=imp * pshare,
                        cost=cost * pshare,
                        clicks=click * pshare,
                        conversions=conv * pshare,
                    )
                )
        else:
            result.append(Segment(key, imp, cost, click, conv))
    return [s for s in result if s.impressions > 0]


def _axis(
    name: str, targeting: dict[str, Any], seed: int, ad_id: str
) -> list[tuple[str, str, float, float, float, float]]:
    rng = rng_for(seed, "segments", ad_id, name)
    if name == "country":
        countries = (targeting.get("geo_locations") or {}).get("countries") or ["BR"]
        shares = [1.0 / (1 + i * 0.6) for i in range(len(countries))]
        return [(name, c, s, 1.0, 1.0, 1.0) for c, s in zip(countries, shares, strict=True)]
    dim = DIMENSIONS[name]
    allowed = _allowed(name, targeting)
    axis = []
    for i, value in enumerate(dim.values):
        jitter = 0.85 + 0.3 * rng.random()
        share = dim.share[i] * jitter if value in allowed else 0.0
        axis.append((name, value, share, dim.ctr[i], dim.cvr[i], dim.cpm[i]))
    if not any(entry[2] for entry in axis):  # targeting excluded everything: ignore it
        axis = [
            (name, v, dim.share[i], dim.ctr[i], dim.cvr[i], dim.cpm[i])
            for i, v in enumerate(dim.values)
        ]
    return axis


def _allowed(name: str, targeting: dict[str, Any]) -> set[str]:
    dim = DIMENSIONS[name]
    if name == "age":
        low = int(targeting.get("age_min") or 18)
        high = int(targeting.get("age_max") or 65)
        allowed = set()
        for value in dim.values:
            start = int(value.split("-")[0].rstrip("+"))
            end = 120 if value.endswith("+") else int(value.split("-")[1])
            if start <= high and end >= low:
                allowed.add(value)
        return allowed
    if name == "gender":
        genders = targeting.get("genders") or []
        if not genders:
            return set(dim.values)
        return {_GENDER_CODES[int(g)] for g in genders if int(g) in _GENDER_CODES} | {"unknown"}
    if name == "publisher_platform":
        platforms = targeting.get("publisher_platforms")
        return set(platforms) if platforms else set(dim.values)
    return set(dim.values)


def split(total: int, weights: Sequence[float]) -> list[int]:
    """Exact integer split (re-exported for the insights layer)."""
    return apportion(total, weights)
