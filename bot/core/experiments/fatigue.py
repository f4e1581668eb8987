"""Tired creatives: the fatigue detector's finding becomes a "criativo cansado" proposal.

Found with the decision engine's nightly run (``jobs.optimize``, every night): each active
ad's last :data:`WINDOW` days go through :func:`analytics.brain.fatigue.detect` (the same
detector the engine reads for its holds) and the tired ones wait in the night's record;
the next morning's experiments job raises them (:func:`raise_found`), beside the tests'
cards. A fatigued ad gets: a notice to the operators, a proposal to pause it (through the
supervisor), and, when an LLM is configured, a crew run writing fresh copy from the ad's
own text and the learnings; when that run finishes (``jobs.experiments.refresh_test``) the
new copy is launched as a test against the account's current best ad.

Cooldown: an ad is raised at most once per :data:`COOLDOWN_DAYS` (local days, recorded as
run records ``fatigue:ws<id>:<ad>:<day>``), and never while its pause proposal waits or its
refresh test runs; after that, an ad still active and still tired (the pause was turned
down, or it was switched on again) is raised again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from ads.base import Ad, AdsPlatform, Level, Period, Status
from analytics.brain.fatigue import DeliveryDay, detect
from analytics.experiments.counts import Metric
from analytics.experiments.wording import language_of, percent
from bot.core.experiments import messages  # noqa: F401  (registers the messages)
from bot.core.experiments.design import NoBaseline
from bot.core.experiments.monitor import publish
from bot.core.experiments.setup import Request, Source, Variant, launch, local_today, source_of
from bot.core.experiments.store import LIVE
from storage.models import AdAccount, CrewRun, Experiment, Proposal, Role, RunRecord
from supervisor import proposals
from supervisor.proposals import Proposer
from supervisor.submit import submit
from vocabulary.i18n import Locale
from vocabulary.notify import people_destinations, send
from vocabulary.queue import QueueUnavailable
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

WINDOW = 21
FATIGUE = Proposer("schedule", "fatigue")
#: An ad raised once is not raised again for this many days (a refresh test runs whole
#: weeks; the operators said no, or are still deciding, within that time).
COOLDOWN_DAYS = 14
RUN_PREFIX = "fatigue"


def _history(
    ads: AdsPlatform, account_id: str, active: list[Ad], today: Any
) -> dict[str, list[DeliveryDay]]:
    period = Period(today - timedelta(days=WINDOW), today - timedelta(days=1))
    rows = ads.insights(account_id, Level.AD, period, object_ids=[a.id for a in active], daily=True)
    out: dict[str, list[DeliveryDay]] = {}
    for row in rows:
        out.setdefault(row.object_id, []).append(
            DeliveryDay(row.date_start, row.impressions, row.reach, row.clicks)
        )
    return out


def _handled(rt: Runtime, workspace_id: int, today: date) -> set[str]:
    """Ads not to raise today: raised within the cooldown, pause waiting, refresh running."""
    since = today - timedelta(days=COOLDOWN_DAYS)
    flagged: set[str] = set()
    with rt.db.session() as session:
        keys = session.scalars(
            select(RunRecord.key).where(RunRecord.key.startswith(f"{RUN_PREFIX}:ws{workspace_id}:"))
        )
        for key in keys:
            _, _, ad_id, day = key.split(":")
            if date.fromisoformat(day) > since:
                flagged.add(ad_id)
    with rt.db.session(workspace_id) as session:
        waiting = session.scalars(
            select(Proposal.target_id).where(
                Proposal.proposer_id == FATIGUE.id,
                Proposal.state.in_(("pending", "approved", "executing")),
            )
        )
        flagged |= set(waiting)
        tests = session.scalars(
            select(Experiment.proposals).where(
                Experiment.kind == "refresh", Experiment.status.in_(LIVE)
            )
        )
        flagged |= {str((p or {}).get("tired_ad")) for p in tests}
    return flagged


def find(rt: Runtime, workspace_id: int, account_pk: int) -> list[dict[str, Any]]:
    """Today's tired ads (not in cooldown), with the best ad to test a refresh against."""
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        assert account is not None
        session.expunge(account)
    ads = rt.ads(account)
    today = local_today(rt.now(), account.timezone)
    active = [
        a
        for a in ads.list_ads(account.external_id)
        if a.status is Status.ACTIVE and not a.name.startswith("#")
    ]
    if not active:
        return []
    history = _history(ads, account.external_id, active, today)
    handled = _handled(rt, workspace_id, today)
    found = []
    for ad in active:
        if ad.id in handled:
            continue
        signal = detect(ad.id, "ad", history.get(ad.id, []))
        if not signal.fatigued or signal.ctr_drop is None:
            continue
        best = _best(ad, active, history)
        found.append({"ad": ad.id, "best": best.id, "drop": signal.ctr_drop, "days": signal.days})
    return found


