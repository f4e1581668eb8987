"""Hand the crew's changes to the supervisor: the only way the crew asks for a write.

Agent proposals are made as ``Proposer("agent", "<agent name>")``; a plan's
"create as paused drafts" is made on behalf of the person who clicked. The
supervisor judges, asks for approval and executes; nothing here calls an ad
platform's write methods.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ads.base import Campaign, Level
from supervisor import proposals as sp
from supervisor.submit import submit

if TYPE_CHECKING:
    from crews.tools import ToolKit
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass
class ProposalRecord:
    """What the supervisor made of one agent proposal, for the agent and the run's result."""

    proposal_id: str
    kind: str
    campaign_id: str
    campaign_name: str
    verdict: str
    state: str
    reason: str
    new_value: dict[str, Any]
    verdict_reason: str = ""  # the supervisor's first reason, in English (why it waits / is denied)


def submit_campaign_change(
    kit: ToolKit,
    kind: str,
    campaign: Campaign,
    new_budget_minor: int | None,
    reason: str,
    *,
    agent_name: str,
) -> ProposalRecord:
    """Submit an agent's pause / budget proposal for one campaign; returns what was decided."""
    proposer = sp.Proposer("agent", agent_name)
    if kind == "pause":
        proposal = sp.pause(
            Level.CAMPAIGN,
            campaign.id,
            campaign.name,
            current_status=campaign.status.value,
            reason=reason,
            proposer=proposer,
        )
    else:
        assert new_budget_minor is not None
        proposal = sp.set_budget(
            Level.CAMPAIGN,
            campaign.id,
            campaign.name,
            new_budget=Decimal(new_budget_minor),
            current_budget=campaign.daily_budget,
            reason=reason,
            proposer=proposer,
        )
    submission = submit(
        kit.rt,
        kit.workspace_id,
        kit.account.pk,
        proposal,
        conversation_id=kit.conversation_id,
        channel=kit.channel,
        requested_by_user_id=kit.user_id,
        announce=kit.conversation_id is not None,  # the approval card goes to the asking chat
    )
    logger.info(
        "crew proposal %s: %s on campaign %s, verdict %s",
        submission.proposal_id,
        kind,
        campaign.id,
        submission.verdict,
    )
    return ProposalRecord(
        proposal_id=str(submission.proposal_id),
        kind=kind,
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        verdict=str(submission.verdict),
        state=str(submission.state),
        reason=reason,
        new_value=dict(proposal.new_value),
        verdict_reason=submission.reason,
    )


def submit_draft(
    rt: Runtime,
    workspace_id: int,
    account_pk: int,
    account_external_id: str,
    spec: dict[str, Any],
    *,
    reason: str,
    user_id: int | None,
    conversation_id: int | None,
    channel: str,
    outbox: Any = None,
) -> Any:
    """Submit a plan as one CREATE_DRAFT proposal (everything created PAUSED by the executor)."""
    proposer = sp.Proposer("user", str(user_id)) if user_id else sp.Proposer("agent", "strategist")
    proposal = sp.create_draft(account_external_id, spec, reason=reason, proposer=proposer)
    return submit(
        rt,
        workspace_id,
        account_pk,
        proposal,
        conversation_id=conversation_id,
        channel=channel,
        requested_by_user_id=user_id,
        outbox=outbox,  # the card shows in the turn that asked
    )
