"""Progress in the chat while the crew works: CrewAI's event bus → throttled status lines.

One status message per run (``Reply(kind="progress", key="crew:<run id>")``):
edited in place where the channel can, else a few short new lines. How often and
how detailed comes from the sender's :class:`~vocabulary.outbox.Capabilities`.
An agent's line that comes too soon is held, never dropped: the next delivery
(the next event, or a timer when the pace allows) shows every held agent's latest
line merged, one line per agent, so parallel agents all appear. Identical lines are
not repeated, so a chat is never flooded. Events reach the right run through a
context variable that CrewAI copies into every thread it starts.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crews import messages  # noqa: F401  (registers the crew's messages)
from vocabulary.destinations import Destination
from vocabulary.i18n import Locale
from vocabulary.outbox import Capabilities
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


AGENT_ICONS = {
    "strategist": "🧭",
    "creative": "🎨",
    "creative_video": "🎬",
    "creative_carousel": "🎠",
    "creative_stories": "📱",
    "creative_ugc": "🤳",
    "creative_image": "🖼️",
    "copywriter": "✍️",
    "optimizer": "⚙️",
    "analyst": "📊",
}


class ProgressReporter:
    """Sends (or edits) one run's status message, at most once per ``progress_interval``."""

    def __init__(
        self,
        rt: Runtime,
        to: Destination,
        run_id: str,
        *,
        ref: str | None = None,
        capabilities: Capabilities | None = None,
        clock: Callable[[], float] = time.monotonic,
        schedule: Callable[[float, Callable[[], None]], None] | None = None,
    ) -> None:
        self.rt = rt
        self.to = to
        self.key = f"crew:{run_id}"
        self.ref = ref
        self.can: Capabilities = capabilities or _capabilities(rt, to)
        self.locale = Locale(language=to.language)
        self.clock = clock
        self.sent: list[str] = []  # lines delivered, for logs and tests
        self.held = 0  # lines that came too soon and waited to be merged into a later one
        self._last_line: str | None = None
        self._last_at: float | None = None
        self._closed = False
        self._lock = threading.Lock()
        #: Each agent's latest line not shown yet, in the order the agents first spoke.
        self._pending: dict[str, str] = {}
        self._schedule = schedule or _timer
        self._flush_scheduled = False

    def t(self, key: str, **params: Any) -> str:
        return self.locale.t(key, **params)

    def line(self, text: str, *, force: bool = False) -> bool:
        """Show ``text`` as the run's status; False when throttled, a duplicate or closed."""
        with self._lock:
            if self._closed or text == self._last_line:
                return False
            if not force and self._too_soon():
                return False
            self._show(text)
            return True

    def agent_line(self, agent: str, text: str) -> bool:
        """One agent's status: shown now merged with what other agents said meanwhile, or
        held until the pace allows (never dropped). False when held or closed."""
        with self._lock:
            if self._closed:
                return False
            self._pending.pop(agent, None)
            self._pending[agent] = text
            if self._too_soon():
                self.held += 1
                self._flush_later()
                return False
            return self._show_pending()

    def flush(self) -> None:
        """Show what is held, if the pace allows now (the timer's callback)."""
        with self._lock:
            self._flush_scheduled = False
            if self._closed or not self._pending:
                return
            if self._too_soon():
                self._flush_later()
                return
            self._show_pending()

    def _too_soon(self) -> bool:
        return (
            self._last_at is not None and self.clock() - self._last_at < self.can.progress_interval
        )

    def _flush_later(self) -> None:
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        waited = self.clock() - (self._last_at or self.clock())
        self._schedule(max(0.05, self.can.progress_interval - waited), self.flush)

    def _show_pending(self) -> bool:
        text = "\n".join(self._pending.values())
        self._pending.clear()
        if text == self._last_line:
            return False
        self._show(text)
        return True

    def _show(self, text: str) -> None:
        self._last_line, self._last_at = text, self.clock()
        self._deliver(text)

    def finish(self, text: str) -> None:
        """The last status line (done or failed); later events are ignored.

        Where lines cannot be edited the answer (or the error) that follows says it all.
        """
        if self.can.edits_in_place:
            self.line(text, force=True)
        else:
            with self._lock:  # held lines of agents nobody saw yet go out before the answer
                if self._pending and not self._closed:
                    self._show_pending()
        with self._lock:
            self._closed = True
            self._pending.clear()

    def _deliver(self, text: str) -> None:
        reply = Reply(text, kind="progress", key=self.key)
        try:
            sender = self.rt.sender(self.to.channel)
            if self.ref and self.can.edits_in_place:
                sender.update(self.to, self.ref, reply)
            else:
                self.ref = sender.send(self.to, reply) or self.ref
            self.sent.append(text)
        except Exception:
            # Progress is a courtesy: a failed status edit must never fail the run.
            logger.warning("progress %s: delivery failed", self.key, exc_info=True)

    # --- what the crew is doing -----------------------------------------------------------

    def agent_started(self, agent: str) -> None:
        self.agent_line(
            agent,
            self.t(
                "crew.progress.agent",
                icon=AGENT_ICONS.get(agent, "🤖"),
                agent=self.t(f"crew.agent.{agent}"),
            ),
        )

    def tool_started(self, agent: str, tool: str) -> None:
        if not self.can.progress_steps:
            return
        self.agent_line(
            agent,
            self.t(
                "crew.progress.tool",
                agent=self.t(f"crew.agent.{agent}"),
                tool=self.tool_label(tool),
            ),
        )

    def task_done(self, agent: str) -> None:
        if not self.can.progress_steps:
            return
        self.agent_line(
            agent, self.t("crew.progress.task_done", agent=self.t(f"crew.agent.{agent}"))
        )

    def tool_label(self, tool: str) -> str:
        label = self.t(f"crew.tool.{tool}")
        return tool if label == f"crew.tool.{tool}" else label


