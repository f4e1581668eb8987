"""Compact account specs and the builder that turns them into sandbox objects.

Why specs: demo data, generated accounts, tests and benchmark scenarios all
describe an account the same way (campaigns, CBO or ABO budgets, ad sets with
an audience size, ads with their *true* performance) and want the same
objects back, back-dated so the account has a history when the clock starts.
Amounts in specs are major units (R$ 150 -> ``150``); the builder converts
them to the account currency's minor units.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ads.sandbox.model import AdTruth, currency_offset, rng_for
from ads.sandbox.records import ACTIVE

if TYPE_CHECKING:
    from ads.sandbox.records import AccountRecord
    from ads.sandbox.state import SandboxState

STORE_URL = "https://loja-aurora.example.com.br"
PAGE_ID = "104000000000001"


@dataclass(frozen=True)
class AdSpec:
    name: str
    title: str
    body: str
    ctr: float
    cvr: float
    aov: float  # major units
    cpm: float  # major units
    scale: float  # major units per day
    fatigue: float = 0.08
    link_share: float = 0.78
    pace: float = 0.92
    video: bool = False
    status: str = ACTIVE
    path: str = ""


@dataclass(frozen=True)
class AdSetSpec:
    name: str
    audience: int
    ads: tuple[AdSpec, ...]
    daily_budget: float | None = None  # major units (ABO)
    churn: float = 0.02
    targeting: dict[str, Any] = field(default_factory=dict)
    optimization_goal: str = "OFFSITE_CONVERSIONS"
    status: str = ACTIVE
    #: (days before start, field, value) changes to this ad set.
    events: tuple[tuple[float, str, Any], ...] = ()


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    objective: str
    age_days: int  # created this many days before the start
    adsets: tuple[AdSetSpec, ...]
    daily_budget: float | None = None  # major units (CBO)
    status: str = ACTIVE
    #: (days before start, field, value): later changes, e.g. a pause or a budget change.
    events: tuple[tuple[float, str, Any], ...] = ()


def build_account(
    state: SandboxState,
    account: AccountRecord,
    campaigns: tuple[CampaignSpec, ...],
    start: datetime,
    *,
    store_url: str = STORE_URL,
) -> None:
    """Create campaigns from specs, back-dated relative to ``start``, with their events."""
    offset = currency_offset(account.currency)

    def minor(amount: float | None) -> int | None:
        return None if amount is None else round(amount * offset)

    for spec in campaigns:
        created = _morning(start - timedelta(days=spec.age_days), account)
        initial_status = ACTIVE if spec.events or spec.status == ACTIVE else spec.status
        campaign = state.add_campaign(
            account.id,
            name=spec.name,
            objective=spec.objective,
            status=initial_status,
            daily_budget=minor(spec.daily_budget),
            special_ad_categories=[],
            at=created,
        )
        for adset_spec in spec.adsets:
            adset = state.add_adset(
                campaign.id,
                name=adset_spec.name,
                status=adset_spec.status,
                daily_budget=minor(adset_spec.daily_budget),
                optimization_goal=adset_spec.optimization_goal,
                targeting=adset_spec.targeting,
                promoted_object={"pixel_id": "1200000000000001", "custom_event_type": "PURCHASE"}
                if spec.objective == "OUTCOME_SALES"
                else None,
                audience_size=adset_spec.audience,
                churn=adset_spec.churn,
                at=created,
            )
            for ad_spec in adset_spec.ads:
                link = store_url + (ad_spec.path or "/")
                creative = state.add_creative(
                    account.id,
                    name=f"Criativo - {ad_spec.name}"
                    if account.currency == "BRL"
                    else f"Creative - {ad_spec.name}",
                    title=ad_spec.title,
                    body=ad_spec.body,
                    link_url=link,
                    image_url=f"https://cdn.example.com/aurora/{creative_slug(ad_spec.name)}.jpg",
                    call_to_action_type="SHOP_NOW"
                    if spec.objective == "OUTCOME_SALES"
                    else "LEARN_MORE",
                    page_id=PAGE_ID,
                    object_story_spec=_story(ad_spec, link),
                    video=ad_spec.video,
                    at=created,
                )
                state.add_ad(
                    adset.id,
                    name=ad_spec.name,
                    creative_id=creative.id,
                    status=ad_spec.status,
                    truth=AdTruth(
                        ctr=ad_spec.ctr,
                        link_share=ad_spec.link_share,
                        cvr=ad_spec.cvr,
                        aov=round(ad_spec.aov * offset),
                        cpm=round(ad_spec.cpm * offset),
                        scale=round(ad_spec.scale * offset),
                        fatigue=ad_spec.fatigue,
                        video_rate=0.3 if ad_spec.video else 0.0,
                        pace=ad_spec.pace,
                    ),
                    at=created,
                )
            for days_before, name, value in adset_spec.events:
                state.update(adset.id, {name: value}, at=start - timedelta(days=days_before))
        for days_before, name, value in spec.events:
            state.update(campaign.id, {name: value}, at=start - timedelta(days=days_before))
        if spec.status != campaign.status:
            state.update(campaign.id, {"status": spec.status}, at=start - timedelta(hours=1))


def creative_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def _story(spec: AdSpec, link: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "link": link,
        "message": spec.body,
        "name": spec.title,
        "call_to_action": {"type": "SHOP_NOW", "value": {"link": link}},
    }
    key = "video_data" if spec.video else "link_data"
    if spec.video:
        data = {
            "message": spec.body,
            "title": spec.title,
            "video_id": "9000" + str(int(rng_for(0, "video", spec.name).random() * 10**8)),
            "call_to_action": data["call_to_action"],
        }
    return {"page_id": PAGE_ID, key: data}


def _morning(moment: datetime, account: AccountRecord) -> datetime:
    """09:00 local on the same local day (campaigns get launched in office hours)."""
    local = moment.astimezone(account.tz)
    return local.replace(hour=9, minute=0, second=0, microsecond=0)
