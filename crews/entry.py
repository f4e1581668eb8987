"""Free text for the crew: pick the flow, post a status line, queue the run. Never runs it inline.

The core's fallback calls :func:`handle_freeform` when an LLM is configured.
The turn only decides (by code) which flow answers, reads any budget from the
user's words, stores a ``crew_runs`` row and enqueues ``jobs.crew.run_crew`` on
the "default" queue; the worker runs the CrewAI flow and answers in the same
chat. Nothing here imports CrewAI.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from bot.core.context import TurnContext
from bot.core.outbound import Destination
from bot.core.types import Channel, Reply
from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.intents import classify, parse_budget, parse_copy_count
from jobs.queue import QueueUnavailable
from mediabrain.i18n import major_to_minor
from storage.models import CrewRun

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
        params["total_budget"] = int(major_to_minor(budget, ctx.prefs.currency))
    elif kind == "copy":
        params["count"] = parse_copy_count(text)
    elif kind == "analyse":
        ctx.account()  # raises NoAdAccount: the core explains how to link one
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
                destination=destination_to_json(ctx.outbox.to),
                progress_ref=ref,
            )
        )
    from jobs.crew import run_crew

    try:
        ctx.rt.queue.enqueue(run_crew, run_id, queue="default", job_id=f"crew-{run_id}")
    except QueueUnavailable:
        with ctx.rt.db.session(ctx.workspace.id) as session:
            run = session.get(CrewRun, run_id)
            if run is not None:
                run.status = "failed"
        ctx.say(Reply(ctx.t("error.queue_down"), kind="error"))
        return None
    logger.info("crew run %s queued: flow=%s workspace=%s", run_id, kind, ctx.workspace.id)
    return run_id


def destination_to_json(to: Destination) -> dict[str, Any]:
    return {
        "channel": to.channel.value,
        "chat_id": to.chat_id,
        "thread_id": to.thread_id,
        "conversation_id": to.conversation_id,
        "workspace_id": to.workspace_id,
        "language": to.language,
        "last_inbound_at": to.last_inbound_at.isoformat() if to.last_inbound_at else None,
        "hints": dict(to.hints),
    }


def destination_from_json(data: dict[str, Any]) -> Destination:
    last = data.get("last_inbound_at")
    return Destination(
        channel=Channel(data["channel"]),
        chat_id=data["chat_id"],
        thread_id=data.get("thread_id") or "",
        conversation_id=data.get("conversation_id"),
        workspace_id=data.get("workspace_id"),
        language=data.get("language") or "pt-BR",
        last_inbound_at=datetime.fromisoformat(last) if last else None,
        hints=dict(data.get("hints") or {}),
    )
