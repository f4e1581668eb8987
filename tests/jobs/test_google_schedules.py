"""Schedules cover every linked platform: a Google Ads account gets its sync, daily report and
nightly plan beside the Meta one, from the same sandbox world and clock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from analytics.brain.account import view_of
from jobs import runs
from storage.models import AdAccount, Proposal
from storage.repositories import link_ad_account, workspace_settings
from vocabulary.i18n import Locale
from vocabulary.platform_limits import set_platform_limit

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


def _link_google(world: Any) -> int:
    with world.rt.db.session(world.ws1) as session:
        account = link_ad_account(
            session,
            world.ws1,
            GOOGLE_DEMO_CUSTOMER_ID,
            platform="google",
            name=GOOGLE_DEMO_NAME,
            currency="BRL",
            timezone="America/Sao_Paulo",
        )
        return int(account.id)


def test_the_budget_check_covers_google_and_its_own_limit(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 4)
    google = _link_google(world)
    with world.rt.db.session(world.ws1) as session:
        set_platform_limit(workspace_settings(session, world.ws1), "google", Decimal(100_000))
    world.advance(hours=1)  # the hourly budget check: Google's month is far past R$ 1.000
    alerts = [r for r in world.to("console:ana") if r.kind == "notice"]
    [alert] = [r for r in alerts if (r.title or "").startswith("Google Ads · ")]
    assert alert.title.startswith("Google Ads · 🛑 Limite mensal atingido")
    assert "_default · Google Ads · 2026-11 · alertas em 80%, 100%_" in alert.text  # whose limit
    assert not [r for r in alerts if not (r.title or "").startswith("Google Ads · ")]  # no
    # workspace-wide limit is set, and Meta has no limit of its own: Google's alone alerts.
    with world.rt.db.session() as session:
        proposals = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "budget-check")
        ).all()
    assert proposals and {p.ad_account_id for p in proposals} == {google}  # Google's own cuts


def test_the_engine_judges_google_sales_campaigns_on_their_sales(make_world: Any) -> None:
    """Google names campaigns by channel (SEARCH, SHOPPING, PERFORMANCE_MAX), not by Meta's
    objectives: the nightly engine must still read them as sales campaigns, or it never
    touches a Google budget."""
    world = make_world()
    pk = _link_google(world)
    with world.rt.db.session() as session:
        account = session.get(AdAccount, pk)
        assert account is not None
        session.expunge(account)
    judged = {o.name: o.judged_by_results for o in view_of(world.rt, account).snapshot.objects}
    assert judged["Search | Marca"] and judged["Performance Max | Catálogo"]
    assert judged["Shopping | Acessórios"]
