"""The crew job: run one queued crew run in the worker (queue "crew").

Enqueued by ``bot.core.handlers.crew.handle_freeform``. CrewAI is imported inside the job
(by :mod:`crews.flows.runner`), never when this module is imported, so the web
process and the core router stay free of it.
"""

from __future__ import annotations

from vocabulary.runtime import get_runtime


def run_crew(run_id: str) -> str:
    # crewai: heavy (seconds to import), loaded by the flows only when a run starts
    from crews.flows.runner import execute

    return execute(get_runtime(), run_id)
