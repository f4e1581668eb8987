"""Ads created through the API carry known differences: copy moves CTR, a lookalike moves CVR,
everything else is shared within a campaign (ads/sandbox/variants.py)."""

from __future__ import annotations

import pytest

from ads.sandbox import DEMO_ACCOUNT_ID, SandboxState
from ads.sandbox.records import ACTIVE
from ads.sandbox.variants import copy_multiplier
from tests.conftest import SANDBOX_START


def _ad(state: SandboxState, campaign_id: str, title: str, targeting: dict | None = None):  # type: ignore[no-untyped-def]
    adset = state.add_adset(
        campaign_id, name=title, status=ACTIVE, daily_budget=5000, targeting=targeting
    )
    creative = state.add_creative(DEMO_ACCOUNT_ID, name=title, title=title, body="")
    return state.add_ad(adset.id, name=title, creative_id=creative.id, status=ACTIVE)


def test_copy_cues_set_the_ctr_and_the_rest_is_shared() -> None:
    state = SandboxState(seed=7, start=SANDBOX_START)
    state.add_account(DEMO_ACCOUNT_ID, name="t", currency="BRL", timezone="America/Sao_Paulo")
    campaign = state.add_campaign(DEMO_ACCOUNT_ID, name="teste", objective="OUTCOME_SALES")
    a = _ad(state, campaign.id, "Frete grátis hoje")
    b = _ad(state, campaign.id, "Só até domingo")
    plain = _ad(state, campaign.id, "Coleção nova")
    assert a.truth.ctr / b.truth.ctr == pytest.approx(1.25, rel=1e-3)
    assert b.truth.ctr / plain.truth.ctr == pytest.approx(1.15, rel=1e-3)
    assert a.truth.cvr == b.truth.cvr == plain.truth.cvr and a.truth.cpm == b.truth.cpm
    lookalike = _ad(
        state,
        campaign.id,
        "Coleção nova",
        {"custom_audiences": [{"id": "1", "name": "Lookalike (BR, 1%) - Compradores"}]},
    )
    assert lookalike.truth.cvr / plain.truth.cvr == pytest.approx(1.2, rel=1e-3)
    assert state.adsets[lookalike.adset_id].audience_size > 500_000


def test_copy_without_cues_is_neutral_and_cues_are_capped() -> None:
    assert copy_multiplier("Coleção de verão") == 1.0
    assert copy_multiplier("FRETE GRÁTIS só até hoje, 20% off") == pytest.approx(1.58, rel=1e-3)


def test_vertical_placements_buy_cheaper_impressions_and_fewer_clicks() -> None:
    state = SandboxState(seed=7, start=SANDBOX_START)
    state.add_account(DEMO_ACCOUNT_ID, name="t", currency="BRL", timezone="America/Sao_Paulo")
    campaign = state.add_campaign(DEMO_ACCOUNT_ID, name="teste", objective="OUTCOME_SALES")
    base = {"geo_locations": {"countries": ["BR"]}}
    feed = _ad(
        state,
        campaign.id,
        "Coleção nova",
        {**base, "facebook_positions": ["feed"], "instagram_positions": ["stream"]},
    )
    stories = _ad(
        state,
        campaign.id,
        "Coleção nova",
        {**base, "facebook_positions": ["story"], "instagram_positions": ["story"]},
    )
    automatic = _ad(state, campaign.id, "Coleção nova", base)
    assert stories.truth.cpm / feed.truth.cpm == pytest.approx(0.8, rel=1e-2)
    assert stories.truth.ctr / feed.truth.ctr == pytest.approx(0.9, rel=1e-3)
    assert feed.truth.cpm == automatic.truth.cpm and feed.truth.ctr == automatic.truth.ctr