def raise_found(
    rt: Runtime, workspace_id: int, account_pk: int, found: list[dict[str, Any]]
) -> list[str]:
    """Raise what the night found, once per ad and cooldown; returns the ads raised."""
    if not found:
        return []
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        assert account is not None
        session.expunge(account)
    today = local_today(rt.now(), account.timezone)
    handled = _handled(rt, workspace_id, today)
    listed = {a.id: a for a in rt.ads(account).list_ads(account.external_id)}
    raised = []
    for item in found:
        ad, best = listed.get(str(item["ad"])), listed.get(str(item["best"]))
        if ad is None or ad.status is not Status.ACTIVE or ad.id in handled:
            continue
        _raise(rt, workspace_id, account, ad, best or ad, float(item["drop"]), int(item["days"]))
        with rt.db.session() as session:  # the cooldown starts today (sandbox-aware local day)
            session.add(
                RunRecord(
                    key=f"{RUN_PREFIX}:ws{workspace_id}:{ad.id}:{today.isoformat()}",
                    workspace_id=workspace_id,
                    status="done",
                    detail={"drop": float(item["drop"])},
                )
            )
        handled.add(ad.id)
        raised.append(ad.id)
    return raised


def scan(rt: Runtime, workspace_id: int, account_pk: int) -> list[str]:
    """Find and raise at once (the console's and the bench's shortcut)."""
    return raise_found(rt, workspace_id, account_pk, find(rt, workspace_id, account_pk))


def _best(tired: Ad, active: list[Ad], history: dict[str, list[DeliveryDay]]) -> Ad:
    """The active ad with the best CTR over the window (the refresh's control)."""

    def ctr(ad: Ad) -> float:
        days = history.get(ad.id, [])
        impressions = sum(d.impressions for d in days)
        return sum(d.clicks for d in days) / impressions if impressions >= 1000 else 0.0

    others = [a for a in active if a.id != tired.id]
    return max(others, key=ctr) if others else tired


def _raise(
    rt: Runtime, workspace_id: int, account: AdAccount, ad: Ad, best: Ad, drop: float, days: int
) -> None:
    people = people_destinations(rt, workspace_id, Role.OPERATOR)
    for to in people:
        locale = Locale(to.language)
        lang = language_of(to.language)
        lines = [
            locale.t(
                "experiments.fatigue.body",
                ad=ad.name,
                drop=percent(drop, lang, signed=False),
                days=days,
                best=best.name,
            )
        ]
        if not rt.settings.llm_configured:
            lines.append(locale.t("experiments.fatigue.no_llm"))
        send(
            rt,
            to,
            Reply(
                "\n".join(lines),
                kind="notice",
                title=locale.t("experiments.fatigue.title", ad=ad.name),
            ),
        )
    first = people[0] if people else None
    language = first.language if first else "pt-BR"
    locale = Locale(language)
    lang = language_of(language)
    pause = proposals.pause(
        Level.AD,
        ad.id,
        ad.name,
        current_status="ACTIVE",
        reason=locale.t(
            "experiments.fatigue.pause_reason", ad=ad.name, drop=percent(drop, lang, signed=False)
        ),
        proposer=FATIGUE,
    )
    submit(
        rt,
        workspace_id,
        account.id,
        pause,
        conversation_id=first.conversation_id if first else None,
        announce=first is not None,
    )
    if rt.settings.llm_configured and first is not None:
        _ask_crew(rt, workspace_id, account, ad, best, first)
    logger.info(
        "fatigue: ad %s flagged in workspace %s (drop %.0f%%)", ad.id, workspace_id, drop * 100
    )


