"""Flow "write copy": headline and primary-text variations within Meta's limits.

The Copywriter writes in the workspace's language and tone; the typed guardrail
rejects any variation over the limits (headline 40, primary text 125,
description 30 characters) and sends the agent back to rewrite it. Worker-only.
"""

from __future__ import annotations

from crewai.flow.flow import Flow, start
from pydantic import BaseModel

from crews.agents import make_agent
from crews.kit import CrewKit
from crews.models import CopySet


class CopyState(BaseModel):
    request: str = ""
    learnings: str = ""
    count: int = 5
    copies: CopySet | None = None


class CopyFlow(Flow[CopyState]):
    _skip_auto_memory: bool = True

    def __init__(self, kit: CrewKit) -> None:
        super().__init__(suppress_flow_events=True)
        self.kit = kit

    @start()
    def copywriter(self) -> CopySet:
        kit, state = self.kit, self.state
        with kit.timed("write_copy"):
            agent = make_agent(kit, "copywriter")
            state.copies = kit.typed_step(
                agent,
                "write_copy",
                CopySet,
                values={
                    "request": state.request,
                    "learnings": state.learnings,
                    "count": str(state.count),
                },
            )
        return state.copies