def _timer(delay: float, callback: Callable[[], None]) -> None:
    timer = threading.Timer(delay, callback)
    timer.daemon = True  # a held status line must never keep a worker alive
    timer.start()


def _capabilities(rt: Runtime, to: Destination) -> Capabilities:
    try:
        return rt.sender(to.channel).capabilities
    except Exception:
        # Progress is a courtesy: a channel that cannot be reached now gets the defaults.
        logger.warning("progress: no sender for %s; default pacing", to.channel, exc_info=True)
        return Capabilities()


# --- event bus → the reporter of the run that emitted the event ------------------------------


@dataclass
class Binding:
    reporter: ProgressReporter
    roles: dict[str, str] = field(default_factory=dict)  # agent role text → agent key

    def key_of(self, role: str | None) -> str:
        return self.roles.get(role or "", "crew")


_current: contextvars.ContextVar[Binding | None] = contextvars.ContextVar(
    "mediabrain_crew_progress", default=None
)
_install_lock = threading.Lock()
_installed = False


def install() -> None:
    """Register the event handlers once per process (they route by the context variable)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        # crewai: heavy (seconds to import); worker side only
        from crewai.events import (
            AgentExecutionStartedEvent,
            TaskCompletedEvent,
            ToolUsageStartedEvent,
            crewai_event_bus,
        )

        @crewai_event_bus.on(AgentExecutionStartedEvent)
        def _agent_started(source: Any, event: Any) -> None:
            binding = _current.get()
            if binding is not None:
                binding.reporter.agent_started(binding.key_of(getattr(event.agent, "role", None)))

        @crewai_event_bus.on(ToolUsageStartedEvent)
        def _tool_started(source: Any, event: Any) -> None:
            binding = _current.get()
            if binding is not None:
                binding.reporter.tool_started(binding.key_of(event.agent_role), event.tool_name)

        @crewai_event_bus.on(TaskCompletedEvent)
        def _task_done(source: Any, event: Any) -> None:
            binding = _current.get()
            if binding is not None:
                binding.reporter.task_done(binding.key_of(getattr(event.output, "agent", None)))

        _installed = True


@contextmanager
def reporting(binding: Binding) -> Iterator[Binding]:
    """Route this context's CrewAI events to ``binding`` until the block ends."""
    install()
    token = _current.set(binding)
    try:
        yield binding
    finally:
        # crewai: heavy (seconds to import); worker side only
        from crewai.events import crewai_event_bus

        crewai_event_bus.flush(timeout=10)  # late handlers must not overtake the answer
        _current.reset(token)
