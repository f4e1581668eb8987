"""Schedules cover every linked platform: a Google Ads account gets its sync, daily report and
nightly plan beside the Meta one, from the same sandbox world and clock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from jobs import runs
from storage.repositories import link_ad_account
from vocabulary.i18n import Locale

GOOGLE = f"act_{GOOGLE_DEMO_CUSTOMER_ID}"  # the customer's record inside the shared sandbox


def test_the_google_account_gets_its_daily_report_and_nightly_plan(make_world: Any) -> None:
    world = make_world()
    with world.rt.db.session(world.ws1) as session:
        link_ad_account(
            session,
            world.ws1,
            GOOGLE_DEMO_CUSTOMER_ID,
            platform="google",
            name=GOOGLE_DEMO_NAME,
            currency="BRL",
            timezone="America/Sao_Paulo",
        )
    world.advance(hours=3)  # 18:00 in São Paulo: one daily report per account
    reports = [r for r in world.to("console:ana") if r.kind == "report"]
    google = [r for r in reports if r.data.get("account") == GOOGLE_DEMO_NAME]
    assert len(reports) == 2 and len(google) == 1

    day = date(2026, 11, 19)
    truth = world.sandbox.state.totals(GOOGLE, day, day)
    figures = {f.label: f for f in google[0].figures}
    assert figures["Investimento"].value == Locale("pt-BR").money(Decimal(truth.spend), "BRL")
    assert google[0].chart is not None

    world.advance(hours=5)  # 23:00: the brain plans every account, Google's included
    keys = [r.key for r in runs.records(world.rt.db, "nightly-optimization:")]
    assert any(GOOGLE_DEMO_CUSTOMER_ID in key for key in keys)
