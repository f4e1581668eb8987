"""Run one queued crew run: load its context, run the flow, answer, remember, account.

Called by ``jobs.crew.run_crew`` in the worker. Claims the ``crew_runs`` row
(queued → running, once), builds what the agents get (workspace profile and
prompt variant, the conversation's memory, relevant learnings, tools bound to
the workspace's ad account), streams progress to the chat, sends the result,
stores learnings and token usage. Worker-only: imports CrewAI.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from analytics.history import account_days, object_days
from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.audience import personas_context
from crews.copy_context import copy_context
from crews.flows.analyse import AnalyseFlow
from crews.flows.answer import answer
from crews.flows.copy import CopyFlow
from crews.flows.plan import PlanFlow
from crews.kit import CrewKit
from crews.learnings import learnings_block, relevant_learnings, store_many, tested_learnings
from crews.llm import LLMNotConfigured
from crews.llm_cap import check as cap_check
from crews.llm_cap import exceeded, reached_message
from crews.offline import load_crewai
from crews.profile import AccountRef, Profile, memory_block
from crews.progress import Binding, ProgressReporter, reporting
from crews.prompts import as_data, load_prompts
from crews.render import analysis_reply, copy_reply, plan_reply
from crews.tools import ToolKit
from crews.usage import record_usage
from storage.clock import utcnow
from storage.memory import ConversationMemory, recall
from storage.models import AdAccount, Conversation, CrewRun, Workspace
from storage.repositories import workspace_settings
from vocabulary.destinations import Destination
from vocabulary.errors import new_ref
from vocabulary.i18n import Locale
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from crews.kit import CrewKit
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass
class RunContext:
    run_id: str
    workspace_id: int
    conversation_id: int | None
    user_id: int | None
    flow: str
    request: str
    params: dict[str, Any]
    to: Destination
    progress_ref: str | None
    profile: Profile
    memory: str
    learnings: str
    account: AccountRef | None


def execute(rt: Runtime, run_id: str) -> str:
    """Run the crew run ``run_id``; returns its final status ("done", "failed", "skipped")."""
    if not _claim(rt, run_id):
        logger.info("crew run %s: not queued any more, skipping", run_id)
        return "skipped"
    load_crewai(rt.settings)  # before anything imports CrewAI: its switches are read at import
    try:
        run = _load(rt, run_id)
    except Exception:
        ref = new_ref()
        logger.exception("crew run %s could not be loaded ref=%s", run_id, ref)
        _finish(rt, run_id, "failed", error_ref=ref)
        raise
    reporter = ProgressReporter(rt, run.to, run_id, ref=run.progress_ref)
    if _over_daily_cap(rt, run, reporter):
        return "failed"
    kit: CrewKit | None = None
    try:
        if not rt.settings.llm_configured:
            raise LLMNotConfigured("MEDIABRAIN_LLM_MODEL is not set in the worker")
        kit = _kit(rt, run, reporter)
        with reporting(Binding(reporter, kit.roles)):
            reply, result = _dispatch(rt, run, kit)
        # Stored before it is shown, so the plan's button always finds its plan.
        _finish(rt, run_id, "done", result=result, variant=kit.prompts.name)
        reporter.finish(reporter.t("crew.progress.done"))
        _deliver(rt, run, reply)
        if run.params.get("refresh"):  # a tired creative's fresh copy: test it (issue 16)
            rt.queue.enqueue("jobs.experiments.refresh_test", run.workspace_id, run_id)
        return "done"
    except LLMNotConfigured:
        logger.warning("crew run %s: no LLM configured in the worker", run_id)
        reporter.finish(reporter.t("crew.progress.failed", ref="LLM"))
        _deliver(rt, run, Reply(reporter.t("crew.no_llm"), kind="error"))
        _finish(rt, run_id, "failed", error_ref="no-llm")
        return "failed"
    except Exception:
        ref = new_ref()
        logger.exception("crew run %s failed ref=%s", run_id, ref)
        reporter.finish(reporter.t("crew.progress.failed", ref=ref))
        _deliver(rt, run, Reply(reporter.t("crew.failed", ref=ref), kind="error"))
        _finish(rt, run_id, "failed", error_ref=ref)
        raise
    finally:
        if kit is not None:
            _account_usage(rt, run, kit)


def _over_daily_cap(rt: Runtime, run: RunContext, reporter: ProgressReporter) -> bool:
    """The daily LLM budget, again at the start: runs queued before it was reached stop here."""
    with rt.db.session(run.workspace_id) as session:
        prefs = workspace_settings(session, run.workspace_id)
        cap, used = cap_check(session, prefs, rt.settings, utcnow())
    if not exceeded(cap, used):
        return False
    logger.info("crew run %s: the workspace's daily LLM cap is reached", run.run_id)
    message = reached_message(cap, used, reporter.locale)
    reporter.finish(reporter.t("crew.progress.failed", ref="LLM"))
    _deliver(rt, run, Reply(message, kind="notice"))
    _finish(rt, run.run_id, "failed", error_ref="llm-cap")
    return True


# --- claiming and loading ------------------------------------------------------------------


def _claim(rt: Runtime, run_id: str) -> bool:
    with rt.db.session() as session:
        claimed = session.execute(
            update(CrewRun)
            .where(CrewRun.id == run_id, CrewRun.status == "queued")
            .values(
                status="running",
                started_at=utcnow(),
                # past the job's timeout the worker is gone: jobs/reconcile.py settles the run
                lease_until=utcnow() + timedelta(seconds=rt.settings.job_timeout_seconds + 60),
            )
        ).rowcount  # type: ignore[attr-defined]
    return bool(claimed)


def _load(rt: Runtime, run_id: str) -> RunContext:
    with rt.db.session() as session:
        workspace_id = session.scalar(select(CrewRun.workspace_id).where(CrewRun.id == run_id))
    assert workspace_id is not None
    with rt.db.session(workspace_id) as session:
        run = session.get(CrewRun, run_id)
        assert run is not None
        workspace = session.get(Workspace, workspace_id)
        prefs = workspace_settings(session, workspace_id)
        profile = Profile.of(workspace, prefs)  # type: ignore[arg-type]
        to = Destination.from_payload(run.destination)
        memory = ""
        conversation = None
        remembered = None
        if run.conversation_id is not None:
            conversation = session.get(Conversation, run.conversation_id)
            if conversation is not None:
                context = ConversationMemory(
                    session, conversation, keep_turns=rt.settings.memory_turns
                ).context()
                memory = context.as_prompt()
                if run.user_id is not None:  # the person's own memory (tone, account) first
                    remembered = recall(session, conversation, run.user_id)
                    memory = "\n".join(p for p in (remembered.as_prompt(), memory) if p)
        learned = relevant_learnings(
            session, workspace_id, industry=profile.industry, objective=profile.objective
        )
        # Measured A/B results first, with their numbers (issue 16).
        tested = tested_learnings(session, workspace_id)
        learned = tested + [row for row in learned if row not in tested]
        accounts = list(
            session.scalars(
                select(AdAccount)
                .where(AdAccount.workspace_id == workspace_id)
                .order_by(AdAccount.id)
            )
        )
        chosen = remembered.account_pk if remembered is not None else None
        if chosen is None and conversation is not None:
            chosen = (conversation.state or {}).get("account")
        account = next((a for a in accounts if a.id == chosen), accounts[0] if accounts else None)
        account_ref = (
            AccountRef(
                pk=account.id,
                external_id=account.external_id,
                name=account.name,
                currency=account.currency,
                timezone=account.timezone,
            )
            if account is not None and account.token_status != "invalid"
            else None
        )
        return RunContext(
            run_id=run_id,
            workspace_id=workspace_id,
            conversation_id=run.conversation_id,
            user_id=run.user_id,
            flow=run.flow,
            request=run.request,
            params=dict(run.params or {}),
            to=to,
            progress_ref=run.progress_ref,
            profile=profile,
            memory=memory_block(memory),
            learnings=learnings_block(learned),
            account=account_ref,
        )


def _kit(rt: Runtime, run: RunContext, reporter: ProgressReporter) -> CrewKit:
    prompts = load_prompts(run.profile.prompt_variant, run.profile.template_values(run.to.language))
    tools = (
        ToolKit(
            rt=rt,
            workspace_id=run.workspace_id,
            account=run.account,
            conversation_id=run.conversation_id,
            channel=run.to.channel.value,
            user_id=run.user_id,
        )
        if run.account is not None
        else None
    )
    return CrewKit(rt.settings, run.profile, prompts, reporter, tools)


# --- the flows ---------------------------------------------------------------------------------


def _dispatch(rt: Runtime, run: RunContext, kit: CrewKit) -> tuple[Reply, dict[str, Any]]:
    request = as_data("user_message", run.request)
    locale = Locale(run.to.language, run.profile.timezone)
    if run.flow == "plan":
        flow = PlanFlow(kit)
        flow.state.request = request
        flow.state.raw_request = run.request
        flow.state.memory = run.memory
        # Who buys (issue 17): the account's personas next to the learnings, as data.
        personas = personas_context(rt, run.workspace_id, run.account.pk if run.account else None)
        flow.state.learnings = f"{run.learnings}\n{personas}" if personas else run.learnings
        flow.state.total_budget = int(run.params["total_budget"])
        flow.state.account_days = settled_days(rt, run)
        flow.kickoff()
        plan = flow.build_plan()
        result = {
            "plan": plan.model_dump(mode="json"),
            "history": flow.state.history,
            "timeline": _timeline(kit),
            "tool_calls": _tool_calls(kit),
        }
        _remember_plan(rt, run)
        return plan_reply(plan, run.run_id, locale), result
    if run.flow == "analyse":
        flow_a = AnalyseFlow(kit)
        flow_a.state.request = request
        flow_a.state.memory = run.memory
        flow_a.state.learnings = run.learnings
        flow_a.kickoff()
        analysis, recommendations = flow_a.state.analysis, flow_a.state.recommendations
        assert analysis is not None
        proposals = [vars(p) for p in kit.tools.proposals] if kit.tools else []
        stored = store_many(
            rt,
            run.workspace_id,
            analysis.learnings,
            kind="campaign",
            industry=run.profile.industry,
            objective=run.profile.objective,
            source=f"run:{run.run_id}",
        )
        logger.info("crew run %s: %s learnings stored", run.run_id, stored)
        result = {
            "analysis": analysis.model_dump(mode="json"),
            "recommendations": recommendations.model_dump(mode="json") if recommendations else None,
            "proposals": proposals,
            "rejected": kit.tools.rejected if kit.tools else [],
            "tool_calls": _tool_calls(kit),
            "timeline": _timeline(kit),
        }
        currency = run.account.currency if run.account else run.profile.currency
        return analysis_reply(analysis, recommendations, proposals, currency, locale), result
    if run.flow == "copy":
        flow_c = CopyFlow(kit)
        flow_c.state.request = request
        # Copy for a named campaign reads that campaign's ads and results first (issue 16).
        named = copy_context(
            rt, run.account.pk if run.account else None, run.workspace_id, run.request
        )
        if named:  # the account's ad texts: data, never instructions
            named = as_data("campaign_ads", named)
        flow_c.state.learnings = "\n".join(p for p in (named, run.learnings) if p)
        flow_c.state.count = int(run.params.get("count", 5))
        flow_c.kickoff()
        copies = flow_c.state.copies
        assert copies is not None
        _remember(
            rt, run, "last_copy", copies.model_dump(mode="json")
        )  # "testar essas 3 variações"
        return copy_reply(copies.variations, locale), {
            "copies": copies.model_dump(mode="json"),
            "timeline": _timeline(kit),
        }
    text = answer(kit, request=request, memory=run.memory, learnings=run.learnings)
    return Reply(text), {"answer": text, "timeline": _timeline(kit)}


def _timeline(kit: CrewKit) -> list[dict[str, str]]:
    return [
        {
            "step": t.step,
            "thread": t.thread,
            "started": t.started.isoformat(),
            "finished": t.finished.isoformat(),
        }
        for t in kit.timeline
    ]


def _tool_calls(kit: CrewKit) -> list[dict[str, Any]]:
    """What the tools actually ran with (after schema validation), for audit and tests."""
    return [{"tool": name, "args": args} for name, args in kit.tools.calls] if kit.tools else []


def _remember_plan(rt: Runtime, run: RunContext) -> None:
    """The conversation's latest plan, so a typed "criar como rascunho" finds it."""
    if run.conversation_id is None:
        return
    with rt.db.session(run.workspace_id) as session:
        conversation = session.get(Conversation, run.conversation_id)
        if conversation is not None:
            conversation.state = {**(conversation.state or {}), "last_plan": run.run_id}


