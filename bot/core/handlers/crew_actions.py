""" "Create as paused drafts": a stored plan becomes one CREATE_DRAFT proposal for the supervisor.

The button (``plan.create_drafts`` with the run id) and the typed "criar como
rascunho" (the conversation's latest plan) end here. A compare-and-set on the
run's status (done → drafting → drafted) makes a double click submit once.
Nothing here imports CrewAI or writes to an ad platform.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from sqlalchemy import update

from bot.core.context import TurnContext
from crews import messages  # noqa: F401  (registers the crew's messages)
from crews.drafts import draft_spec
from crews.models import CampaignPlan
from crews.proposals import submit_draft
from crews.render import PLAN_ACTION
from storage.models import AdAccount, CrewRun
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)


def on_plan_action(ctx: TurnContext, action: Action) -> None:
    """ActionRoute "plan.": the plan card's buttons."""
    if action.name == PLAN_ACTION:
        create_drafts(ctx, action.value)
        return
    ctx.say(Reply(ctx.t("error.unknown_action"), kind="error"))


def create_drafts_typed(ctx: TurnContext, args: Args) -> None:
    """Typed "criar como rascunho": the latest plan of this conversation."""
    run_id = (ctx.conversation.state or {}).get("last_plan")
    if not run_id:
        ctx.say(Reply(ctx.t("crew.plan.none")))
        return
    create_drafts(ctx, str(run_id))


def create_drafts(ctx: TurnContext, run_id: str) -> None:
    run = ctx.session.get(CrewRun, run_id)  # scoped: another workspace's run is not found
    if run is None or run.flow != "plan" or not (run.result or {}).get("plan"):
        ctx.say(Reply(ctx.t("crew.plan.none")))
        return
    if run.status in ("drafting", "drafted"):
        proposal = str((run.result or {}).get("draft_proposal") or "…")[:8]
        ctx.say(Reply(ctx.t("crew.plan.already", proposal=proposal)))
        return
    if not ctx.accounts():
        ctx.say(Reply(ctx.t("crew.plan.no_account"), kind="error"))
        return
    account = ctx.account()  # the one this chat works on
    if not _mark(ctx, run_id, "done", "drafting"):
        ctx.say(Reply(ctx.t("crew.plan.already", proposal="…")))
        return
    plan = CampaignPlan.model_validate(run.result["plan"])
    link_url, page_id = _destination_of_ads(ctx, account)
    spec = draft_spec(plan, link_url=link_url, page_id=page_id)
    try:
        submission = submit_draft(
            ctx.rt,
            ctx.workspace.id,
            account.id,
            account.external_id,
            spec,
            reason=_reason(plan, ctx.locale),
            user_id=ctx.user.id,
            conversation_id=ctx.conversation.id,
            channel=ctx.inbound.channel.value,
            outbox=ctx.outbox,
        )
    except Exception:
        _mark(ctx, run_id, "drafting", "done")
        raise
    verdict = str(submission.verdict)
    with ctx.rt.db.session(ctx.workspace.id) as session:
        stored = session.get(CrewRun, run_id)
        if stored is not None:
            stored.status = "drafted" if verdict != "deny" else "done"
            stored.result = {**(stored.result or {}), "draft_proposal": str(submission.proposal_id)}
    logger.info("plan %s: drafts proposal %s verdict %s", run_id, submission.proposal_id, verdict)
    key = (
        f"crew.plan.submitted.{verdict}"
        if verdict in ("allow", "approval", "deny")
        else ("crew.plan.submitted.approval")
    )
    ctx.say(
        Reply(
            ctx.t(key, proposal=str(submission.proposal_id)[:8], reason=submission.reason or ""),
            kind="error" if verdict == "deny" else "message",
        )
    )


def _destination_of_ads(ctx: TurnContext, account: AdAccount) -> tuple[str, str]:
    """Where the ads link to and which Facebook Page publishes them.

    From the workspace profile (``website``, ``page_id``); else what the account's
    ads already use (the most common link and Page).
    """
    profile = ctx.prefs.profile or {}
    link_url = str(profile.get("website") or "")
    page_id = str(profile.get("page_id") or "")
    if not link_url or not page_id:
        creatives = ctx.ads(account).list_creatives(account.external_id)
        links = [c.link_url for c in creatives if c.link_url]
        pages = [c.page_id for c in creatives if c.page_id]
        link_url = link_url or max(set(links), key=links.count, default="")
        page_id = page_id or max(set(pages), key=pages.count, default="")
    return link_url, page_id


def _mark(ctx: TurnContext, run_id: str, old: str, new: str) -> bool:
    with ctx.rt.db.session(ctx.workspace.id) as session:
        changed = session.execute(
            update(CrewRun).where(CrewRun.id == run_id, CrewRun.status == old).values(status=new)
        ).rowcount  # type: ignore[attr-defined]
    return bool(changed)


def _reason(plan: CampaignPlan, locale: Locale) -> str:
    """Why the drafts exist, in the workspace's words (cards and the history show it)."""
    brief = plan.brief
    objective = locale.t(f"crew.objective.{brief.objective}")
    if objective == f"crew.objective.{brief.objective}":
        objective = brief.objective
    return locale.t(
        "crew.plan.reason",
        name=brief.campaign_name,
        objective=objective,
        days=plan.duration_days,
        total=locale.money(Decimal(plan.total_budget), plan.currency),
        rationale=brief.rationale,
    )[:1000]
