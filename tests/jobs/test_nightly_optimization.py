"""Nightly optimization at 23:00 local (the brain plans), the morning digest at 08:00
(each decision becomes a proposal through the supervisor, its card carrying the figures)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from analytics.brain.account import view_of
from analytics.sync import sync_account
from jobs import runs
from jobs.optimize import nightly_optimization
from jobs.schedules import JobSpec, Kind
from storage.models import AdAccount, MetricDaily, Proposal, User
from storage.repositories import workspace_settings
from supervisor.decide import decide

DEMO = "act_1000000001"


def set_prefs(world: Any, **values: Any) -> None:
    with world.rt.db.session(world.ws1) as session:
        prefs = workspace_settings(session, world.ws1)
        for key, value in values.items():
            setattr(prefs, key, value)


def night_of(world: Any) -> Any:
    return next(r for r in runs.records(world.rt.db, "nightly-optimization:") if DEMO in r.key)


def run_night(world: Any, stamp: str) -> dict[str, Any]:
    spec = JobSpec(
        Kind.OPTIMIZE,
        world.sandbox.now(),
        stamp,
        world.ws1,
        world.account1,
        f"ws{world.ws1}:{DEMO}",
    )
    return nightly_optimization(world.rt, spec)


def test_the_night_plans_on_profit_and_the_morning_brings_a_card_per_decision(
    make_world: Any,
) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.report_at(world.ws2, 5)
    set_prefs(world, gross_margin=Decimal(45))
    world.advance(hours=8)  # 23:00 in São Paulo: the brain plans, nobody is woken up
    night = night_of(world)
    assert night.key == f"nightly-optimization:ws{world.ws1}:{DEMO}:20261120"
    findings = night.detail["findings"]
    assert findings, "the demo account has clear losers and winners with room"
    assert world.sender.sent == []
    break_even = Decimal(night.detail["plan"]["break_even"])
    assert round(break_even, 2) == Decimal("2.22")  # 1 / 45%
    for item in findings:
        if item["proposed_budget"] is None:  # a pause: even the average is below break-even
            assert Decimal(item["average_roas"]["mean"]) < break_even
            assert item["provisional_days"] == []
        elif item["kind"] == "scale":
            assert Decimal(item["marginal_roas"]["mean"]) > break_even
            assert item["proposed_budget"] <= item["current_budget"] * 1.2  # 20% steps
    assert "Institucional" not in {f["name"] for f in findings}  # awareness: not judged on sales

    world.advance(hours=9)  # 08:00: the digest, then one approval card per decision
    sent = [r for r in world.to("console:ana") if r.kind != "report"]
    digest = sent[0]
    assert digest.title == "☀️ Otimização da noite · Loja Aurora (demo)"
    assert f"{len(findings)} decisões da noite, cada uma com seu cartão" in digest.text
    assert "margem bruta 45%, ROAS de equilíbrio 2,22x" in digest.text
    cards = sent[1:]
    assert [c.kind for c in cards] == ["approval"] * len(findings)
    for card in cards:  # every card says why, with the figures
        assert "ROAS marginal" in card.text and "Lucro de contribuição esperado" in card.text
        assert "Equilíbrio pela margem bruta de 45%" in card.text
    with world.rt.db.session() as session:
        proposals = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "nightly-optimization")
        ).all()
    assert sorted(p.target_id for p in proposals) == sorted(f["object_id"] for f in findings)
    # Autonomy "manual" (the default): every scheduled proposal waits for a person.
    assert {p.state for p in proposals} == {"pending"}
    assert all(p.explanation.get("marginal_roas") for p in proposals)

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


def test_a_campaign_profitable_on_roas_is_never_paused_for_its_cpa(make_world: Any) -> None:
    world = make_world()
    set_prefs(world, gross_margin=Decimal(45), target_cpa=Decimal(1000))  # R$ 10: every CPA fails
    detail = run_night(world, "a")
    break_even = Decimal(detail["plan"]["break_even"])
    pauses = [f for f in detail["findings"] if f["proposed_budget"] is None]
    assert all(Decimal(f["average_roas"]["mean"]) < break_even for f in pauses)
    assert all(f["reason"] != "cpa_above_target" for f in detail["findings"])


def test_provisional_days_do_not_count_towards_a_pause(make_world: Any) -> None:
    world = make_world()
    rt = world.rt
    set_prefs(world, gross_margin=Decimal(45))
    sync_account(rt, world.account1)  # fresh history: the job reads it as it is
    today = world.sandbox.state.today(DEMO)
    recent = [today - timedelta(days=n) for n in (1, 2, 3)]  # complete but provisional days
    with rt.db.session() as session:
        winner = session.scalar(  # the campaign with the most conversions in those days
            select(MetricDaily.object_id)
            .where(MetricDaily.level == "campaign", MetricDaily.day.in_(recent))
            .group_by(MetricDaily.object_id)
            .order_by(select(MetricDaily.conversions).scalar_subquery().desc())
            .limit(1)
        )
        # The last three days look terrible: big spend, no conversion (yet).
        session.execute(
            update(MetricDaily)
            .where(MetricDaily.object_id == winner, MetricDaily.day.in_(recent))
            .values(spend=Decimal(5_000_000), conversions=0, revenue=0)
        )

    def paused(stamp: str) -> set[str]:
        detail = run_night(world, stamp)
        return {f["campaign_id"] for f in detail["findings"] if f["proposed_budget"] is None}

    assert winner not in paused("a")  # provisional: its conversions are still arriving
    with rt.db.session() as session:
        session.execute(
            update(MetricDaily)
            .where(MetricDaily.object_id == winner, MetricDaily.day.in_(recent))
            .values(provisional=False)
        )
    assert winner in paused("b")  # the same figures, settled, do make the case


def test_without_a_margin_the_roas_target_stands_in_and_the_digest_says_so(
    make_world: Any,
) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    set_prefs(world, target_roas=Decimal(3))
    world.advance(hours=17)
    night = night_of(world)
    assert night.detail["plan"]["break_even_source"] == "roas_target"
    digest = next(r for r in world.to("console:ana") if (r.title or "").startswith("☀️"))
    assert "a meta de ROAS 3,00x vale como equilíbrio" in digest.text
    card = next(r for r in world.to("console:ana") if r.kind == "approval")
    assert "Sem margem bruta configurada: a meta de ROAS vale como equilíbrio." in card.text


def test_with_neither_margin_nor_target_it_only_moves_budget_between_holders(
    make_world: Any,
) -> None:
    world = make_world()
    detail = run_night(world, "a")
    assert detail["plan"]["break_even"] is None
    assert {f["kind"] for f in detail["findings"]} <= {"reallocate"}


def test_the_month_lands_on_its_limit_from_below(make_world: Any) -> None:
    world = make_world()
    set_prefs(world, gross_margin=Decimal(45))
    world.set_limit(world.ws1, 50_000)  # the demo spends ~R$ 1.900/day: the month is tight
    detail = run_night(world, "a")
    projection = detail["plan"]["projection"]
    assert projection["before"] > projection["limit"] >= projection["after"]
    kinds = [f["kind"] for f in detail["findings"]]
    assert "scale" not in kinds and any(k in ("limit_cut", "limit_pause") for k in kinds)
    # Cuts hit the lowest marginal ROAS first: every holder left untouched returns more per
    # extra real than any holder that was cut.
    cut = {f["object_id"]: Decimal(f["marginal_roas"]["mean"]) for f in detail["findings"]}
    with world.rt.db.session() as session:
        account = session.get(AdAccount, world.account1)
        assert account is not None
        session.expunge(account)
    view = view_of(world.rt, account)
    untouched = [
        Decimal(str(o.curve.marginal_roas(o.pace * o.daily_budget).mean))
        for o in view.snapshot.objects
        if o.object_id not in cut and o.curve is not None and o.daily_budget and o.judged_by_results
    ]
    assert cut and untouched
    assert max(cut.values()) <= min(untouched) + Decimal("0.05")


def test_a_rejected_proposal_is_not_proposed_again_the_next_night(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    set_prefs(world, gross_margin=Decimal(45))
    world.advance(hours=17)  # the night, then the morning's cards
    with world.rt.db.session() as session:
        scale = session.scalars(
            select(Proposal).where(
                Proposal.proposer_id == "nightly-optimization", Proposal.kind == "set_budget"
            )
        ).first()
    assert scale is not None
    with world.rt.db.session() as session:
        ana = session.scalar(select(User).where(User.name == "Ana"))
        assert ana is not None
        ana_id = ana.id
    decide(world.rt, world.ws1, scale.id, user_id=ana_id, approve=False, channel="console")
    world.advance(hours=15)  # the next night
    night = max(
        (r for r in runs.records(world.rt.db, "nightly-optimization:") if DEMO in r.key),
        key=lambda r: r.key,
    )
    again = [f for f in night.detail["findings"] if f["object_id"] == scale.target_id]
    direction = scale.explanation["direction"]
    assert all(f["direction"] != direction for f in again)
    held = {h["object_id"]: h["code"] for h in night.detail["plan"]["held"]}
    assert held.get(scale.target_id) in ("rejected", "cooldown", None)


def test_with_an_llm_the_digest_carries_the_crews_explanation(make_world: Any) -> None:
    from storage.models import LlmUsage
    from tests.crews.fake_llm import FakeLLM
    from tests.crews.script import CrewScript

    fake = FakeLLM(CrewScript()).start()
    try:
        world = make_world(
            llm_model="openai/scripted-crew", llm_base_url=fake.url, llm_api_key="test-key"
        )
        set_prefs(world, gross_margin=Decimal(45))
        world.advance(hours=8)  # 23:00 in São Paulo: the brain plans, then the Optimizer explains
        night = night_of(world)
        explanation = night.detail["explanation"]
        assert explanation.startswith("Duas campanhas gastam muito por venda")
        (call,) = [c for c in fake.calls if c.task == "explain_findings"]
        prompt = call.text()
        assert call.tools == []  # the agent explains; it cannot propose or write
        assert "<<<DATA" in prompt and "R$ " in prompt  # the decisions as data, money formatted
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


def test_assisted_autonomy_runs_only_protective_changes_and_autopilot_runs_all(
    make_world: Any,
) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    set_prefs(world, gross_margin=Decimal(45), autonomy="assisted")
    world.set_limit(world.ws1, 50_000)  # a tight month: limit cuts are protective
    world.advance(hours=17)
    with world.rt.db.session() as session:
        proposals = session.scalars(
            select(Proposal).where(
                Proposal.proposer_id == "nightly-optimization",
                Proposal.ad_account_id == world.account1,
            )
        ).all()
        states = [
            (p.explanation.get("protective"), p.verdict, p.warnings, p.state) for p in proposals
        ]
    assert proposals
    # A protective change no rule objects to runs by itself; anything else waits for a person.
    for protective, verdict, warnings, state in states:
        if protective and verdict == "allow":
            assert state == "executed"
        elif verdict == "approval":
            assert state == "pending"
            keys = [w["key"] for w in warnings]
            assert protective or "supervisor.warn.autonomy_assisted" in keys
    assert any(state == "executed" for *_, state in states)

    set_prefs(world, autonomy="autopilot")
    world.advance(hours=24)
    with world.rt.db.session() as session:
        tonight = session.scalars(
            select(Proposal).where(
                Proposal.proposer_id == "nightly-optimization",
                Proposal.ad_account_id == world.account1,
                Proposal.id.notin_([p.id for p in proposals]),
            )
        ).all()
    assert tonight
    for proposal in tonight:  # autonomy holds nothing back; the policy's own rules still do
        keys = [w["key"] for w in proposal.warnings]
        assert not any(k.startswith("supervisor.warn.autonomy") for k in keys)
        if proposal.verdict == "allow":
            assert proposal.state == "executed"
