"""Starting, stopping and applying a test's winner: each a proposal for the supervisor.

Start: activate the paused campaign with its ad sets and ads (one ACTIVATE proposal); a
split-test design also creates the Meta ad study on approval, from then for the planned
days plus the partial first one. Stop: pause the test's campaign (and end its study). Apply the winner: pause each loser's ad set and move
their budget to the winner's (one proposal each, every one with its own Undo), the raise
held to the workspace's largest single step (``budget_step_max_pct``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ads.base import Level
from ads.studies import even_split
from bot.core.experiments.setup import SPLIT_TEST
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


def study_spec(row: Experiment) -> dict[str, Any] | None:
    """The Meta split test a split-test design starts with (None: plain equal-budget ad sets)."""
    design = row.design or {}
    cells = [v for v in row.variants or [] if v.get("adset_id")]
    if design.get("method") != SPLIT_TEST or len(cells) < 2:
        return None
    shares = even_split(len(cells))
    return {
        "name": f"Teste A/B #{row.number} · {row.name}"[:400],
        "description": f"mediabrain experiment {row.number} ({row.kind})",
        "days": int(design.get("days", 14)) + 1,
        "cells": [
            {"name": f"{v['label']} · {v['name']}"[:200], "share": share, "adsets": [v["adset_id"]]}
            for v, share in zip(cells, shares, strict=True)
        ],
    }


def study_id(row: Experiment) -> str | None:
    """The test's Meta split test, once its start created one."""
    value = (row.design or {}).get("study_id")
    return str(value) if value else None


def start(rt: Runtime, row: Experiment, locale: Locale, proposer: Proposer, **where: object) -> str:
    """Propose activating the test's campaign with everything in it; the test is *starting*."""
    assert row.campaign_id
    new_value: dict[str, object] = {"status": "ACTIVE", "with_children": True}
    reason = locale.t("experiments.start.reason", number=row.number, name=row.name)
    study = study_spec(row)
    if study is not None:
        new_value["study"] = study
        reason += " " + locale.t("experiments.start.study", days=study["days"])
    proposal = proposals.ActionProposal(
        ActionKind.ACTIVATE,
        Level.CAMPAIGN,
        row.campaign_id,
        f"Teste A/B #{row.number} · {row.name}"[:200],
        new_value,
        {"status": "PAUSED"},
        reason[:1000],
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
        proposal = _ending_study(proposal, row, locale)
        pid = _submit(rt, row, proposal, **where)  # type: ignore[arg-type]
    with rt.db.session(row.workspace_id) as session:
        stored = session.get(Experiment, row.id)
        assert stored is not None
        stored.proposals = {**(stored.proposals or {}), "stop": pid}
        stored.status = "stopped"
    return pid


def _ending_study(proposal: ActionProposal, row: Experiment, locale: Locale) -> ActionProposal:
    """The pause also ends the test's split test (supervisor/studies.py), and says so."""
    study = study_id(row)
    if study is None:
        return proposal
    reason = f"{proposal.reason} {locale.t('experiments.stop.study', study=study)}"
    return replace(
        proposal, new_value={**proposal.new_value, "end_study": study}, reason=reason[:1000]
    )


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
    for index, loser in enumerate(losers):
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
        if index == 0:  # the winner gets its whole audience back: the study ends
            proposal = _ending_study(proposal, row, locale)
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
