"""Creating and updating objects from Graph parameters, with Graph's validation.

The point of validating like Graph (required parameters, objective and status
enums, CBO vs ad-set budgets, minimum budgets, deleted objects) is that a
connector bug shows up against the sandbox as the same code-100 error it
would get from Meta, instead of silently "working".

``execution_options=["validate_only"]`` validates without writing, as on Graph.
"""

from __future__ import annotations

import json
from typing import Any

from ads.sandbox import params as p
from ads.sandbox.errors import GraphError, invalid_param, required_param, unknown_object
from ads.sandbox.records import (
    ACTIVE,
    ARCHIVED,
    DELETED,
    STATUSES,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    AnyRecord,
    CampaignRecord,
    CreativeRecord,
)
from ads.sandbox.state import SandboxState

OBJECTIVES = frozenset(
    {
        "OUTCOME_APP_PROMOTION",
        "OUTCOME_AWARENESS",
        "OUTCOME_ENGAGEMENT",
        "OUTCOME_LEADS",
        "OUTCOME_SALES",
        "OUTCOME_TRAFFIC",
    }
)
BID_STRATEGIES = frozenset(
    {"LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP", "COST_CAP", "LOWEST_COST_WITH_MIN_ROAS"}
)
MIN_DAILY_BUDGET = 100  # minor units (R$ 1,00 / US$ 1.00)


