"""A test becomes one proposal: a new campaign, one equal-budget ad set per variant, created
paused through the supervisor; the design goes on the card.

Why equal-budget ad sets: within one ad set Meta's delivery favours the ad it predicts
will do best and starves the others within hours, so a comparison of ads in one ad set
measures the algorithm's choice, not the copy. One ad set per variant with the same
budget, targeting and optimisation gives each variant its own auction share. Bias left:
the ad sets' audiences overlap and bid against each other (a little higher CPM for
both, equally), and each ad set learns on its own (the first days are noisier).

When the variable is *who* sees the ad (audiences) or *where* (placements), the same ad
sets also run as a Meta split test (:data:`SPLIT_TEST`, an ad study created when the test
starts: ``supervisor/studies.py``): Meta randomises people between the cells, so no one
is in two cells and the comparison is not muddied by the overlap. Copy and creative tests
stay plain equal-budget ad sets (README, "A/B tests").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ads.base import AdsPlatform, Campaign, Creative, Level, Period, Status
from ads.studies import SplitTesting
from analytics.experiments.counts import Metric
from analytics.experiments.wording import language_of, percent
from bot.core.experiments import design as designs
from bot.core.experiments.store import next_number
from storage.models import AdAccount, Experiment
from storage.repositories import workspace_settings
from supervisor import proposals
from supervisor.proposals import Proposer
from supervisor.submit import submit
from vocabulary.i18n import Locale
from vocabulary.outbox import Outbox
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

LABELS = "ABCDEFGH"
#: How the variants are kept apart: a Meta split test, or only equal-budget ad sets.
SPLIT_TEST, AD_SETS = "split_test", "ad_sets"
#: Test kinds whose variable is the audience or the placement: split tests where possible.
STUDY_KINDS = ("audience", "placement")
#: A variant's daily budget is never below this (minor units): fewer impressions than this
#: buy a test that never ends.
MIN_VARIANT_BUDGET = 2_000
DEFAULT_VARIANT_BUDGET = 5_000


@dataclass(frozen=True)
class Variant:
    """What one ad set of the test shows (copy) and to whom (targeting)."""

    name: str  # as the card shows it
    headline: str
    body: str
    angle: str = ""
    targeting: dict[str, Any] | None = None
    audience: str = ""
    source_ad: str = ""


@dataclass(frozen=True)
class Source:
    """What the test is built from: the campaign it copies and the ad it starts from."""

    campaign: Campaign
    targeting: dict[str, Any]
    optimization_goal: str
    daily_budget: int  # the source's daily budget, minor units
    creative: Creative | None
    audience: str = ""
    history_level: Level = Level.CAMPAIGN
    history_ids: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Request:
    """Who asks and where the answer goes."""

    workspace_id: int
    account: AdAccount
    proposer: Proposer
    language: str
    user_id: int | None = None
    conversation_id: int | None = None
    channel: str = ""
    outbox: Outbox | None = None


def local_today(now: datetime, timezone: str) -> Any:
    return now.astimezone(ZoneInfo(timezone)).date()


def audience_name(targeting: dict[str, Any]) -> str:
    """A readable name for a targeting spec (the learnings' audience key)."""
    names = [str(a.get("name", "")) for a in targeting.get("custom_audiences") or []]
    for spec in targeting.get("flexible_spec") or []:
        names += [str(i.get("name", "")) for i in spec.get("interests") or []]
    return ", ".join(n for n in names if n) or "broad"


def source_of(ads: AdsPlatform, account_id: str, campaign: Campaign) -> Source:
    """The campaign's biggest ad set (its targeting and goal) and that ad set's first ad."""
    adsets = [a for a in ads.list_adsets(account_id, campaign.id) if a.status is Status.ACTIVE]
    adsets = adsets or [a for a in ads.list_adsets(account_id, campaign.id)]
    adsets.sort(key=lambda a: a.daily_budget or 0, reverse=True)
    adset = adsets[0] if adsets else None
    creative = None
    if adset is not None:
        ad = next(iter(ads.list_ads(account_id, adset.id)), None)
        if ad is not None and ad.creative_id:
            creative = next(
                (c for c in ads.list_creatives(account_id) if c.id == ad.creative_id), None
            )
    budget = campaign.daily_budget or (adset.daily_budget if adset else None)
    targeting = dict(adset.targeting) if adset else {"geo_locations": {"countries": ["BR"]}}
    return Source(
        campaign=campaign,
        targeting=targeting,
        optimization_goal=adset.optimization_goal if adset else "OFFSITE_CONVERSIONS",
        daily_budget=int(budget or 0),
        creative=creative,
        audience=audience_name(targeting),
        history_ids=(campaign.id,),
    )


def method_for(kind: str, ads: AdsPlatform) -> str:
    """Split test for audience and placement tests on a platform that runs them."""
    if kind in STUDY_KINDS and isinstance(ads, SplitTesting) and ads.supports_studies:
        return SPLIT_TEST
    return AD_SETS


def variant_budget(source_budget: int, variants: int) -> int:
    """The source's daily budget split evenly, whole currency units, never below the floor."""
    if source_budget <= 0:
        return DEFAULT_VARIANT_BUDGET
    share = source_budget // variants // 100 * 100
    return max(share, MIN_VARIANT_BUDGET)


def spec_for(
    number: int, name: str, source: Source, variants: Sequence[Variant], budget: int
) -> dict[str, Any]:
    """The paused draft: one campaign, an equal-budget ad set, creative and ad per variant."""
    creative = source.creative
    campaign = f"Teste A/B #{number} · {name}"[:200]
    spec: dict[str, Any] = {
        "campaign": {"name": campaign, "objective": source.campaign.objective},
        "adsets": [],
        "creatives": [],
        "ads": [],
    }
    for index, variant in enumerate(variants):
        label = LABELS[index]
        spec["adsets"].append(
            {
                "name": f"#{number} {label} · {variant.name}"[:200],
                "daily_budget": str(budget),
                "optimization_goal": source.optimization_goal,
                "targeting": variant.targeting or source.targeting,
            }
        )
        spec["creatives"].append(
            {
                "name": f"#{number} {label} · {variant.name}"[:100],
                "title": variant.headline[:255],
                "body": variant.body[:2000],
                "link_url": creative.link_url if creative else "",
                "image_url": creative.image_url if creative else "",
                "page_id": creative.page_id if creative else "",
            }
        )
        spec["ads"].append(
            {
                "name": f"#{number} {label} · {variant.name}"[:200],
                "adset_index": index,
                "creative_index": index,
            }
        )
    return spec


def describe(
    locale: Locale,
    *,
    number: int,
    name: str,
    metric: Metric,
    variants: Sequence[Variant],
    budget: int,
    currency: str,
    design: dict[str, Any],
) -> str:
    """The design in words: variants, split, budget, metric, MDE and duration."""
    lang = language_of(locale.language)
    names = "; ".join(f"{LABELS[i]}: “{v.name}”" for i, v in enumerate(variants))
    split = "/".join(str(round(100 / len(variants))) for _ in variants)
    lines = [
        locale.t("experiments.design.head", number=number, name=name),
        locale.t("experiments.design.variants", variants=names),
        locale.t(
            "experiments.design.split",
            split=split,
            budget=locale.money(Decimal(budget), currency),
            total=locale.money(Decimal(budget * len(variants)), currency),
        ),
        locale.t(
            "experiments.design.metric", metric=locale.t(f"experiments.metric.{metric.value}")
        ),
        locale.t(
            "experiments.design.mde",
            mde=percent(float(design["mde"]), lang),
            weeks=design["weeks"],
            days=design["days"],
            history=design["history_days"],
        ),
    ]
    if not design.get("feasible", True):
        lines.append(
            locale.t(
                "experiments.design.long",
                lift=percent(float(design["target_lift"]), lang),
                weeks=design["weeks_for_target"],
            )
        )
    lines.append(locale.t(f"experiments.method.{design.get('method', AD_SETS)}"))
    lines.append(locale.t("experiments.design.next", number=number))
    return "\n".join(lines)


def launch(
    rt: Runtime,
    request: Request,
    *,
    kind: str,
    name: str,
    metric: Metric,
    source: Source,
    variants: Sequence[Variant],
    segment: str = "",
) -> Experiment:
    """Plan the test on the account's own baseline, store it, and submit its paused draft.

    Raises :class:`bot.core.experiments.design.NoBaseline` when the source has no history.
    """
    account = request.account
    ads = rt.ads(account)
    today = local_today(rt.now(), account.timezone)
    budget = variant_budget(source.daily_budget, len(variants))
    days = designs.history(
        ads, account.external_id, source.history_level, source.history_ids, today
    )
    design = designs.design_for(metric, days, budget, len(variants))
    design["method"] = method_for(kind, ads)
    locale = Locale(request.language)
    with rt.db.session(request.workspace_id) as session:
        prefs = workspace_settings(session, request.workspace_id)
        number = next_number(session, request.workspace_id)
        row = Experiment(
            workspace_id=request.workspace_id,
            number=number,
            ad_account_id=account.id,
            conversation_id=request.conversation_id,
            created_by=request.user_id,
            kind=kind,
            name=name[:200],
            metric=metric.value,
            status="proposed",
            segment=(segment or source.campaign.name)[:64],
            variants=[
                {
                    "label": LABELS[i],
                    "name": v.name,
                    "headline": v.headline,
                    "body": v.body,
                    "angle": v.angle,
                    "audience": v.audience or source.audience,
                    "source_ad": v.source_ad,
                }
                for i, v in enumerate(variants)
            ],
            design=design,
            daily_budget=Decimal(budget),
            cpa_target=prefs.target_cpa,
            proposals={},
            cards=[],
            verdict={},
        )
        session.add(row)
        session.flush()
        experiment_id = row.id
    reason = describe(
        locale,
        number=number,
        name=name,
        metric=metric,
        variants=variants,
        budget=budget,
        currency=account.currency,
        design=design,
    )
    spec = spec_for(number, name, source, variants, budget)
    proposal = proposals.create_draft(
        account.external_id, spec, reason=reason[:1000], proposer=request.proposer
    )
    submission = submit(
        rt,
        request.workspace_id,
        account.id,
        proposal,
        conversation_id=request.conversation_id,
        channel=request.channel,
        requested_by_user_id=request.user_id,
        outbox=request.outbox,
        announce=request.outbox is None and request.conversation_id is not None,
    )
    with rt.db.session(request.workspace_id) as session:
        stored = session.get(Experiment, experiment_id)
        assert stored is not None
        stored.proposals = {"setup": str(submission.proposal_id)}
        if str(submission.verdict) == "deny":
            stored.status = "rejected"
        session.flush()
        session.expunge(stored)
    logger.info(
        "experiment #%s (%s): setup proposal %s, %s",
        number,
        kind,
        submission.proposal_id,
        submission.verdict,
    )
    return stored


def top_campaign(ads: AdsPlatform, account_id: str, today: Any) -> Campaign | None:
    """The active campaign that spent most over the last 7 days (where a test has volume)."""
    campaigns = {c.id: c for c in ads.list_campaigns(account_id) if c.status is Status.ACTIVE}
    if not campaigns:
        return None
    period = Period(today - timedelta(days=7), today - timedelta(days=1))
    rows = ads.insights(account_id, Level.CAMPAIGN, period, object_ids=list(campaigns))
    spend: dict[str, Decimal] = {}
    for r in rows:
        spend[r.object_id] = spend.get(r.object_id, Decimal(0)) + r.spend
    best = max(campaigns, key=lambda cid: spend.get(cid, Decimal(0)))
    return campaigns[best]
