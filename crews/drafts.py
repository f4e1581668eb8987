"""A plan as a CREATE_DRAFT spec: campaign, ad sets, creatives and ads, all to be created PAUSED.

Every amount is the plan's (computed by code), in minor units as an integer
string, as the supervisor stores money. Ads point at their ad set and creative
by position (``adset_index``, ``creative_index``), which is how the executor
wires the ids it gets back; ``ref`` names are kept for people reading the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crews.models import CampaignPlan, CopyVariation, CreativeConcept

#: Ads per ad set: enough to test creatives without thinning the budget.
ADS_PER_ADSET = 3


def draft_spec(plan: CampaignPlan, *, link_url: str, page_id: str = "") -> dict[str, Any]:
    brief = plan.brief
    campaign: dict[str, Any] = {
        "name": brief.campaign_name,
        "objective": brief.objective,
        "status": "PAUSED",
        "daily_budget": None,  # ad set budgets (ABO): the plan splits the money per ad set
        "bid_strategy": plan.bid_strategy,
        "special_ad_categories": [],
    }
    adsets: list[dict[str, Any]] = []
    creatives: list[dict[str, Any]] = []
    ads: list[dict[str, Any]] = []
    creative_refs: dict[tuple[int, int], str] = {}
    for a_index, adset in enumerate(plan.adsets, start=1):
        adset_ref = f"adset_{a_index}"
        adsets.append(
            {
                "ref": adset_ref,
                "name": adset.name,
                "status": "PAUSED",
                "daily_budget": str(adset.daily_budget),
                "optimization_goal": adset.optimization_goal,
                "billing_event": "IMPRESSIONS",
                "targeting": {
                    "geo_locations": {"countries": list(adset.countries)},
                    "age_min": adset.age_min,
                    "age_max": adset.age_max,
                },
                "audience": adset.audience,
            }
        )
        for c_index, copy_index, concept in _pairs(plan, adset.formats, a_index):
            key = (c_index, copy_index)
            if key not in creative_refs:
                creative_refs[key] = f"creative_{len(creative_refs) + 1}"
                creatives.append(
                    _creative(
                        creative_refs[key], concept, plan.copies[copy_index], link_url, page_id
                    )
                )
            ads.append(
                {
                    "name": f"{adset.name} · {concept.title}"[:100],
                    "status": "PAUSED",
                    "adset": adset_ref,
                    "creative": creative_refs[key],
                    "adset_index": a_index - 1,
                    "creative_index": int(creative_refs[key].rsplit("_", 1)[1]) - 1,
                }
            )
    return {"campaign": campaign, "adsets": adsets, "creatives": creatives, "ads": ads}


def _pairs(
    plan: CampaignPlan, formats: Sequence[str], offset: int
) -> list[tuple[int, int, CreativeConcept]]:
    """Up to ADS_PER_ADSET (concept, copy) pairs for an ad set, concepts of its formats first."""
    indexed = list(enumerate(plan.creatives))
    matching = [(i, c) for i, c in indexed if c.format in formats] or indexed
    pairs = []
    for n, (c_index, concept) in enumerate(matching[:ADS_PER_ADSET]):
        copy_index = (offset - 1 + n) % len(plan.copies)
        pairs.append((c_index, copy_index, concept))
    return pairs


def _creative(
    ref: str, concept: CreativeConcept, copy: CopyVariation, link_url: str, page_id: str
) -> dict[str, Any]:
    return {
        "ref": ref,
        "name": f"{concept.format} · {concept.title}"[:100],
        "title": copy.headline,
        "body": copy.primary_text,
        "description": copy.description,
        "link_url": link_url,
        "image_url": "",
        "call_to_action": concept.call_to_action,
        "page_id": page_id,
        "format": concept.format,
        "concept": concept.concept,
    }