def _require(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if value is None or str(value).strip() == "":
        raise required_param(name)
    return value


def _status(params: dict[str, str], *, default: str) -> str:
    status = (params.get("status") or default).upper()
    if status not in STATUSES:
        raise invalid_param("(#100) Param status must be one of {" + ", ".join(STATUSES) + "}")
    return status


def _budget(params: dict[str, str], name: str) -> int | None:
    value = p.integer(name, params.get(name), minimum=0)
    if value is not None and value < MIN_DAILY_BUDGET and name == "daily_budget":
        raise invalid_param(
            "Invalid parameter",
            subcode=1885272,
            user_title="Your Budget Is Too Low",
            user_msg=f"The minimum daily budget for this ad account is {MIN_DAILY_BUDGET} "
            "(in the account currency's minor units).",
        )
    return value


def _validate_only(params: dict[str, str]) -> bool:
    return "validate_only" in p.string_list("execution_options", params.get("execution_options"))


def _live(record: AnyRecord | None, object_id: str, kind: str) -> Any:
    if record is None or getattr(record, "status", None) == DELETED:
        raise invalid_param(
            f"(#100) Invalid parameter: the {kind} {object_id} does not exist or was deleted",
            subcode=1487534 if kind == "campaign" else None,
        )
    return record


def create_campaign(
    state: SandboxState, account: AccountRecord, params: dict[str, str]
) -> dict[str, Any]:
    name = _require(params, "name")
    objective = _require(params, "objective").upper()
    if objective not in OBJECTIVES:
        raise invalid_param(
            f"(#100) Objective {objective} is invalid. Use one of: "
            + ", ".join(sorted(OBJECTIVES)),
            subcode=2490408,
        )
    if "special_ad_categories" not in params:
        raise required_param("special_ad_categories")
    categories = p.string_list("special_ad_categories", params["special_ad_categories"])
    status = _status(params, default=ACTIVE)
    daily = _budget(params, "daily_budget")
    lifetime = _budget(params, "lifetime_budget")
    if daily is not None and lifetime is not None:
        raise invalid_param("(#100) Only one of daily_budget and lifetime_budget can be set")
    bid_strategy = params.get("bid_strategy")
    if bid_strategy and bid_strategy not in BID_STRATEGIES:
        raise invalid_param(
            "(#100) Param bid_strategy must be one of " + ", ".join(sorted(BID_STRATEGIES))
        )
    start = p.timestamp("start_time", params.get("start_time"))
    stop = p.timestamp("stop_time", params.get("stop_time"))
    if lifetime is not None and stop is None:
        raise invalid_param("(#100) stop_time is required for campaigns with a lifetime budget")
    if _validate_only(params):
        return {"success": True}
    record = state.add_campaign(
        account.id,
        name=name,
        objective=objective,
        status=status,
        daily_budget=daily,
        lifetime_budget=lifetime,
        bid_strategy=bid_strategy,
        special_ad_categories=categories,
        start_time=start,
        stop_time=stop,
    )
    return {"id": record.id}


def create_adset(
    state: SandboxState, account: AccountRecord, params: dict[str, str]
) -> dict[str, Any]:
    name = _require(params, "name")
    campaign_id = _require(params, "campaign_id")
    campaign = state.campaigns.get(campaign_id)
    if campaign is None or campaign.account_id != account.id:
        raise invalid_param(
            f"(#100) Param campaign_id: campaign {campaign_id} does not exist in {account.id}",
            subcode=1487534,
        )
    _live(campaign, campaign_id, "campaign")
    billing_event = _require(params, "billing_event").upper()
    targeting = p.json_object("targeting", _require(params, "targeting")) or {}
    if not targeting.get("geo_locations"):
        raise invalid_param(
            "Invalid parameter",
            subcode=1885364,
            user_title="Missing Location",
            user_msg="Your audience is missing a location. Add geo_locations to targeting.",
        )
    daily = _budget(params, "daily_budget")
    lifetime = _budget(params, "lifetime_budget")
    if campaign.is_cbo and (daily is not None or lifetime is not None):
        raise invalid_param(
            "Invalid parameter",
            subcode=1885621,
            user_title="Budget Cannot Be Set on Ad Set",
            user_msg="This campaign uses campaign budget (Advantage+ campaign budget): "
            "set the budget on the campaign, not on its ad sets.",
        )
    if not campaign.is_cbo and daily is None and lifetime is None:
        raise invalid_param(
            "Invalid parameter",
            subcode=1885272,
            user_title="Budget Required",
            user_msg="An ad set needs a daily_budget or lifetime_budget when its campaign "
            "has no campaign budget.",
        )
    end = p.timestamp("end_time", params.get("end_time"))
    if lifetime is not None and end is None:
        raise invalid_param("(#100) end_time is required for ad sets with a lifetime budget")
    if _validate_only(params):
        return {"success": True}
    record = state.add_adset(
        campaign.id,
        name=name,
        status=_status(params, default=ACTIVE),
        daily_budget=daily,
        lifetime_budget=lifetime,
        optimization_goal=(params.get("optimization_goal") or _default_goal(campaign)).upper(),
        billing_event=billing_event,
        bid_strategy=params.get("bid_strategy"),
        bid_amount=p.integer("bid_amount", params.get("bid_amount"), minimum=1),
        targeting=targeting,
        promoted_object=p.json_object("promoted_object", params.get("promoted_object")),
        start_time=p.timestamp("start_time", params.get("start_time")),
        end_time=end,
    )
    return {"id": record.id}


def _default_goal(campaign: CampaignRecord) -> str:
    return {
        "OUTCOME_SALES": "OFFSITE_CONVERSIONS",
        "OUTCOME_TRAFFIC": "LINK_CLICKS",
        "OUTCOME_AWARENESS": "REACH",
        "OUTCOME_ENGAGEMENT": "POST_ENGAGEMENT",
        "OUTCOME_LEADS": "LEAD_GENERATION",
    }.get(campaign.objective, "OFFSITE_CONVERSIONS")


def create_creative(
    state: SandboxState, account: AccountRecord, params: dict[str, str]
) -> dict[str, Any]:
    story = p.json_object("object_story_spec", params.get("object_story_spec"))
    title = params.get("title", "")
    body = params.get("body", "")
    link_url = params.get("link_url", "")
    image_url = params.get("image_url", "")
    cta = params.get("call_to_action_type", "")
    page_id = ""
    video = False
    if story is not None:
        page_id = str(story.get("page_id") or "")
        if not page_id:
            raise invalid_param(
                "(#100) Param object_story_spec[page_id] is required",
                subcode=1443048,
            )
        data = story.get("link_data") or story.get("video_data") or {}
        video = "video_data" in story
        title = title or data.get("name") or data.get("title") or ""
        body = body or data.get("message") or ""
        link_url = (
            link_url
            or data.get("link")
            or (data.get("call_to_action") or {}).get("value", {}).get("link", "")
        )
        image_url = image_url or data.get("picture") or data.get("image_url") or ""
        cta = cta or (data.get("call_to_action") or {}).get("type", "")
    elif not (
        title or body or link_url or params.get("object_id") or params.get("asset_feed_spec")
    ):
        raise required_param("object_story_spec")
    if _validate_only(params):
        return {"success": True}
    record = state.add_creative(
        account.id,
        name=params.get("name") or f"Creative {title or body[:20]}".strip(),
        title=title,
        body=body,
        link_url=link_url,
        image_url=image_url,
        call_to_action_type=cta.upper(),
        page_id=page_id,
        object_story_spec=story,
        video=video,
    )
    return {"id": record.id}


def create_ad(
    state: SandboxState, account: AccountRecord, params: dict[str, str]
) -> dict[str, Any]:
    name = _require(params, "name")
    adset_id = _require(params, "adset_id")
    adset = state.adsets.get(adset_id)
    if adset is None or adset.account_id != account.id:
        raise invalid_param(
            f"(#100) Param adset_id: ad set {adset_id} does not exist in {account.id}"
        )
    _live(adset, adset_id, "ad set")
    creative_spec = p.json_object("creative", _require(params, "creative")) or {}
    creative_id = str(creative_spec.get("creative_id") or "")
    if not creative_id:
        # An inline creative spec: Graph creates the creative on the fly.
        creative_id = create_creative(
            state, account, {k: _dump(v) for k, v in creative_spec.items()}
        )["id"]
    creative = state.creatives.get(creative_id)
    if creative is None or creative.account_id != account.id:
        raise invalid_param(
            f"(#100) Param creative[creative_id]: creative {creative_id} does not exist in {account.id}",
            subcode=1487390,
        )
    status = _status(params, default=ACTIVE)
    if _validate_only(params):
        return {"success": True}
    record = state.add_ad(adset.id, name=name, creative_id=creative_id, status=status)
    return {"id": record.id}


def _dump(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


_UPDATABLE: dict[type, frozenset[str]] = {
    AccountRecord: frozenset({"name", "spend_cap"}),
    CampaignRecord: frozenset(
        {
            "name",
            "status",
            "daily_budget",
            "lifetime_budget",
            "bid_strategy",
            "start_time",
            "stop_time",
            "special_ad_categories",
        }
    ),
    AdSetRecord: frozenset(
        {
            "name",
            "status",
            "daily_budget",
            "lifetime_budget",
            "bid_amount",
            "bid_strategy",
            "targeting",
            "optimization_goal",
            "start_time",
            "end_time",
            "promoted_object",
        }
    ),
    AdRecord: frozenset({"name", "status", "creative"}),
    CreativeRecord: frozenset({"name", "status"}),
}
_IGNORED = frozenset(
    {
        "access_token",
        "appsecret_proof",
        "fields",
        "method",
        "execution_options",
        "include_headers",
        "locale",
        "pretty",
        "suppress_http_code",
        "format",
    }
)


def update(state: SandboxState, record: AnyRecord, params: dict[str, str]) -> dict[str, Any]:
    """POST /<id>: change fields from now on; unknown parameters are Graph errors."""
    allowed = _UPDATABLE[type(record)]
    changes: dict[str, Any] = {}
    if getattr(record, "status", None) == DELETED:
        raise invalid_param("(#100) Cannot update an object that has been deleted", subcode=1815001)
    if getattr(record, "status", None) == ARCHIVED and params.get("status") not in (
        None,
        ARCHIVED,
        DELETED,
    ):
        # Meta: an ARCHIVED object's status can only move to DELETED, never back to ACTIVE
        # or PAUSED (Marketing API, "Storing and Retrieving Ad Objects", Archived and
        # Deleted). The error text is our assumption; the code is Graph's invalid-parameter.
        raise invalid_param("(#100) An archived object can only be deleted")
    for name, raw in params.items():
        if name in _IGNORED:
            continue
        if name not in allowed:
            raise invalid_param(f"(#100) Param {name} is not a valid parameter for this object")
        key = "creative_id" if name == "creative" else name
        changes[key] = _coerce(state, record, name, raw, params)
    if (
        isinstance(record, AdSetRecord)
        and {"daily_budget", "lifetime_budget"} & changes.keys()
        and state.campaigns[record.campaign_id].is_cbo
    ):
        raise invalid_param(
            "Invalid parameter",
            subcode=1885621,
            user_title="Budget Cannot Be Set on Ad Set",
            user_msg="This ad set's campaign has a campaign budget; change that instead.",
        )
    if isinstance(record, CampaignRecord | AdSetRecord):
        budget_field = "daily_budget" if record.daily_budget is not None else "lifetime_budget"
        other = "lifetime_budget" if budget_field == "daily_budget" else "daily_budget"
        if other in changes and getattr(record, budget_field) is not None:
            raise invalid_param(
                f"(#100) Cannot switch from {budget_field} to {other} on an existing object",
                subcode=1885700,
            )
    if _validate_only(params):
        return {"success": True}
    if changes:
        state.update(record.id, changes)
    return {"success": True}


def _coerce(
    state: SandboxState, record: AnyRecord, name: str, raw: str, params: dict[str, str]
) -> Any:
    if name == "status":
        return _status(params, default=ACTIVE)
    if name in ("daily_budget", "lifetime_budget", "spend_cap"):
        return _budget(params, name) if name != "spend_cap" else p.integer(name, raw, minimum=0)
    if name == "bid_amount":
        return p.integer(name, raw, minimum=1)
    if name in ("start_time", "stop_time", "end_time"):
        return p.timestamp(name, raw)
    if name in ("targeting", "promoted_object"):
        return p.json_object(name, raw)
    if name == "special_ad_categories":
        return p.string_list(name, raw)
    if name == "creative":
        spec = p.json_object(name, raw) or {}
        creative_id = str(spec.get("creative_id") or "")
        creative = state.creatives.get(creative_id)
        if creative is None or creative.account_id != record.account_id:
            raise invalid_param(
                f"(#100) Param creative[creative_id]: creative {creative_id} does not exist"
            )
        return creative_id
    if name == "name" and not raw.strip():
        raise invalid_param("(#100) Param name must be a non-empty string")
    return raw


def delete(state: SandboxState, record: AnyRecord) -> dict[str, Any]:
    """DELETE /<id>: Graph sets status DELETED (objects stay readable)."""
    if isinstance(record, AccountRecord):
        raise GraphError(
            "(#3) Application does not have the capability to make this API call.", code=3
        )
    if getattr(record, "status", None) == DELETED:
        raise unknown_object("DELETE", record.id)
    state.update(record.id, {"status": DELETED})
    return {"success": True}
