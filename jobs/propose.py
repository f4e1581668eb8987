"""Scheduled jobs hand every suggested change to the supervisor; this is that one door.

The supervisor judges each proposal with fresh context: ``allow`` runs it at
once (e.g. pausing spend beyond the monthly limit), ``approval`` records it
pending and sends the approval card to the approvers' chats (where it updates
in place when someone decides), ``deny`` records why it will never run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from supervisor.cards import card_for
from supervisor.delivery import record_card
from supervisor.submit import submit
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from supervisor.proposals import ActionProposal
    from vocabulary.destinations import Destination
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Proposed:
    id: str
    verdict: str  # allow | approval | deny
    state: str  # pending | approved | executed | denied | ...
    reason: str = ""  # plain English, for logs


def propose(
    rt: Runtime, workspace_id: int, account_pk: int, proposal: ActionProposal
) -> Proposed | None:
    """Submit ``proposal``; None when the supervisor could not take it (logged, never raised)."""
    try:
        result = submit(rt, workspace_id, account_pk, proposal)
    except Exception:
        logger.exception(
            "proposal %s %s from %s could not be submitted",
            proposal.kind,
            proposal.target_id,
            proposal.proposer.actor,
        )
        return None
    return Proposed(result.proposal_id, result.verdict, result.state, result.reason)


def card(rt: Runtime, proposal_id: str, locale: Locale) -> Reply | None:
    """The proposal's approval card as it stands now."""
    try:
        return card_for(rt, proposal_id, locale)
    except LookupError:
        return None


def show_card(rt: Runtime, workspace_id: int, proposal_id: str, to: Destination) -> None:
    """Send the proposal's card to ``to`` and remember it, so later outcomes update it in place."""
    shown = card(rt, proposal_id, Locale(language=to.language))
    if shown is None:
        return
    ref = send(rt, to, shown)
    if ref:
        record_card(
            rt,
            workspace_id,
            proposal_id,
            conversation_id=to.conversation_id,
            ref=ref,
            language=to.language,
        )