def _ask_crew(
    rt: Runtime, workspace_id: int, account: AdAccount, ad: Ad, best: Ad, to: Any
) -> None:
    """A copy run from the tired ad's own text; its end launches the refresh test."""
    creatives = {c.id: c for c in rt.ads(account).list_creatives(account.external_id)}
    own = creatives.get(ad.creative_id or "")
    text = f"{own.title} — {own.body}" if own else ad.name
    request = (
        f"Escreva 1 variação nova de copy para substituir o anúncio cansado “{ad.name}” (texto atual: {text})."
        if to.language == "pt-BR"
        else f"Write 1 fresh copy variation to replace the tired ad “{ad.name}” (current text: {text})."
    )
    run_id = str(uuid.uuid4())
    with rt.db.session(workspace_id) as session:
        session.add(
            CrewRun(
                id=run_id,
                workspace_id=workspace_id,
                conversation_id=to.conversation_id,
                user_id=None,
                flow="copy",
                prompt_variant="default",
                model=rt.settings.llm_model or "",
                status="queued",
                request=request,
                params={
                    "count": 1,
                    "refresh": {"tired_ad": ad.id, "best_ad": best.id, "account": account.id},
                },
                destination=to.to_payload(),
            )
        )
    try:
        rt.queue.enqueue("jobs.crew.run_crew", run_id, queue="default", job_id=f"crew-{run_id}")
    except QueueUnavailable:
        logger.error("fatigue: could not queue the copy run for ad %s", ad.id)


def launch_refresh(rt: Runtime, workspace_id: int, run_id: str) -> Experiment | None:
    """The crew wrote fresh copy: test it against the current best ad (control A)."""
    with rt.db.session(workspace_id) as session:
        run = session.get(CrewRun, run_id)
        if run is None or run.status != "done":
            return None
        refresh = dict((run.params or {}).get("refresh") or {})
        copies = ((run.result or {}).get("copies") or {}).get("variations") or []
        account = session.get(AdAccount, refresh.get("account"))
        conversation_id = run.conversation_id
        language = dict(run.destination or {}).get("language", "pt-BR")
        if account is None or not copies:
            return None
        session.expunge(account)
    ads = rt.ads(account)
    listed = {a.id: a for a in ads.list_ads(account.external_id)}
    best, tired = listed.get(refresh.get("best_ad", "")), listed.get(refresh.get("tired_ad", ""))
    if best is None or tired is None:
        return None
    creatives = {c.id: c for c in ads.list_creatives(account.external_id)}
    control = creatives.get(best.creative_id or "")
    base = source_of(ads, account.external_id, ads.get_campaign(tired.campaign_id))
    source = Source(
        campaign=base.campaign,
        targeting=base.targeting,
        optimization_goal=base.optimization_goal,
        daily_budget=base.daily_budget,
        creative=control or base.creative,
        audience=base.audience,
        history_level=Level.AD,
        history_ids=(best.id,),
    )
    new = copies[0]
    variants = [
        Variant(
            name=best.name,
            headline=control.title if control else best.name,
            body=control.body if control else "",
            source_ad=best.id,
        ),
        Variant(
            name=new["headline"],
            headline=new["headline"],
            body=new["primary_text"],
            angle=new.get("angle") or new["headline"],
        ),
    ]
    request = Request(workspace_id, account, FATIGUE, language, conversation_id=conversation_id)
    try:
        row = launch(
            rt,
            request,
            kind="refresh",
            name=f"copy nova · {tired.name}",
            metric=Metric.CTR,
            source=source,
            variants=variants,
        )
    except NoBaseline:
        logger.info("fatigue: no baseline for the refresh of %s", tired.id)
        return None
    with rt.db.session(workspace_id) as session:
        stored = session.get(Experiment, row.id)
        assert stored is not None
        stored.proposals = {**(stored.proposals or {}), "tired_ad": tired.id, "crew_run": run_id}
    publish(rt, workspace_id, row.id)
    return row
