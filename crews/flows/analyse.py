"""Flow "analyse performance": the Analyst reads real numbers, the Optimizer proposes.

The Analyst explains, in plain words, what the account's insights say (through
the read tools: numbers come from code); the Optimizer turns that into
proposals through ``propose_action`` (bounded, submitted to the supervisor;
nothing changes until a human approves). Worker-only.
"""

from __future__ import annotations

from crewai.flow.flow import Flow, listen, start
from pydantic import BaseModel

from crews.agents import make_agent
from crews.kit import CrewKit
from crews.models import Analysis, Recommendations
from crews.prompts import as_data
from crews.tools import optimizer_tools, read_tools


class AnalyseState(BaseModel):
    request: str = ""
    memory: str = ""
    learnings: str = ""
    analysis: Analysis | None = None
    recommendations: Recommendations | None = None


class AnalyseFlow(Flow[AnalyseState]):
    _skip_auto_memory: bool = True

    def __init__(self, kit: CrewKit) -> None:
        super().__init__(suppress_flow_events=True)
        if kit.tools is None:
            raise ValueError("analysis needs an ad account")
        self.kit = kit

    @start()
    def analyst(self) -> Analysis:
        kit, state = self.kit, self.state
        assert kit.tools is not None
        with kit.timed("analyse"):
            agent = make_agent(kit, "analyst", read_tools(kit.tools))
            state.analysis = kit.typed_step(
                agent,
                "analyse",
                Analysis,
                values={
                    "request": state.request,
                    "memory": state.memory,
                    "learnings": state.learnings,
                },
            )
        return state.analysis

    @listen(analyst)
    def optimizer(self) -> Recommendations:
        kit, state = self.kit, self.state
        assert kit.tools is not None and state.analysis is not None
        with kit.timed("recommend"):
            agent = make_agent(kit, "optimizer", optimizer_tools(kit.tools))
            state.recommendations = kit.typed_step(
                agent,
                "recommend",
                Recommendations,
                values={"analysis": as_data("analysis", state.analysis.model_dump_json())},
            )
        return state.recommendations
