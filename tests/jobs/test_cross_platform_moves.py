"""The nightly engine proposes budget moves between platforms by itself (issue 18).

A known truth: a workspace with one Meta and one Google Ads account, both profitable, under a
monthly limit across platforms that leaves no room to grow. Google's "Search | Marca" has room
to grow (efficient scale six times its budget, ROAS ~8 on average) while Meta's "Prospecção
Ampla" is past its own efficient scale (marginal ROAS ~2.5): the night proposes ONE paired move
from Meta to Google, its card naming both platforms and the expected gain, waiting for a
person. With the same campaign on both platforms (a balanced account) nothing moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from ads.sandbox import start_sandbox
from ads.sandbox.scenarios import SimAccount, SimAd, SimAdSet, SimCampaign, add_simulated_account
from ads.sandbox.state import SandboxState
from jobs import runs
from jobs.optimize import digest_reply
from jobs.schedules import JobSpec, Kind, run_spec
from storage.models import Proposal, Role
from storage.repositories import add_user, ensure_workspace, link_ad_account, workspace_settings
from supervisor.cards import card_for
from supervisor.decide import decide
from vocabulary.i18n import Locale
from vocabulary.platform_limits import set_platform_limit

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
META, GOOGLE = "act_5100000001", "5105550101"
BROAD = SimAd("Catálogo", 0.013, 0.05, 200, 26, 200)  # R$ 300/day: 1.5x its efficient scale
BRAND = SimAd("RSA Marca", 0.02, 0.035, 220, 24, 900)  # R$ 150/day: a sixth of its scale


def account(name: str, campaign: str, ad: SimAd, budget: float) -> SimAccount:
    adset = SimAdSet("Público", audience=8_000_000, ads=(ad,))
    return SimAccount(name, (SimCampaign(campaign, (adset,), daily_budget=budget, age_days=60),))


@pytest.fixture
def two_platforms(make_runtime: Any, sqlite_url: str) -> Iterator[Any]:
    """``build(google_ad, google_budget, limit)``: a runtime and the workspace's account pks."""
    servers = []

    def build(google_ad: SimAd, google_budget: float, limit: int) -> tuple[Any, int, int, int]:
        state = SandboxState(seed=42, start=START)
        add_simulated_account(state, account("Loja Meta", "Prospecção Ampla", BROAD, 300), META)
        google = account("Loja Google", "Search | Marca", google_ad, google_budget)
        add_simulated_account(state, google, f"act_{GOOGLE}", platform="google")
        server = start_sandbox(state=state)
        servers.append(server)
        rt = make_runtime(sandbox=server, database_url=sqlite_url)
        with rt.db.session() as session:
            ws = ensure_workspace(session, "cross", name="Loja Cruzada")
            meta = link_ad_account(
                session, ws.id, META, name="Loja Meta", currency="BRL", timezone="America/Sao_Paulo"
            )
            goog = link_ad_account(
                session,
                ws.id,
                GOOGLE,
                platform="google",
                name="Loja Google",
                currency="BRL",
                timezone="America/Sao_Paulo",
            )
            prefs = workspace_settings(session, ws.id)
            prefs.gross_margin = Decimal(45)
            prefs.monthly_budget_limit = Decimal(limit * 100)  # across both platforms
            session.flush()
            return rt, ws.id, meta.id, goog.id

    yield build
    for server in servers:
        server.stop()


def run(kind: Kind, rt: Any, workspace_id: int, account_pk: int, external: str) -> Any:
    """Run one scheduled job for one account, as the scheduler does; its run record's detail."""
    now = rt.sandbox.now()
    unit = f"ws{workspace_id}:{external}"
    spec = JobSpec(kind, now, now.strftime("%Y%m%d"), workspace_id, account_pk, unit)
    assert run_spec(rt, spec) == "done"
    record = runs.record(rt.db, spec.job_id)
    assert record is not None
    return record.detail


