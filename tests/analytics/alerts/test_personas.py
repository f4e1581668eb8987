"""Personas recover planted audiences from breakdown rows and name them in pt-BR and English."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.alerts.personas import BreakdownRow, build_personas, persona_names

REGIONS = ("São Paulo", "Rio de Janeiro", "Minas Gerais", "Paraná", "Bahia", "Pernambuco")


def planted(seed: int = 0) -> tuple[list[BreakdownRow], list[int]]:
    """Three audiences with distinct economics, six segments each (truth = planted label)."""
    rng = np.random.default_rng(seed)
    groups = [
        # (gender, age, placement, device, true ROAS, true CPA)
        (("female",), "25-34", "instagram_stories", "mobile_app", 5.0, 4_000),
        (("male",), "35-44", "facebook_feed", "desktop", 2.2, 9_000),
        (("female", "male"), "55-64", "audience_network_classic", "mobile_app", 0.7, 28_000),
    ]
    rows: list[BreakdownRow] = []
    truth: list[int] = []
    for label, (genders, age, placement, device, roas, cpa) in enumerate(groups):
        for i in range(6):
            gender = genders[i % len(genders)]
            spend = int(400_000 * rng.lognormal(0, 0.4))
            conversions = int(rng.poisson(spend / cpa))
            revenue = int(spend * roas * rng.lognormal(0, 0.08))
            rows.append(
                BreakdownRow(
                    spend=spend, conversions=conversions, revenue=revenue, age=age,
                    gender=gender, region=REGIONS[i], placement=placement, device=device,
                )
            )  # fmt: skip
            truth.append(label)
    return rows, truth


def test_planted_audiences_are_recovered_and_named() -> None:
    rows, truth = planted()
    report = build_personas(rows, seed=0)
    assert report.k == 3
    assert adjusted_rand_score(truth, report.labels) > 0.9
    best, middle, worst = report.personas
    assert best.name_pt == "Mulheres 25–34, Instagram Stories, celular"
    assert best.name_en == "Women 25–34, Instagram Stories, mobile"
    assert middle.name_pt == "Homens 35–44, Feed do Facebook, computador"
    assert worst.name_pt == "Pessoas 55–64, Audience Network, celular"
    assert best.roas is not None and float(best.roas) == pytest.approx(5.0, rel=0.1)
    assert best.cpa == pytest.approx(4_000, rel=0.15)
    assert sum(p.share_of_spend for p in report.personas) == pytest.approx(
        Decimal(1), abs=Decimal("0.001")
    )
    assert sum(p.spend for p in report.personas) == sum(r.spend for r in rows)


def test_same_seed_same_personas() -> None:
    rows, _ = planted(seed=3)
    assert build_personas(rows, seed=5).labels == build_personas(rows, seed=5).labels


def test_few_segments_are_their_own_personas() -> None:
    rows, _ = planted()
    report = build_personas(rows[:3], seed=0)
    assert report.k == 3 and report.silhouette is None
    assert sorted(report.labels) == [0, 1, 2]


def test_names_without_a_dominant_attribute() -> None:
    assert persona_names({}) == ("Público variado", "Mixed audience")
    assert persona_names({"gender": "male"}) == ("Homens", "Men")
    assert persona_names({"age": "65+", "region": "Bahia"}) == (
        "Pessoas 65+, Bahia",
        "People 65+, Bahia",
    )
