"""The crew's agents, built from the workspace's prompt variant: one LLM client each.

Strategist, Creative (a director plus format specialists: video, carousel,
stories, UGC, static image, chosen by the brief's formats), Copywriter,
Optimizer and Analyst. Worker-only: imports CrewAI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from crewai import Agent

if TYPE_CHECKING:
    from crewai.tools import BaseTool

    from crews.kit import CrewKit

AGENTS = ("strategist", "creative", "copywriter", "optimizer", "analyst")
FORMAT_AGENTS = {
    "video": "creative_video",
    "carousel": "creative_carousel",
    "stories": "creative_stories",
    "ugc": "creative_ugc",
    "image": "creative_image",
}
#: Reason-act steps per task before CrewAI asks for a final answer.
MAX_ITER = 8


def make_agent(kit: CrewKit, key: str, tools: Sequence[BaseTool] = ()) -> Agent:
    prompt = kit.prompts.agent(key)
    agent = Agent(
        role=prompt.role,
        goal=prompt.goal,
        backstory=prompt.backstory,
        llm=kit.llm_for(key),
        tools=list(tools),
        verbose=False,
        allow_delegation=False,
        max_iter=MAX_ITER,
    )
    kit.roles[agent.role] = key
    return agent


def format_agent(kit: CrewKit, fmt: str) -> Agent:
    """The Creative's specialist for one format (video, carousel, stories, ugc, image)."""
    return make_agent(kit, FORMAT_AGENTS[fmt])
