"""The execution job: run one approved proposal (queue "high", job id = the proposal id)."""

from __future__ import annotations

import logging

from bot.core.experiments.monitor import on_proposal
from supervisor.executor import execute
from vocabulary import trace
from vocabulary.runtime import get_runtime

logger = logging.getLogger(__name__)


def execute_proposal(proposal_id: str, workspace_id: int) -> str:
    """RQ entry point; the supervisor's executor makes a repeated run harmless.

    A/B tests' cards follow their proposals at once (created, running, with the Meta
    split test's id), not at the next daily run.
    """
    rt = get_runtime()
    with trace.working_on(proposal=proposal_id):  # every log line names the proposal
        state = execute(rt, workspace_id, proposal_id)
        try:
            on_proposal(rt, workspace_id, proposal_id)
        except Exception:
            logger.exception("proposal %s: could not update its A/B test's card", proposal_id)
        return state
