"""Free text for the crew: pick the flow, post a status line, queue the run. Never runs it inline.

The core's fallback calls :func:`handle_freeform` when an LLM is configured.
The turn only decides (by code) which flow answers, reads any budget from the
user's words, checks the rate limits and the daily LLM budget, stores a
``crew_runs`` row and enqueues ``jobs.crew.run_crew`` on its own "crew" queue (a
long run never holds up reports and approvals); the worker runs the CrewAI flow
and answers in the same chat. Nothing here imports CrewAI.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from bot.core.context import TurnContext
from bot.core.throttle import crew_gate
from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.intents import classify, parse_budget, parse_copy_count
from storage.models import CrewRun
from storage.money import major_to_whole_minor
from vocabulary.queue import QueueUnavailable
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)


def handle_freeform(ctx: TurnContext, text: str) -> str | None:
    """Queue the crew for ``text``; returns the run id (None when nothing was queued)."""
    if not ctx.rt.settings.llm_configured:
        ctx.say(Reply(ctx.t("crew.no_llm"), kind="notice"))
        return None
    kind = classify(text)
    params: dict[str, Any] = {}
    if kind == "plan":
        budget = parse_budget(text, ctx.lang)
        if budget is None:
            ctx.say(Reply(ctx.t("crew.need_budget")))
            return None
        params["total_budget"] = int(major_to_whole_minor(budget, ctx.prefs.currency))
    elif kind == "copy":
        params["count"] = parse_copy_count(text)
    elif kind == "analyse":
        ctx.account()  # raises NoAdAccount: the core explains how to link one
    if not crew_gate(ctx):  # rate limits and the daily LLM budget (issue 13): nothing queued
        return None
    run_id = str(uuid.uuid4())
    ref = ctx.say(Reply(ctx.t(f"crew.started.{kind}"), kind="progress", key=f"crew:{run_id}"))
    # The row is committed in its own session before the job can start (in-process jobs run now).
    with ctx.rt.db.session(ctx.workspace.id) as session:
        session.add(
            CrewRun(
                id=run_id,
                workspace_id=ctx.workspace.id,
                conversation_id=ctx.conversation.id,
                user_id=ctx.user.id,
                flow=kind,
                prompt_variant=ctx.prefs.prompt_variant or "default",
                model=ctx.rt.settings.llm_model or "",
                status="queued",
                request=text,
                params=params,
                destination=ctx.outbox.to.to_payload(),
                progress_ref=ref,
            )
        )
    try:
        ctx.rt.queue.enqueue("jobs.crew.run_crew", run_id, queue="crew", job_id=f"crew-{run_id}")
    except QueueUnavailable:
        with ctx.rt.db.session(ctx.workspace.id) as session:
            run = session.get(CrewRun, run_id)
            if run is not None:
                run.status = "failed"
        ctx.say(Reply(ctx.t("error.queue_down"), kind="error"))
        return None
    logger.info("crew run %s queued: flow=%s workspace=%s", run_id, kind, ctx.workspace.id)
    return run_id
