"""The daily look at each test: follow its proposals, judge its data, update its card.

Once a day per ad account (``jobs.schedules`` kind ``experiments``): a proposed test whose
draft ran becomes *created*; a started one becomes *running* from the next local day; a
running one gets today's verdict (:func:`analytics.experiments.verdict.decide`: Bayesian
probability to be best and expected loss AND the always-valid mSPRT p-value, winners
only on whole weeks; the CPA guardrail every day), and its card is edited in place where
the channel can (``Capabilities.edits_in_place``), else sent anew, with a small chart.
A decided test records its learning; a guardrail stop proposes pausing the variant.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from ads.base import AdsPlatform, Level, Period
from analytics.experiments import wording
from analytics.experiments.counts import Counts, Metric
from analytics.experiments.verdict import Status, Verdict, decide
from bot.core.experiments import cards, learn
from bot.core.experiments import design as designs
from bot.core.experiments.setup import local_today
from bot.core.experiments.store import LIVE, live
from storage.models import AdAccount, Conversation, Experiment, Proposal
from storage.repositories import workspace_settings
from supervisor import proposals
from supervisor.proposals import Proposer
from supervisor.submit import submit
from vocabulary.i18n import Locale
from vocabulary.notify import destination_for, send
from vocabulary.outbox import Outbox
from vocabulary.replies import Chart, Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

SCHEDULE = Proposer("schedule", "experiments")
_FAILED = ("rejected", "denied", "expired", "failed")


def follow(rt: Runtime, workspace_id: int, experiment_id: int) -> str:
    """Move a proposed or starting test along as its proposals are decided; its status."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Experiment, experiment_id)
        assert row is not None
        ids = dict(row.proposals or {})
        if row.status == "proposed" and ids.get("setup"):
            setup = session.get(Proposal, ids["setup"])
            if setup is not None and setup.state == "executed":
                created = dict((setup.result or {}).get("created") or {})
                row.campaign_id = created.get("campaign")
                row.variants = [
                    {**v, "adset_id": a, "ad_id": ad}
                    for v, a, ad in zip(
                        row.variants,
                        created.get("adsets", []),
                        created.get("ads", []),
                        strict=False,
                    )
                ]
                row.status = "created"
            elif setup is not None and setup.state in _FAILED:
                row.status = "rejected"
        if row.status == "starting" and ids.get("start"):
            start = session.get(Proposal, ids["start"])
            if start is not None and start.state == "executed" and start.executed_at:
                account = session.get(AdAccount, row.ad_account_id)
                assert account is not None
                row.started_on = local_today(start.executed_at, account.timezone) + timedelta(
                    days=1
                )
                row.status = "running"
                study = ((start.result or {}).get("created") or {}).get("study")
                if study:  # the split test its start created (rollout.study_id)
                    row.design = {**(row.design or {}), "study_id": str(study)}
            elif start is not None and start.state in _FAILED:
                row.status = "created"
        return row.status


def series_of(
    ads: AdsPlatform, account_id: str, experiment: Experiment, today: date
) -> dict[str, list[Counts]]:
    """Each variant's cumulative daily counts from its ad set, start to yesterday."""
    labels = {v["adset_id"]: v["label"] for v in experiment.variants if v.get("adset_id")}
    out: dict[str, list[Counts]] = {v["label"]: [] for v in experiment.variants}
    start, end = experiment.started_on, today - timedelta(days=1)
    if start is None or end < start:
        return out
    rows = ads.insights(
        account_id, Level.ADSET, Period(start, end), object_ids=list(labels), daily=True
    )
    by_label: dict[str, list[Any]] = {label: [] for label in out}
    for row in rows:
        if row.object_id in labels:
            by_label[labels[row.object_id]].append(row)
    for label, found in by_label.items():
        running = Counts(start)
        for daily in designs.daily_counts(found):
            running = Counts(
                daily.day,
                running.impressions + daily.impressions,
                running.clicks + daily.clicks,
                running.conversions + daily.conversions,
                running.spend + daily.spend,
                running.revenue + daily.revenue,
            )
            out[label].append(running)
    return out


