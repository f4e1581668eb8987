"""Nightly optimization (23:00 local) and the morning digest (08:00 local).

At night the brain (:mod:`analytics.brain`) reads the account's history: a
response curve per budget holder, the attribution-lag nowcast for provisional
days, the evidence, fatigue, the month against its limit; it decides which
budgets to scale, trim, reallocate or cut and what to pause, judged on
contribution profit; across platforms, which daily budget to move from one platform's
campaign to another's (:mod:`jobs.optimize_moves`). The plan waits in the night's run
record; in the morning the digest shows it and each decision becomes a proposal through the
supervisor, its card carrying the figures behind it. When an LLM is configured the crew adds
a short explanation of the plan (the figures stay the models').
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

import vocabulary.schedule_messages  # noqa: F401  (registers this package's messages)
from ads.base import Level, Status
from ads.errors import AdsError
from analytics.brain.account import plan_for
from analytics.brain.wording import decision_lines
from analytics.brain.workspace import MAX_PEERS, peers_of
from analytics.sync import ensure_fresh
from bot.core.experiments import fatigue
from crews.flows.explain import explain_optimization
from jobs import runs
from jobs.optimize_moves import move_line, move_proposal, night_moves
from jobs.propose import propose, show_card
from jobs.reports import load_account
from jobs.shadow_rules import watch_rules
from storage.models import AdAccount, RunRecord
from storage.repositories import workspace_settings
from supervisor.lifecycle import expire_stale
from supervisor.proposals import Proposer, pause, set_budget
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.recipients import DIGEST, recipients
from vocabulary.replies import Reply
from vocabulary.untrusted import inert

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from supervisor.proposals import ActionProposal
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: The crew's explanation on the digest: one quoted line, cut here.
EXPLANATION_LIMIT = 600


def nightly_optimization(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """Plan tonight's changes for one account; the plan waits in the run record for the morning."""
    account = load_account(rt, spec.account_pk)  # type: ignore[arg-type]
    # Every account of the workspace fresh first: its share of a monthly limit is read from
    # all of their spend, and the moves between platforms from all of their curves.
    peers = [p.id for p in peers_of(rt, account)]
    for pk in peers if len(peers) <= MAX_PEERS else [account.id]:  # a big workspace: its own
        ensure_fresh(rt, pk)
    plan, view = plan_for(rt, account)
    prefs, seconds = view.prefs, view.seconds
    findings = [
        d.to_json() | {"direction": d.direction, "nowcast": view.nowcast} for d in plan.decisions
    ]
    detail: dict[str, Any] = {
        "account": account.external_id,
        "currency": account.currency,
        "day": plan.day.isoformat(),
        "margin": str(prefs.gross_margin) if prefs.gross_margin else None,
        "plan": plan.to_json(),
        "findings": findings,
        "engine_seconds": round(seconds, 3),
    }
    detail["shadow_rules"] = watch_rules(rt, account, plan.day)
    detail["tired_creatives"] = tired_creatives(rt, account)
    try:  # budget moves to another platform's campaigns (their accounts planned alike)
        detail["moves"] = night_moves(rt, account, plan, view)
    except AdsError as exc:  # another platform unreachable tonight: this plan still stands
        logger.warning("%s: no cross-platform moves tonight: %s", spec.job_id, exc)
        detail["moves"] = []
    explanation = explain(rt, account, detail, prefs.language)
    if explanation:
        detail["explanation"] = explanation
    logger.info(
        "%s: %d decisions, %d held, engine %.2fs",
        spec.job_id,
        len(plan.decisions),
        len(plan.held),
        seconds,
    )
    return detail


def tired_creatives(rt: Runtime, account: AdAccount) -> list[dict[str, Any]]:
    """Tonight's tired ads (the same fatigue detector), raised by tomorrow's experiments job."""
    try:
        return fatigue.find(rt, account.workspace_id, account.id)
    except Exception:  # the night's plan stands without them
        logger.exception("account %s: the tired-creative scan failed", account.external_id)
        return []


