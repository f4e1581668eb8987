"""Free questions: the Analyst answers with the conversation's memory and the read tools.

Not a CrewAI Flow of several steps, just one task; kept beside the flows so the
runner treats every kind of run alike. Worker-only.
"""

from __future__ import annotations

from crews.agents import make_agent
from crews.kit import CrewKit
from crews.tools import read_tools


def answer(kit: CrewKit, *, request: str, memory: str, learnings: str) -> str:
    with kit.timed("answer"):
        tools = read_tools(kit.tools) if kit.tools else []
        agent = make_agent(kit, "analyst", tools)
        task = kit.task(
            agent,
            "answer",
            None,
            values={"request": request, "memory": memory, "learnings": learnings},
        )
        output = kit.run([agent], [task])
    return str(output.raw).strip()