def _remember(rt: Runtime, run: RunContext, key: str, value: Any) -> None:
    """Keep ``value`` in the conversation's state under ``key`` (the last copy answer)."""
    if run.conversation_id is None:
        return
    with rt.db.session(run.workspace_id) as session:
        conversation = session.get(Conversation, run.conversation_id)
        if conversation is not None:
            conversation.state = {**(conversation.state or {}), key: value}


# --- answering and bookkeeping -----------------------------------------------------------------


def _deliver(rt: Runtime, run: RunContext, reply: Reply) -> None:
    try:
        rt.sender(run.to.channel).send(run.to, reply)
    except Exception:
        logger.exception("crew run %s: delivering the answer failed", run.run_id)
    if run.conversation_id is None:
        return
    with rt.db.session(run.workspace_id) as session:
        conversation = session.get(Conversation, run.conversation_id)
        if conversation is not None:
            memory = ConversationMemory(session, conversation, keep_turns=rt.settings.memory_turns)
            memory.add(
                "assistant", reply.text, payload={"kind": reply.kind, "crew_run": run.run_id}
            )


def _finish(
    rt: Runtime,
    run_id: str,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    variant: str | None = None,
    error_ref: str | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "lease_until": None}
    if result is not None:
        values["result"] = result
    if variant is not None:
        values["prompt_variant"] = variant
    if error_ref is not None:
        values["error_ref"] = error_ref
    with rt.db.session() as session:
        session.execute(update(CrewRun).where(CrewRun.id == run_id).values(**values))


