"""Personas: breakdown segments clustered by how they perform, named by who they are.

What it estimates: groups of segments (age × gender × region × placement ×
device rows of Meta's breakdowns) that perform alike, each described by its
dominant attributes ("Mulheres 25–34, Instagram Stories") with its share of
spend, ROAS and CPA.

How: every segment gets performance features, log ROAS and log CPA (log CTR
too when clicks are given), each shrunk toward the account's average by a
prior worth half a median segment's spend, so a segment with one lucky sale is
not a persona of its own. Features are standardised and clustered with
k-means (scikit-learn, seeded, spend-weighted); k is chosen in 3..5 by the
silhouette score. A persona is named by the attribute values that carry at
least ``dominance`` of its spend.

Assumptions: segments are disjoint and their totals add up to the account's;
performance differences are larger than noise. Failure modes: with a handful
of segments, or an account whose segments all perform alike, the clusters
are arbitrary (a low silhouette says so, it is reported); a persona with no
dominant attribute gets a generic name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

ATTRIBUTES = ("gender", "age", "placement", "device", "region")


@dataclass(frozen=True)
class BreakdownRow:
    """One segment's totals (money in minor units); a ``None`` attribute is not broken down."""

    spend: int
    conversions: int
    revenue: int
    age: str | None = None  # "25-34", "65+"
    gender: str | None = None  # "female", "male", "unknown"
    region: str | None = None  # "São Paulo"
    placement: str | None = None  # "instagram_stories", "facebook_feed"
    device: str | None = None  # "mobile_app", "desktop"
    impressions: int = 0
    clicks: int = 0

    def attribute(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class Persona:
    """A named group of segments with its totals and ratios."""

    name_pt: str
    name_en: str
    attributes: Mapping[str, str]  # the dominant value of each attribute that has one
    segments: tuple[int, ...]  # indices into the rows given
    spend: int
    conversions: int
    revenue: int
    share_of_spend: Decimal  # 0..1
    roas: Decimal | None
    cpa: int | None  # minor units


@dataclass(frozen=True)
class PersonaReport:
    personas: tuple[Persona, ...]  # best ROAS first
    k: int
    silhouette: float | None  # None when there were too few segments to cluster
    labels: tuple[int, ...] = field(repr=False)  # persona index per row


_GENDER = {"female": ("Mulheres", "Women"), "male": ("Homens", "Men")}
_PLACEMENTS = {
    "instagram_stories": ("Instagram Stories", "Instagram Stories"),
    "instagram_feed": ("Feed do Instagram", "Instagram Feed"),
    "instagram_reels": ("Reels do Instagram", "Instagram Reels"),
    "instagram_explore": ("Explorar do Instagram", "Instagram Explore"),
    "facebook_feed": ("Feed do Facebook", "Facebook Feed"),
    "facebook_stories": ("Stories do Facebook", "Facebook Stories"),
    "facebook_reels": ("Reels do Facebook", "Facebook Reels"),
    "facebook_marketplace": ("Marketplace do Facebook", "Facebook Marketplace"),
    "audience_network_classic": ("Audience Network", "Audience Network"),
    "messenger_inbox": ("Messenger", "Messenger"),
}
_DEVICES = {
    "mobile_app": ("celular", "mobile"),
    "mobile_web": ("celular (web)", "mobile web"),
    "desktop": ("computador", "desktop"),
    "tablet": ("tablet", "tablet"),
}


def _age(value: str) -> str:
    return value.replace("-", "–")


def _label(attribute: str, value: str) -> tuple[str, str]:
    if attribute == "placement":
        return _PLACEMENTS.get(value, (value.replace("_", " ").title(),) * 2)
    if attribute == "device":
        return _DEVICES.get(value, (value.replace("_", " "),) * 2)
    return value, value


def persona_names(attributes: Mapping[str, str]) -> tuple[str, str]:
    """pt-BR and English names from dominant attributes: "Mulheres 25–34, Instagram Stories"."""
    gender = attributes.get("gender")
    age = attributes.get("age")
    who_pt, who_en = _GENDER.get(gender or "", ("Pessoas", "People"))
    if age:
        who_pt, who_en = f"{who_pt} {_age(age)}", f"{who_en} {_age(age)}"
    elif gender not in _GENDER:
        who_pt, who_en = "Público variado", "Mixed audience"
    parts_pt, parts_en = [who_pt], [who_en]
    for attribute in ("placement", "device", "region"):
        value = attributes.get(attribute)
        if value:
            pt, en = _label(attribute, value)
            parts_pt.append(pt)
            parts_en.append(en)
    return ", ".join(parts_pt), ", ".join(parts_en)


def _features(rows: Sequence[BreakdownRow]) -> np.ndarray:
    spend = np.array([r.spend for r in rows], dtype=np.float64)
    conversions = np.array([r.conversions for r in rows], dtype=np.float64)
    revenue = np.array([r.revenue for r in rows], dtype=np.float64)
    prior_spend = max(float(np.median(spend)) * 0.5, 1.0)
    total_spend = max(spend.sum(), 1.0)
    roas = revenue.sum() / total_spend
    conv_rate = max(conversions.sum(), 0.5) / total_spend
    smoothed_roas = (revenue + roas * prior_spend) / (spend + prior_spend)
    smoothed_cpa = (spend + prior_spend) / (conversions + conv_rate * prior_spend)
    columns = [np.log(np.maximum(smoothed_roas, 1e-6)), np.log(np.maximum(smoothed_cpa, 1e-6))]
    impressions = np.array([r.impressions for r in rows], dtype=np.float64)
    if impressions.sum() > 0:
        clicks = np.array([r.clicks for r in rows], dtype=np.float64)
        prior_imps = max(float(np.median(impressions)) * 0.5, 1.0)
        ctr = clicks.sum() / impressions.sum()
        columns.append(
            np.log(np.maximum((clicks + ctr * prior_imps) / (impressions + prior_imps), 1e-9))
        )
    return np.column_stack(columns)


def _cluster(
    features: np.ndarray, weights: np.ndarray, k_range: tuple[int, int], seed: int
) -> tuple[np.ndarray, int, float | None]:
    count = features.shape[0]
    low, high = k_range
    if count <= low:
        return np.arange(count), count, None
    scaled = StandardScaler().fit_transform(features)
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(low, min(high, count - 1) + 1):
        model = KMeans(n_clusters=k, n_init=10, random_state=seed)
        labels = model.fit_predict(scaled, sample_weight=np.maximum(weights, 1.0))
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(scaled, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return np.zeros(count, dtype=np.int64), 1, None
    return best[2], best[1], best[0]


def _dominant(rows: Sequence[BreakdownRow], dominance: float) -> dict[str, str]:
    total = sum(r.spend for r in rows) or 1
    found: dict[str, str] = {}
    for attribute in ATTRIBUTES:
        spend_by: Counter[str] = Counter()
        for row in rows:
            value = row.attribute(attribute)
            if value is not None:
                spend_by[value] += row.spend
        if spend_by:
            value, spend = spend_by.most_common(1)[0]
            if spend / total >= dominance and value != "unknown":
                found[attribute] = value
    return found


def build_personas(
    rows: Sequence[BreakdownRow],
    *,
    seed: int = 0,
    k_range: tuple[int, int] = (3, 5),
    dominance: float = 0.6,
) -> PersonaReport:
    """Cluster segments with spend into 3..5 personas, best ROAS first."""
    kept = [i for i, r in enumerate(rows) if r.spend > 0]
    if not kept:
        return PersonaReport((), 0, None, tuple(-1 for _ in rows))
    active = [rows[i] for i in kept]
    weights = np.array([r.spend for r in active], dtype=np.float64)
    labels, k, silhouette = _cluster(_features(active), weights, k_range, seed)
    total_spend = sum(r.spend for r in active)
    personas: list[tuple[int, Persona]] = []
    for label in sorted(set(labels.tolist())):
        members = [kept[i] for i in range(len(active)) if labels[i] == label]
        group = [rows[i] for i in members]
        spend = sum(r.spend for r in group)
        conversions = sum(r.conversions for r in group)
        revenue = sum(r.revenue for r in group)
        attributes = _dominant(group, dominance)
        name_pt, name_en = persona_names(attributes)
        roas = Decimal(revenue) / Decimal(spend) if spend else None
        personas.append(
            (
                label,
                Persona(
                    name_pt=name_pt,
                    name_en=name_en,
                    attributes=MappingProxyType(attributes),
                    segments=tuple(members),
                    spend=spend,
                    conversions=conversions,
                    revenue=revenue,
                    share_of_spend=(Decimal(spend) / Decimal(total_spend)).quantize(
                        Decimal("0.0001"), rounding=ROUND_HALF_EVEN
                    ),
                    roas=roas.quantize(Decimal("0.01"), ROUND_HALF_EVEN)
                    if roas is not None
                    else None,
                    cpa=round(spend / conversions) if conversions else None,
                ),
            )
        )
    personas.sort(key=lambda item: -(float(item[1].roas or 0)))
    personas = _unique_names(personas)
    order = {label: index for index, (label, _) in enumerate(personas)}
    by_row = [-1] * len(rows)
    for position, row_index in enumerate(kept):
        by_row[row_index] = order[int(labels[position])]
    return PersonaReport(tuple(p for _, p in personas), k, silhouette, tuple(by_row))


def _unique_names(personas: list[tuple[int, Persona]]) -> list[tuple[int, Persona]]:
    """Two personas with the same name are told apart by their rank of ROAS."""
    counts = Counter(p.name_pt for _, p in personas)
    seen: Counter[str] = Counter()
    result: list[tuple[int, Persona]] = []
    for label, persona in personas:
        if counts[persona.name_pt] > 1:
            seen[persona.name_pt] += 1
            suffix = seen[persona.name_pt]
            persona = replace(
                persona,
                name_pt=f"{persona.name_pt} ({suffix})",
                name_en=f"{persona.name_en} ({suffix})",
            )
        result.append((label, persona))
    return result
