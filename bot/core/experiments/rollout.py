"""Starting, stopping and applying a test's winner: each a proposal for the supervisor.

Start: activate the paused campaign with its ad sets and ads (one ACTIVATE proposal).
Stop: pause the test's campaign. Apply the winner: pause each loser's ad set and move
their budget to the winner's (one proposal each, every one with its own Undo), the raise
held to the workspace's largest single step (``budget_step_max_pct``).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from ads.base import Level
from storage.models import AdAccount, Experiment
from storage.repositories import workspace_settings
from supervisor import proposals
from supervisor.proposals import ActionKind, ActionProposal, Proposer
from supervisor.submit import submit
from supervisor.thresholds import workspace_policy
from vocabulary.i18n import Locale
from vocabulary.outbox import Outbox
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def _submit(
    rt: Runtime,
    row: Experiment,
    proposal: ActionProposal,
    *,
    user_id: int | None,
    conversation_id: int | None,
    channel: str,
    outbox: Outbox | None,
) -> str:
    submission = submit(
        rt,
        row.workspace_id,
        row.ad_account_id,
        proposal,
        conversation_id=conversation_id,
        channel=channel,
        requested_by_user_id=user_id,
        outbox=outbox,
    )
    return str(submission.proposal_id)


def start(rt: Runtime, row: Experiment, locale: Locale, proposer: Proposer, **where: object) -> str:
    """Propose activating the test's campaign with everything in it; the test is *starting*."""
    assert row.campaign_id
    proposal = proposals.ActionProposal(
        ActionKind.ACTIVATE,
        Level.CAMPAIGN,
        row.campaign_id,
        f"Teste A/B #{row.number} · {row.name}"[:200],
        {"status": "ACTIVE", "with_children": True},
        {"status": "PAUSED"},
        locale.t("experiments.start.reason", number=row.number, name=row.name),
        proposer,
    )
    pid = _submit(rt, row, proposal, **where)  # type: ignore[arg-type]
    with rt.db.session(row.workspace_id) as session:
        stored = session.get(Experiment, row.id)
        assert stored is not None
        stored.proposals = {**(stored.proposals or {}), "start": pid}
        stored.status = "starting"
    return pid


def stop(
    rt: Runtime, row: Experiment, locale: Locale, proposer: Proposer, **where: object
) -> str | None:
    """End a test: its campaign paused through the supervisor (nothing to pause if never made)."""
    pid = None
    if row.campaign_id and row.status in (
        "running",
        "starting",
        "winner",
        "inconclusive",
        "stopped_guardrail",
    ):
        proposal = proposals.pause(
            Level.CAMPAIGN,
            row.campaign_id,
            f"Teste A/B #{row.number} · {row.name}"[:200],
            current_status="ACTIVE",
            reason=locale.t("experiments.stop.reason", number=row.number, name=row.name),
            proposer=proposer,
        )
        pid = _submit(rt, row, proposal, **where)  # type: ignore[arg-type]
    with rt.db.session(row.workspace_id) as session:
        stored = session.get(Experiment, row.id)
        assert stored is not None
        stored.proposals = {**(stored.proposals or {}), "stop": pid}
        stored.status = "stopped"
    return pid


def apply_winner(
    rt: Runtime, row: Experiment, locale: Locale, proposer: Proposer, **where: object
) -> list[str]:
    """Pause the losers' ad sets; the winner's ad set gets their budget (capped per step)."""
    winner = (row.verdict or {}).get("winner")
    variants = {v["label"]: v for v in row.variants}
    won = variants[winner]
    losers = [v for label, v in variants.items() if label != winner and v.get("adset_id")]
    with rt.db.session(row.workspace_id) as session:
        prefs = workspace_settings(session, row.workspace_id)
        step = workspace_policy(prefs).budget_step_max_pct
        account = session.get(AdAccount, row.ad_account_id)
        assert account is not None
        session.expunge(account)
    budget = Decimal(row.daily_budget)
    winner_name = f"#{row.number} {winner} · {won['name']}"[:200]
    ids: list[str] = []
    for loser in losers:
        proposal = proposals.pause(
            Level.ADSET,
            loser["adset_id"],
            f"#{row.number} {loser['label']} · {loser['name']}"[:200],
            current_status="ACTIVE",
            reason=locale.t(
                "experiments.apply.pause_reason",
                number=row.number,
                loser=loser["label"],
                winner=winner,
            ),
            proposer=proposer,
        )
        ids.append(_submit(rt, row, proposal, **where))  # type: ignore[arg-type]
    current = rt.ads(account).get_adset(won["adset_id"]).daily_budget or budget
    raised = min(current + budget * len(losers), current * (100 + step) / 100)
    proposal = proposals.set_budget(
        Level.ADSET,
        won["adset_id"],
        winner_name,
        new_budget=raised.quantize(Decimal(1)),
        current_budget=current,
        reason=locale.t("experiments.apply.budget_reason", number=row.number, winner=winner),
        proposer=proposer,
    )
    ids.append(_submit(rt, row, proposal, **where))  # type: ignore[arg-type]
    with rt.db.session(row.workspace_id) as session:
        stored = session.get(Experiment, row.id)
        assert stored is not None
        stored.proposals = {**(stored.proposals or {}), "rollout": ids}
        stored.status = "applied"
    logger.info(
        "experiment #%s: winner %s applied through %d proposals", row.number, winner, len(ids)
    )
    return ids