def test_the_night_moves_budget_to_the_platform_with_the_better_marginal_return(
    two_platforms: Any,
) -> None:
    rt, ws, meta, google = two_platforms(BRAND, 150, 13_300)
    night = run(Kind.OPTIMIZE, rt, ws, meta, META)
    other = run(Kind.OPTIMIZE, rt, ws, google, GOOGLE)
    assert night["findings"] == [] and other["findings"] == []  # the limit holds each as it is
    assert other["moves"] == []  # Google's night proposes no cut of its own campaign
    [move] = night["moves"]
    assert (move["source"]["platform"], move["source"]["name"]) == ("meta", "Prospecção Ampla")
    assert (move["dest"]["platform"], move["dest"]["name"]) == ("google", "Search | Marca")
    assert move["amount"] == 3000  # R$ 30/day: Google's 20% step
    assert Decimal(move["dest"]["marginal_roas"]["mean"]) > Decimal("1.5") * Decimal(
        move["source"]["marginal_roas"]["mean"]
    )
    assert move["gain"]["mean"] >= 150 and move["chance"] >= 0.8  # ≥ 5% of the amount moved

    digest = digest_reply(night, "Loja Meta", Locale(language="pt-BR")).text
    gain = Locale(language="pt-BR").money(Decimal(move["gain"]["mean"]), "BRL")
    assert (
        "• Mover R$ 30,00/dia de Prospecção Ampla (Meta) para Search | Marca (Google Ads): "
        f"+{gain}/dia" in digest
    )

    rt.sandbox.advance_clock(hours=9)  # the morning: the digest turns it into a proposal
    run(Kind.DIGEST, rt, ws, meta, META)
    with rt.db.session() as session:
        [row] = session.scalars(select(Proposal).where(Proposal.workspace_id == ws)).all()
        proposal_id, kind, state = row.id, row.kind, row.state
    assert (kind, state) == ("move_budget", "pending")  # it waits for a person, as all do
    card = card_for(rt, proposal_id, Locale(language="pt-BR")).text
    assert (
        "mover R$ 30,00/dia de “Prospecção Ampla” (Meta) para “Search | Marca” (Google Ads): "
        "R$ 300,00 → R$ 270,00 e R$ 150,00 → R$ 180,00" in card
    )
    assert f"Lucro de contribuição esperado: +{gain}/dia" in card

    with rt.db.session() as session:  # a person approves: both legs run
        admin = add_user(
            session,
            ensure_workspace(session, "cross"),
            role=Role.ADMIN,
            name="Ana",
            console_name="ana",
        )
    decide(rt, ws, proposal_id, user_id=admin.user_id, approve=True, channel="console")
    budgets = {c.name: c.daily_budget for c in rt.sandbox.state.campaigns.values()}
    assert (budgets["Prospecção Ampla"], budgets["Search | Marca"]) == (27000, 18000)
    rt.sandbox.advance_clock(hours=24)  # the next night: both campaigns are cooling down
    again = [run(Kind.OPTIMIZE, rt, ws, pk, ext) for pk, ext in ((meta, META), (google, GOOGLE))]
    assert [n["moves"] for n in again] == [[], []]
    assert all(f["protective"] for n in again for f in n["findings"])  # only a limit's cut


def test_a_balanced_account_moves_nothing(two_platforms: Any) -> None:
    same = SimAd("Catálogo", 0.013, 0.05, 200, 26, 200)  # the Meta campaign, on Google
    rt, ws, meta, google = two_platforms(same, 300, 17_800)
    nights = [
        run(Kind.OPTIMIZE, rt, ws, pk, external)
        for pk, external in ((meta, META), (google, GOOGLE))
    ]
    assert [n["findings"] for n in nights] == [[], []]  # both free to move...
    assert [n["moves"] for n in nights] == [[], []]  # ...and no move wins beyond the noise


def test_no_move_takes_a_platform_past_its_own_limit(two_platforms: Any) -> None:
    rt, ws, meta, google = two_platforms(BRAND, 150, 13_300)
    with rt.db.session(ws) as session:  # Google's own month: already at R$ 4.300 of it
        set_platform_limit(workspace_settings(session, ws), "google", Decimal(430_000))
    night = run(Kind.OPTIMIZE, rt, ws, meta, META)
    google_night = run(Kind.OPTIMIZE, rt, ws, google, GOOGLE)
    assert night["moves"] == []
    projection = google_night["plan"]["projection"]
    assert projection["limit"] <= 430_000  # the engine holds Google to its own limit
    assert projection["after"] <= projection["limit"]
