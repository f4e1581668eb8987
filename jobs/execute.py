"""The execution job: run one approved proposal (queue "high", job id = the proposal id)."""

from __future__ import annotations

from supervisor.executor import execute
from vocabulary import trace
from vocabulary.runtime import get_runtime


def execute_proposal(proposal_id: str, workspace_id: int) -> str:
    """RQ entry point; the supervisor's executor makes a repeated run harmless."""
    with trace.working_on(proposal=proposal_id):  # every log line names the proposal
        return execute(get_runtime(), workspace_id, proposal_id)