def _summary(verdict: Verdict, experiment: Experiment, currency_symbol: str) -> dict[str, Any]:
    target = experiment.cpa_target
    lines = {
        lang: wording.summary(verdict, lang, cpa_target=target, symbol=currency_symbol)
        for lang in ("pt-BR", "en")
    }
    out: dict[str, Any] = {
        "status": verdict.status.value,
        "day": verdict.day,
        "planned_days": verdict.planned_days,
        "winner": verdict.winner,
        "guardrail_variant": verdict.guardrail_variant,
        "lines": lines,
        "p_values": dict(verdict.p_values),
    }
    if verdict.bayes is not None and len(verdict.bayes.variants) > 1:
        control = verdict.bayes.control
        best = max(verdict.bayes.variants[1:], key=lambda v: v.prob_best)
        if verdict.winner and verdict.winner != control.name:
            best = verdict.bayes.get(verdict.winner)
        assert best.lift is not None
        lift = {"variant": best.name, "versus": control.name, "prob_best": best.prob_best}
        lift.update(median=best.lift.median, low=best.lift.low, high=best.lift.high)
        if verdict.winner == control.name:  # the control won: its lift over the challenger
            lift.update(
                variant=control.name,
                versus=best.name,
                prob_best=control.prob_best,
                median=1 / (1 + best.lift.median) - 1,
                low=1 / (1 + best.lift.high) - 1,
                high=1 / (1 + best.lift.low) - 1,
            )
        out["lift"] = lift
    return out


def _symbol(currency: str) -> str:
    return "R$" if currency == "BRL" else ("US$" if currency == "USD" else currency)


def chart_for(series: dict[str, list[Counts]], metric: Metric, locale: Locale) -> Chart | None:
    """The small chart (matplotlib, loaded here: the daily job and chat run on workers)."""
    from analytics.experiments.chart import variants_chart  # matplotlib: worker side only

    points: dict[str, list[tuple[date, float]]] = {}
    for label, rows in series.items():
        values = []
        for row in rows:
            exposure = row.exposure(metric)
            if exposure <= 0:
                continue
            if metric is Metric.CPA:
                if row.conversions:
                    values.append((row.day, row.spend / row.conversions / 100))
            elif metric is Metric.ROAS:
                values.append((row.day, row.revenue / row.spend))
            else:
                values.append((row.day, row.events(metric) / exposure))
        points[label] = values
    if not any(points.values()):
        return None
    title = locale.t(
        "experiments.card.chart", metric=locale.t(f"experiments.metric.{metric.value}")
    )
    decimal = "," if locale.language == "pt-BR" else "."
    return variants_chart(points, title, percent=metric.is_rate, decimal=decimal)


def judge(rt: Runtime, workspace_id: int, experiment_id: int, today: date) -> Chart | None:
    """Today's verdict for a running test; acts on a decision. Returns the card's chart."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Experiment, experiment_id)
        account = session.get(AdAccount, row.ad_account_id) if row else None
        prefs = workspace_settings(session, workspace_id)
        language = prefs.language
        if row is None or account is None or row.status != "running":
            return None
        session.expunge(row)
        session.expunge(account)
    ads = rt.ads(account)
    series = series_of(ads, account.external_id, row, today)
    if not any(series.values()):
        return None
    design = designs.rebuild(row.design)
    verdict = decide(series, design, today, row.cpa_target, control="A")
    summary = _summary(verdict, row, _symbol(account.currency))
    summary["units"] = {
        label: rows[-1].exposure(design.metric) for label, rows in series.items() if rows
    }
    with rt.db.session(workspace_id) as session:
        stored = session.get(Experiment, experiment_id)
        assert stored is not None
        stored.verdict = summary
        if verdict.decided:
            stored.status = verdict.status.value
            stored.decided_on = today
        session.flush()
        session.expunge(stored)
    logger.info("experiment #%s: day %s, %s", row.number, verdict.day, verdict.status.value)
    if verdict.status in (Status.WINNER, Status.INCONCLUSIVE):
        learn.record(rt, workspace_id, stored, account.currency)
    if verdict.status is Status.STOPPED_GUARDRAIL and verdict.guardrail_variant:
        _guardrail(rt, workspace_id, account, stored, verdict.guardrail_variant, language)
    return chart_for(series, design.metric, Locale(language))


def _guardrail(
    rt: Runtime, workspace_id: int, account: AdAccount, row: Experiment, label: str, language: str
) -> None:
    """A variant's CPA passed 2x the target: propose pausing its ad set (protective)."""
    variant = next((v for v in row.variants if v["label"] == label), None)
    if variant is None or not variant.get("adset_id"):
        return
    locale = Locale(language)
    proposal = proposals.pause(
        Level.ADSET,
        variant["adset_id"],
        f"#{row.number} {label} · {variant['name']}"[:200],
        current_status="ACTIVE",
        reason=locale.t("experiments.guardrail.reason", number=row.number, variant=label),
        proposer=SCHEDULE,
    )
    submit(
        rt,
        workspace_id,
        account.id,
        proposal,
        conversation_id=row.conversation_id,
        channel="",
        announce=row.conversation_id is not None,
    )


# --- the card -------------------------------------------------------------------------------


