"""Everything one crew run shares: prompts, tools, LLM clients, timings and token counts.

A flow step is a small CrewAI ``Crew`` (one agent and task, or the Creative's
specialists and director) whose last task must validate as a pydantic model.
Each agent gets its own LLM client so token usage per run is exact even when
steps run in parallel threads. Worker-only: imports CrewAI.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from crewai import Agent, Crew, Process, Task
from pydantic import BaseModel

from crews.guardrails import Check, parse_output, typed
from crews.llm import build_llm
from crews.prompts import PromptSet
from storage.clock import utcnow

if TYPE_CHECKING:
    from crews.profile import Profile
    from crews.progress import ProgressReporter
    from crews.tools import ToolKit
    from vocabulary.settings import Settings

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
#: Times an agent may redo an answer that does not validate.
GUARDRAIL_RETRIES = 2


@dataclass(frozen=True)
class StepTiming:
    step: str
    thread: str
    started: datetime
    finished: datetime


def schema_hint(model: type[BaseModel]) -> str:
    schema = json.dumps(model.model_json_schema(), ensure_ascii=False, separators=(",", ":"))
    return f"Answer with one JSON object only, valid against this JSON schema: {schema}"


class CrewKit:
    def __init__(
        self,
        settings: Settings,
        profile: Profile,
        prompts: PromptSet,
        progress: ProgressReporter,
        tools: ToolKit | None = None,
        *,
        llm_factory: Callable[[Settings], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.profile = profile
        self.prompts = prompts
        self.progress = progress
        self.tools = tools
        self.llm_factory = llm_factory or build_llm
        self.roles: dict[str, str] = {}
        self.timeline: list[StepTiming] = []
        self._llms: dict[str, Any] = {}
        self._lock = threading.Lock()

    # --- LLM clients and their token counts --------------------------------------------------

    def llm_for(self, agent_key: str) -> Any:
        """The LLM client of one agent, reused across rounds (building one costs ~0.1 s).

        Steps that run in parallel belong to different agents, so no client is
        shared across threads and each one's token counter stays exact.
        """
        with self._lock:
            llm = self._llms.get(agent_key)
            if llm is None:
                llm = self._llms[agent_key] = self.llm_factory(self.settings)
            return llm

    def tokens(self) -> tuple[int, int]:
        """(prompt, completion) tokens used by every client of this run so far."""
        prompt = completion = 0
        with self._lock:
            for llm in self._llms.values():
                usage = llm.get_token_usage_summary()
                prompt += int(usage.prompt_tokens)
                completion += int(usage.completion_tokens)
        return prompt, completion

    # --- steps ------------------------------------------------------------------------------

    def task(
        self,
        agent: Agent,
        key: str,
        model: type[BaseModel] | None,
        *,
        values: dict[str, str] | None = None,
        check: Check | None = None,
        context: Sequence[Task] | None = None,
        async_execution: bool = False,
    ) -> Task:
        prompt = self.prompts.task(key, **(values or {}))
        kwargs: dict[str, Any] = {
            "name": key,
            "description": prompt.description,
            "expected_output": prompt.expected_output,
            "agent": agent,
            "async_execution": async_execution,
        }
        if model is not None:
            # Our guardrail parses and validates (with feedback the agent can act on);
            # CrewAI's output_pydantic would turn on the provider's structured output,
            # where one over-long headline fails the whole run instead of a retry.
            kwargs["expected_output"] = f"{prompt.expected_output}\n\n{schema_hint(model)}"
            kwargs.update(guardrail=typed(model, check), guardrail_max_retries=GUARDRAIL_RETRIES)
        if context is not None:
            kwargs["context"] = list(context)
        return Task(**kwargs)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Record when a flow step (agents built, crew run, output checked) ran, and on which thread."""
        started = utcnow()
        try:
            yield
        finally:
            timing = StepTiming(step, threading.current_thread().name, started, utcnow())
            with self._lock:
                self.timeline.append(timing)
            logger.info(
                "crew step %s: %.2fs on %s",
                step,
                (timing.finished - timing.started).total_seconds(),
                timing.thread,
            )

    def run(self, agents: Sequence[Agent], tasks: Sequence[Task]) -> Any:
        """Kick off a small sequential crew (no CrewAI memory: ours lives in the database)."""
        crew = Crew(
            agents=list(agents),
            tasks=list(tasks),
            process=Process.sequential,
            verbose=False,
            memory=False,
        )
        return crew.kickoff()

    def typed_step(
        self,
        agent: Agent,
        task_key: str,
        model: type[M],
        *,
        values: dict[str, str] | None = None,
        check: Check | None = None,
    ) -> M:
        task = self.task(agent, task_key, model, values=values, check=check)
        return self.result(self.run([agent], [task]), model)

    @staticmethod
    def result(output: Any, model: type[M]) -> M:
        value = getattr(output, "pydantic", None)
        if isinstance(value, model):
            return value
        return parse_output(model, str(getattr(output, "raw", output)))
