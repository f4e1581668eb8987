"""Nightly optimization (23:00 local) and the morning digest (08:00 local).

At night the rules of :mod:`analytics.rules` run on the metrics history
(pause candidates: settled CPA above 1.5× the target after a minimum spend;
scale candidates: a week of stable ROAS above target); every suggested action
becomes a proposal through the supervisor, which decides whether it needs
approval. When an LLM is configured the crew may add a short explanation. The
findings are kept in the night's run record; in the morning the digest shows
them with their approval cards in every chat that wants it.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision
from sqlalchemy import select

import vocabulary.schedule_messages  # noqa: F401  (registers this package's messages)
from ads.base import Level, Status
from analytics.history import account_days, campaign_series
from analytics.rules import (
    BudgetHolder,
    CampaignState,
    Candidate,
    account_targets,
    pause_candidates,
    scale_candidates,
)
from crews.flows.explain import explain_optimization
from jobs import runs
from jobs.budget import workspace_pacing
from jobs.propose import propose, show_card
from jobs.reports import load_account
from jobs.sync import ensure_fresh
from storage.models import AdAccount, RunRecord
from storage.repositories import ad_accounts, workspace_settings
from supervisor.proposals import Proposer, pause, set_budget
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.recipients import DIGEST, recipients
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from supervisor.proposals import ActionProposal
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

HISTORY_DAYS = 30


def campaign_states(rt: Runtime, account: AdAccount, since: Any, until: Any) -> list[CampaignState]:
    """Live campaigns (status, budgets) joined with their history (complete days)."""
    with rt.db.session(account.workspace_id) as session:
        series = campaign_series(session, account.id, since, until)
    ads = rt.ads(account)
    campaigns = ads.list_campaigns(account.external_id)
    adsets = []
    if any(c.status is Status.ACTIVE and not c.daily_budget for c in campaigns):
        adsets = ads.list_adsets(account.external_id)
    states = []
    for campaign in campaigns:
        _, days = series.get(campaign.id, (campaign.name, []))
        if campaign.daily_budget:
            holders: tuple[BudgetHolder, ...] = (
                BudgetHolder("campaign", campaign.id, campaign.name, campaign.daily_budget),
            )
        else:
            holders = tuple(
                BudgetHolder("adset", s.id, s.name, s.daily_budget)
                for s in adsets
                if s.campaign_id == campaign.id and s.status is Status.ACTIVE and s.daily_budget
            )
        states.append(
            CampaignState(
                campaign.id,
                campaign.name,
                campaign.status is Status.ACTIVE,
                tuple(d.figures() for d in days),
                holders,
                campaign.objective,
            )
        )
    return states


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal(1)))


def _whole(value: Decimal) -> str:
    return str(value.quantize(Decimal(1)))


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def finding(candidate: Candidate) -> dict[str, Any]:
    """A candidate as JSON for the run record (the digest renders it in each reader's language)."""
    return {
        "kind": candidate.kind,
        "campaign_id": candidate.campaign_id,
        "name": candidate.target_name,
        "campaign_name": candidate.campaign_name,
        "level": candidate.target_level,
        "target_id": candidate.target_id,
        "spend": _money(candidate.spend),
        "days": candidate.days,
        "cpa": _money(candidate.cpa),
        "roas": _ratio(candidate.roas),
        "current_budget": _money(candidate.current_budget),
        "new_budget": _money(candidate.new_budget),
    }


def nightly_optimization(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """Run the rules for one account; the findings wait in the run record for the morning."""
    account = load_account(rt, spec.account_pk)  # type: ignore[arg-type]
    ensure_fresh(rt, account.id)
    today = rt.now().astimezone(ZoneInfo(account.timezone)).date()
    since, until = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    with rt.db.session(account.workspace_id) as session:
        prefs = workspace_settings(session, account.workspace_id)
        target_cpa, target_roas, language = prefs.target_cpa, prefs.target_roas, prefs.language
        limit = prefs.monthly_budget_limit if prefs.currency == account.currency else None
        history = [d.figures() for d in account_days(session, account.id, since, until)]
    targets = account_targets(
        Decimal(target_cpa) if target_cpa is not None else None,
        Decimal(target_roas) if target_roas is not None else None,
        history,
    )
    states = campaign_states(rt, account, since, until)
    unit = 10 ** get_currency_precision(account.currency)
    pauses = pause_candidates(states, targets)
    paused = {c.campaign_id for c in pauses}
    scales = [
        c
        for c in scale_candidates(states, targets, minor_per_unit=unit)
        if c.campaign_id not in paused
    ]
    held = _over_the_limit(rt, account, today, limit) if scales and limit else None
    if held is not None:  # more budget would only deepen the overshoot the budget check flags
        scales = []
    detail: dict[str, Any] = {
        "account": account.external_id,
        "currency": account.currency,
        "day": until.isoformat(),
        "targets": {
            "cpa": _money(targets.cpa),
            "roas": _ratio(targets.roas),
            "from_account": targets.from_account,
        },
        "findings": [finding(c) for c in [*pauses, *scales]],
    }
    if held is not None:
        detail["scales_held"] = held
    explanation = explain(rt, account, detail, language)
    if explanation:
        detail["explanation"] = explanation
    logger.info("%s: %d pause and %d scale candidates", spec.job_id, len(pauses), len(scales))
    return detail


def _over_the_limit(
    rt: Runtime, account: AdAccount, today: date, limit: Decimal
) -> dict[str, str] | None:
    """The month's projection against the workspace's monthly limit, when it overshoots."""
    with rt.db.session(account.workspace_id) as session:
        accounts = [
            a
            for a in ad_accounts(session, account.workspace_id)
            if a.token_status == "ok" and a.currency == account.currency
        ]
    pacing = workspace_pacing(rt, account.workspace_id, accounts, today, Decimal(limit))
    if pacing.projected <= pacing.limit:
        return None
    return {"projected": _whole(pacing.projected), "limit": _whole(pacing.limit)}


def proposal_of(item: dict[str, Any], detail: dict[str, Any], locale: Locale) -> ActionProposal:
    """A stored finding as the proposal the supervisor judges (reason in the workspace's words)."""
    currency = detail.get("currency", "BRL")
    targets = detail.get("targets") or {}
    proposer = Proposer("schedule", "nightly-optimization")
    if item["kind"] == "pause":
        return pause(
            Level.CAMPAIGN,
            item["target_id"],
            item["name"],
            current_status=Status.ACTIVE.value,
            reason=locale.t(
                "optimize.reason_pause"
                if item.get("cpa")
                else "optimize.reason_pause_no_conversions",
                cpa=locale.money(_dec(item.get("cpa")), currency),
                spend=locale.money(_dec(item.get("spend")), currency),
                target=locale.money(_dec(targets.get("cpa")), currency),
                days=item.get("days"),
            ),
            proposer=proposer,
        )
    return set_budget(
        Level(item["level"]),
        item["target_id"],
        item["name"],
        new_budget=Decimal(item["new_budget"]),
        current_budget=_dec(item.get("current_budget")),
        reason=locale.t(
            "optimize.reason_scale",
            roas=locale.ratio(_dec(item.get("roas"))),
            target=locale.ratio(_dec(targets.get("roas"))),
        ),
        proposer=proposer,
    )


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def explain(rt: Runtime, account: AdAccount, findings: dict[str, Any], language: str) -> str | None:
    """The crew's short explanation of the night's findings, when an LLM is configured."""
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
    currency = detail.get("currency", "BRL")
    findings = detail.get("findings") or []
    title = locale.t("optimize.digest_title", account=account_name)
    lines = [f"*{title}*"]

    def money(value: str | None) -> str:
        return locale.money(Decimal(value) if value is not None else None, currency)

    def ratio(value: str | None) -> str:
        return locale.ratio(Decimal(value) if value is not None else None)

    targets = detail.get("targets") or {}
    if not findings:
        lines.append(locale.t("optimize.digest_none"))
    else:
        lines.append(locale.t("optimize.digest_intro", count=len(findings)))
        for item in findings:
            if item["kind"] == "pause":
                lines.append(
                    locale.t(
                        "optimize.pause_line"
                        if item.get("cpa")
                        else "optimize.pause_line_no_conversions",
                        name=item["name"],
                        cpa=money(item.get("cpa")),
                        target=money(targets.get("cpa")),
                        spend=money(item.get("spend")),
                        days=item.get("days"),
                    )
                )
            else:
                lines.append(
                    locale.t(
                        "optimize.scale_line",
                        name=item["name"],
                        roas=ratio(item.get("roas")),
                        target=ratio(targets.get("roas")),
                        current=money(item.get("current_budget")),
                        new=money(item.get("new_budget")),
                    )
                )
    held = detail.get("scales_held")
    if held:
        lines.append(
            locale.t(
                "optimize.scales_held",
                projected=money(held.get("projected")),
                limit=money(held.get("limit")),
            )
        )
    key = "optimize.targets_from_account" if targets.get("from_account") else "optimize.targets"
    context = locale.t(key, cpa=money(targets.get("cpa")), roas=ratio(targets.get("roas")))
    sections: list[tuple[str, str]] = []
    if detail.get("explanation"):
        sections.append((locale.t("optimize.explanation"), str(detail["explanation"])))
        lines.append(f"{locale.t('optimize.explanation')}: {detail['explanation']}")
    lines.append(f"_{context}_")
    return Reply(
        "\n".join(lines),
        kind="notice",
        title=title,
        sections=tuple(sections),
        context=context,
        data={"template": "alert", "count": str(len(findings))},
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
            outcomes.append({"target": item["target_id"], "state": "not_submitted"})
            continue
        outcomes.append(
            {"target": item["target_id"], "proposal": submitted.id, "state": submitted.state}
        )
        if submitted.state == "pending":
            continue
        for to in reached:
            show_card(rt, account.workspace_id, submitted.id, to)
    runs.finish(rt.db, record.key, detail={"digest": spec.job_id, "proposals": outcomes})
    return {"night": record.key, "sent": len(reached), "proposals": outcomes}