def reply_for(
    rt: Runtime, workspace_id: int, experiment_id: int, language: str, chart: Chart | None = None
) -> Reply:
    with rt.db.session(workspace_id) as session:
        row = session.get(Experiment, experiment_id)
        assert row is not None
        account = session.get(AdAccount, row.ad_account_id)
        prefs = workspace_settings(session, workspace_id)
        locale = Locale(language, prefs.timezone)
        return cards.render(row, locale, account.currency if account else prefs.currency, chart)


def _remember(rt: Runtime, workspace_id: int, experiment_id: int, card: dict[str, Any]) -> None:
    with rt.db.session(workspace_id) as session:
        row = session.get(Experiment, experiment_id)
        assert row is not None
        kept = [c for c in row.cards or [] if c.get("conversation_id") != card["conversation_id"]]
        row.cards = [*kept, card]


def show_in_turn(
    rt: Runtime, workspace_id: int, experiment_id: int, outbox: Outbox, chart: Chart | None = None
) -> None:
    """The card in a chat turn; remembered so the daily job updates this copy."""
    reply = reply_for(rt, workspace_id, experiment_id, outbox.to.language, chart)
    ref = outbox.send(reply)
    if ref and outbox.to.conversation_id is not None:
        _remember(
            rt,
            workspace_id,
            experiment_id,
            {
                "conversation_id": outbox.to.conversation_id,
                "ref": ref,
                "language": outbox.to.language,
            },
        )


def publish(rt: Runtime, workspace_id: int, experiment_id: int, chart: Chart | None = None) -> int:
    """Every copy of the card: edited in place where the channel can, else a new message."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Experiment, experiment_id)
        assert row is not None
        known = list(row.cards or [])
        if not known and row.conversation_id is not None:
            known = [{"conversation_id": row.conversation_id, "ref": None, "language": None}]
        targets = []
        for card in known:
            conversation = session.get(Conversation, card["conversation_id"])
            if conversation is None:
                continue
            language = (
                card.get("language")
                or conversation.language
                or workspace_settings(session, workspace_id).language
            )
            targets.append((card, destination_for(conversation, language)))
    shown = 0
    for card, to in targets:
        reply = reply_for(rt, workspace_id, experiment_id, to.language, chart)
        sender = rt.sender(to.channel)
        ref = card.get("ref")
        try:
            if ref and sender.capabilities.edits_in_place:
                sender.update(to, ref, reply)
            else:
                ref = send(rt, to, reply)
        except Exception:
            logger.exception("experiment %s: could not update a card", experiment_id)
            continue
        if ref:
            shown += 1
            _remember(
                rt,
                workspace_id,
                experiment_id,
                {"conversation_id": to.conversation_id, "ref": ref, "language": to.language},
            )
    return shown


# --- as soon as a decision lands ------------------------------------------------------------


def on_proposal(rt: Runtime, workspace_id: int, proposal_id: str) -> list[int]:
    """A test's proposal was decided or executed: its card moves now, not at the next daily
    run (approved and created, started, rejected...). Returns the tests whose card moved."""
    with rt.db.session(workspace_id) as session:
        found = session.execute(
            select(Experiment.id, Experiment.status, Experiment.proposals).where(
                Experiment.workspace_id == workspace_id, Experiment.status.in_(LIVE)
            )
        )
        mine = [
            (row.id, row.status)
            for row in found
            if proposal_id in {str(v) for v in (row.proposals or {}).values()}
        ]
    moved = []
    for experiment_id, before in mine:
        if follow(rt, workspace_id, experiment_id) != before:
            publish(rt, workspace_id, experiment_id)
            moved.append(experiment_id)
    return moved


# --- the daily job's work -------------------------------------------------------------------


def daily(rt: Runtime, workspace_id: int, account_pk: int) -> dict[str, Any]:
    """One account's tests, once a day: follow, judge, show. Returns what happened."""
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        assert account is not None
        timezone = account.timezone
        tests = [(e.id, e.status) for e in live(session, workspace_id, account_pk)]
    today = local_today(rt.now(), timezone)
    report: dict[str, Any] = {"tests": {}}
    for experiment_id, before in tests:
        status = follow(rt, workspace_id, experiment_id)
        chart = None
        if status == "running":
            chart = judge(rt, workspace_id, experiment_id, today)
            with rt.db.session(workspace_id) as session:
                row = session.get(Experiment, experiment_id)
                status = row.status if row else status
        if status != before or status in (
            "running",
            *("winner", "inconclusive", "stopped_guardrail"),
        ):
            publish(rt, workspace_id, experiment_id, chart)
        report["tests"][str(experiment_id)] = status
    return report