def _account_usage(rt: Runtime, run: RunContext, kit: CrewKit) -> None:
    try:
        prompt, completion = kit.tokens()
        record_usage(
            rt,
            workspace_id=run.workspace_id,
            conversation_id=run.conversation_id,
            flow=run.flow,
            prompt_variant=kit.prompts.name,
            model=rt.settings.llm_model or "",
            prompt_tokens=prompt,
            completion_tokens=completion,
        )
    except Exception:
        logger.exception("crew run %s: usage could not be recorded", run.run_id)


#: Settled days of the account the plan's forecast reads.
FORECAST_DAYS = 42


def settled_days(rt: Runtime, run: RunContext) -> list[dict[str, Any]]:
    """The account's settled days (and campaigns spending each day), for the models' forecast."""
    if run.account is None:
        return []
    today = rt.now().astimezone(ZoneInfo(run.account.timezone)).date()
    since = today - timedelta(days=FORECAST_DAYS)
    with rt.db.session(run.workspace_id) as session:
        days = account_days(session, run.account.pk, since, today - timedelta(days=1))
        campaigns = Counter(
            row.day
            for row in object_days(session, run.account.pk, since, today, level="campaign")
            if row.totals.spend > 0
        )
    return [
        {
            "spend": int(d.totals.spend),
            "impressions": d.totals.impressions,
            "clicks": d.totals.clicks,
            "conversions": float(d.totals.conversions),
            "revenue": int(d.totals.revenue),
            "campaigns": campaigns.get(d.day, 1),
        }
        for d in days
        if not d.provisional
    ]