def reason_text(item: dict[str, Any], detail: dict[str, Any], locale: Locale) -> str:
    margin = Decimal(detail["margin"]) if detail.get("margin") else None
    names = {f["object_id"]: f["name"] for f in detail.get("findings") or []}
    lines = decision_lines(item, locale, detail.get("currency", "BRL"), margin=margin, names=names)
    return " ".join(lines)


def proposal_of(item: dict[str, Any], detail: dict[str, Any], locale: Locale) -> ActionProposal:
    """A stored decision as the proposal the supervisor judges (the figures on its card)."""
    proposer = Proposer("schedule", "nightly-optimization")
    explanation = {**item, "margin": detail.get("margin"), "currency": detail.get("currency")}
    found = {f["object_id"]: f["name"] for f in detail.get("findings") or []}
    explanation["names"] = {r: found.get(r, r) for r in item.get("related") or []}  # cards re-word
    if item.get("proposed_budget") is None:
        proposal = pause(
            Level(item["level"]),
            item["object_id"],
            item["name"],
            current_status=Status.ACTIVE.value,
            reason=reason_text(item, detail, locale),
            proposer=proposer,
        )
    else:
        proposal = set_budget(
            Level(item["level"]),
            item["object_id"],
            item["name"],
            new_budget=Decimal(item["proposed_budget"]),
            current_budget=Decimal(item["current_budget"])
            if item.get("current_budget") is not None
            else None,
            reason=reason_text(item, detail, locale),
            proposer=proposer,
        )
    proposal.extra["explanation"] = explanation
    proposal.extra["protective"] = bool(item.get("protective"))
    return proposal


def explain(rt: Runtime, account: AdAccount, findings: dict[str, Any], language: str) -> str | None:
    """The crew's short explanation of the night's plan, when an LLM is configured."""
    if not rt.settings.llm_configured or not findings.get("findings"):
        return None
    try:
        text = explain_optimization(
            rt,
            workspace_id=account.workspace_id,
            findings=findings,
            language=language,
        )
    except Exception:
        logger.exception("optimization %s: the crew's explanation failed", account.external_id)
        return None
    return (str(text).strip() or None) if text else None


# --- the morning digest ---------------------------------------------------------------------


def last_night(rt: Runtime, unit: str) -> RunRecord | None:
    """The most recent finished optimization run of this account (its findings)."""
    with rt.db.session() as session:
        return session.scalar(
            select(RunRecord)
            .where(
                RunRecord.key.startswith(f"nightly-optimization:{unit}:"),
                RunRecord.status == runs.DONE,
            )
            .order_by(RunRecord.key.desc())
            .limit(1)
        )


def digest_reply(detail: dict[str, Any], account_name: str, locale: Locale) -> Reply:
    """Last night's plan in short: one line per decision, then where break-even came from."""
    currency = detail.get("currency", "BRL")
    findings = detail.get("findings") or []
    plan = detail.get("plan") or {}
    title = locale.t("optimize.digest_title", account=account_name)
    lines = [f"*{title}*"]

    def money(value: int | None, *, signed: bool = False) -> str:
        if value is None:
            return "—"
        text = locale.money(Decimal(value), currency)
        return f"+{text}" if signed and value > 0 else text

    moves = detail.get("moves") or []
    if not findings and not moves:
        lines.append(locale.t("optimize.digest_none"))
    else:
        lines.append(locale.t("optimize.digest_intro", count=len(findings) + len(moves)))
        for item in findings:
            profit = (item.get("profit_change") or {}).get("mean")
            key = (
                "optimize.pause_decision"
                if item.get("proposed_budget") is None
                else ("optimize.budget_decision")
            )
            lines.append(
                locale.t(
                    key,
                    action=locale.t(f"brain.kind.{item['kind']}"),
                    name=item["name"],
                    current=money(item.get("current_budget")),
                    proposed=money(item.get("proposed_budget")),
                    profit=money(profit, signed=True) if profit is not None else "—",
                )
            )
    lines.extend(move_line(item, currency, locale) for item in moves)
    projection = plan.get("projection") or {}
    if projection.get("limit"):
        lines.append(
            locale.t(
                "optimize.month_projection",
                before=money(projection.get("before")),
                after=money(projection.get("after")),
                limit=money(projection.get("limit")),
            )
        )
    notes = plan.get("notes") or []
    if detail.get("margin"):
        margin = Decimal(detail["margin"])
        context = locale.t(
            "optimize.break_even_margin",
            margin=locale.percent(margin, 0),
            break_even=locale.ratio(Decimal(100) / margin),
        )
    elif "break_even_is_roas_target" in notes:
        context = locale.t(
            "optimize.break_even_target", roas=locale.ratio(Decimal(str(plan.get("break_even"))))
        )
    else:
        context = locale.t("optimize.no_break_even")
    sections: list[tuple[str, str]] = []
    if detail.get("explanation"):  # the agent's words: quoted, inert, one line (issue 13)
        said = inert(str(detail["explanation"]), EXPLANATION_LIMIT)
        label = f"{locale.t('optimize.explanation')} ({locale.t('optimize.explanation_whose')})"
        sections.append((label, f"“{said}”"))
        lines.append(f"{label}: “{said}”")
    lines.append(f"_{context}_")
    return Reply(
        "\n".join(lines),
        kind="notice",
        title=title,
        sections=tuple(sections),
        context=context,
        data={"template": "alert", "count": str(len(findings) + len(moves))},
    )


