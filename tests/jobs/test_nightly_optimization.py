"""Nightly optimization at 23:00 local, the morning digest at 08:00, proposals via the supervisor."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from jobs import runs
from jobs.optimize import nightly_optimization
from jobs.schedules import JobSpec, Kind
from jobs.sync import sync_account
from storage.models import MetricDaily, Proposal

DEMO = "act_1000000001"


def test_findings_at_night_digest_and_proposals_in_the_morning(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.report_at(world.ws2, 5)
    world.advance(hours=8)  # 23:00 in São Paulo: the rules run, nobody is woken up
    [night] = runs.records(world.rt.db, "nightly-optimization:")
    assert night.key == f"nightly-optimization:ws{world.ws1}:{DEMO}:20261120"
    findings = night.detail["findings"]
    assert findings, "the demo account has losers and a winner"
    assert world.sender.sent == []
    target = Decimal(night.detail["targets"]["cpa"])
    for item in findings:
        if item["kind"] == "pause":
            assert item["cpa"] is None or Decimal(item["cpa"]) > target * Decimal("1.5")
        else:
            assert Decimal(item["new_budget"]) > Decimal(item["current_budget"])
    assert "Institucional" not in {f["name"] for f in findings}  # awareness: not judged by CPA

    world.advance(hours=9)  # 08:00: the digest, then the approval cards
    sent = [r for r in world.to("console:ana") if r.kind != "report"]
    assert sent[0].title == "☀️ Otimização da noite · Loja Aurora (demo)"
    assert f"{len(findings)} sugestão(ões) da análise da noite" in sent[0].text
    assert "Sem metas definidas: usei a média da conta" in sent[0].text
    assert {r.kind for r in sent[1:]} == {"approval"}
    with world.rt.db.session() as session:
        proposals = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "nightly-optimization")
        ).all()
    assert sorted(p.target_id for p in proposals) == sorted(f["target_id"] for f in findings)
    assert all(p.proposer_kind == "schedule" for p in proposals)
    pending = [p.id for p in proposals if p.state == "pending"]
    assert pending

    world.advance(hours=24)  # the next night runs again; its digest is its own, sent once
    nights = [r.key.split(":", 2)[2] for r in runs.records(world.rt.db, "nightly-optimization:")]
    assert sorted(nights) == [
        f"{DEMO}:20261120",
        f"{DEMO}:20261121",
        "act_1000000002:20261120",  # 23:00 in New York
        "act_1000000002:20261121",
    ]
    digests = [r for r in world.to("console:ana") if (r.title or "").startswith("☀️")]
    assert len(digests) == 2
    with world.rt.db.session() as session:  # the hourly sweep expired yesterday's undecided ones
        states = {session.get(Proposal, pid).state for pid in pending}  # type: ignore[union-attr]
    assert states == {"expired"}


def test_provisional_days_do_not_count_towards_a_pause(make_world: Any) -> None:
    world = make_world()
    rt = world.rt
    sync_account(rt, world.account1)  # fresh history: the job reads it as it is
    today = world.sandbox.state.today(DEMO)
    recent = [today - timedelta(days=n) for n in (1, 2, 3)]  # complete but provisional days
    with rt.db.session() as session:
        winner = session.scalar(  # the campaign with the most conversions last week
            select(MetricDaily.object_id)
            .where(MetricDaily.level == "campaign", MetricDaily.day.in_(recent))
            .group_by(MetricDaily.object_id)
            .order_by(select(MetricDaily.conversions).scalar_subquery().desc())
            .limit(1)
        )
        # The last three days look terrible: big spend, no conversion (yet).
        session.execute(
            update(MetricDaily)
            .where(
                MetricDaily.object_id == winner,
                MetricDaily.level == "campaign",
                MetricDaily.day.in_(recent),
            )
            .values(spend=Decimal(5_000_000), conversions=0)
        )
        assert session.scalars(
            select(MetricDaily.provisional).where(
                MetricDaily.object_id == winner, MetricDaily.day.in_(recent)
            )
        ).all() == [True, True, True]

    def pauses(stamp: str) -> set[str]:
        spec = JobSpec(
            Kind.OPTIMIZE,
            world.sandbox.now(),
            stamp,
            world.ws1,
            world.account1,
            f"ws{world.ws1}:{DEMO}",
        )
        detail = nightly_optimization(rt, spec)
        return {f["target_id"] for f in detail["findings"] if f["kind"] == "pause"}

    assert winner not in pauses("a")  # provisional: its conversions are still arriving
    with rt.db.session() as session:
        session.execute(
            update(MetricDaily)
            .where(MetricDaily.object_id == winner, MetricDaily.day.in_(recent))
            .values(provisional=False)
        )
    assert winner in pauses("b")  # the same figures, settled, do warrant a pause


def test_with_an_llm_the_digest_carries_the_crews_explanation(make_world: Any) -> None:
    from storage.models import LlmUsage
    from tests.crews.fake_llm import FakeLLM
    from tests.crews.script import CrewScript

    fake = FakeLLM(CrewScript()).start()
    try:
        world = make_world(
            llm_model="openai/scripted-crew", llm_base_url=fake.url, llm_api_key="test-key"
        )
        world.advance(hours=8)  # 23:00 in São Paulo: rules, then the Optimizer explains
        night = next(r for r in runs.records(world.rt.db, "nightly-optimization:") if DEMO in r.key)
        explanation = night.detail["explanation"]
        assert explanation.startswith("Duas campanhas gastam muito por venda")
        (call,) = [c for c in fake.calls if c.task == "explain_findings"]
        prompt = call.text()
        assert call.tools == []  # the agent explains; it cannot propose or write
        assert "<<<DATA" in prompt and "R$ " in prompt  # the findings as data, money formatted
        for item in night.detail["findings"]:
            assert item["name"] in prompt

        world.advance(hours=9)  # 08:00: the digest shows it
        digest = next(r for r in world.to("console:ana") if (r.title or "").startswith("☀️"))
        assert "🧠 Análise" in digest.text and explanation in digest.text
        with world.rt.db.session() as session:
            flows = session.scalars(select(LlmUsage.flow)).all()
        assert "explain_optimization" in flows
    finally:
        fake.stop()


def test_scale_ups_are_held_while_the_month_is_projected_over_the_limit(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.set_limit(world.ws1, 20_000)  # the demo account spends ~R$ 1.900/day: far over
    world.advance(hours=8)
    night = next(r for r in runs.records(world.rt.db, "nightly-optimization:") if DEMO in r.key)
    kinds = [f["kind"] for f in night.detail["findings"]]
    assert kinds and set(kinds) == {"pause"}  # the winners would be scaled on a comfortable pace
    held = night.detail["scales_held"]
    assert Decimal(held["projected"]) > Decimal(held["limit"]) == Decimal(2_000_000)

    world.advance(hours=9)
    digest = next(r for r in world.to("console:ana") if (r.title or "").startswith("☀️"))
    assert "🚀 Escalas suspensas: a projeção do mês (R$ " in digest.text
    assert "passa do limite mensal (R$ 20.000,00)" in digest.text
    assert "Escalar" not in digest.text