def morning_digest(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """Last night's findings to every chat that wants the digest, then each one proposed.

    The digest goes first so the approval cards that follow have their context;
    pending proposals reach the approvers through the supervisor (cards that
    update in place), and anything that ran at once or was refused is shown
    where the digest went.
    """
    record = last_night(rt, spec.unit)
    if record is None:
        return {"skipped": "no optimization run yet"}
    detail = dict(record.detail or {})
    if detail.get("digest"):
        return {"skipped": "already digested", "night": record.key}
    account = load_account(rt, spec.account_pk)  # type: ignore[arg-type]
    name = account.name or account.external_id
    # Yesterday's requests past their deadline expire first, so none of tonight's cards is
    # an old request shown again only to expire (a jump of the sandbox clock, a late run).
    expire_stale(rt)
    with rt.db.session(account.workspace_id) as session:
        language = workspace_settings(session, account.workspace_id).language
    reached = []
    for recipient in recipients(rt, account.workspace_id, DIGEST):
        to = recipient.to
        key = f"{spec.job_id}:to:{to.channel.value}:{to.conversation_id or to.chat_id}"
        if not runs.claim(rt.db, key, workspace_id=account.workspace_id):
            continue
        ref = send(rt, to, digest_reply(detail, name, Locale(language=to.language)))
        runs.finish(rt.db, key, status=runs.DONE if ref is not None else runs.FAILED)
        if ref is not None:
            reached.append(to)
    outcomes = []
    for item in detail.get("findings") or []:
        proposal = proposal_of(item, detail, Locale(language=language))
        submitted = propose(rt, account.workspace_id, account.id, proposal)
        if submitted is None:
            outcomes.append({"target": item["object_id"], "state": "not_submitted"})
            continue
        outcomes.append(
            {"target": item["object_id"], "proposal": submitted.id, "state": submitted.state}
        )
        if submitted.state == "pending":
            continue
        for to in reached:
            show_card(rt, account.workspace_id, submitted.id, to)
    for move in detail.get("moves") or []:
        proposal = move_proposal(move, detail.get("currency", "BRL"), Locale(language=language))
        submitted = propose(rt, account.workspace_id, account.id, proposal)
        state = submitted.state if submitted is not None else "not_submitted"
        outcomes.append({"move": move["dest"]["object_id"], "state": state})
        if submitted is not None and submitted.state != "pending":
            for to in reached:
                show_card(rt, account.workspace_id, submitted.id, to)
    runs.finish(rt.db, record.key, detail={"digest": spec.job_id, "proposals": outcomes})
    return {"night": record.key, "sent": len(reached), "proposals": outcomes}
