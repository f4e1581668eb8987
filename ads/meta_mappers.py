"""Graph API JSON to and from the platform-neutral types of ``ads.base``; Meta's budget units.

Pure functions: an SDK object or plain dict in, a frozen ``ads.base`` value
out. Every amount leaves here as ``Decimal`` minor units (exact: Graph's
sub-centavo spend is kept); Meta's own budget unit (cents for most currencies,
whole units for a few) is converted at this edge and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ads.base import (
    Ad,
    AdAccountInfo,
    AdDraft,
    AdSet,
    AdSetDraft,
    Campaign,
    CampaignDraft,
    Creative,
    CreativeDraft,
    InsightRow,
    Level,
    Status,
)
from ads.conversions import count_conversions, purchase_value
from ads.currency import budget_shift
from ads.errors import InvalidRequest
from storage.money import major_to_minor


def act_id(account_id: str | int | None) -> str:
    """Meta reports ``account_id`` as bare digits; the product always says ``act_<digits>``."""
    text = str(account_id or "")
    return text if text.startswith("act_") else f"act_{text}"


def graph_amount_to_minor(value: Any, currency: str) -> Decimal:
    """A major-unit money string from Graph ("1234.56") as exact minor units (123456).

    Absent or unreadable amounts count as zero: Graph omits ``spend`` on idle rows.
    """
    if isinstance(value, Decimal):
        return major_to_minor(value, currency)  # already exact: no round trip through str
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal(0)
    return major_to_minor(amount, currency)


def budget_to_minor(value: Any, currency: str) -> Decimal | None:
    """A Meta budget string ("5000") as minor units; "0"/absent means no budget at this level.

    For most currencies Meta's budget unit already is the minor unit; for the few
    Meta counts in whole units (COP, HUF, TWD, ...) it is scaled to babel's minor unit.
    """
    if value in (None, "", "0", 0):
        return None
    amount = Decimal(str(value)).scaleb(budget_shift(currency))
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def minor_to_budget(amount: Decimal, currency: str) -> int:
    """Minor units as the whole number Meta expects (rejects fractions and non-positives)."""
    value = Decimal(amount).scaleb(-budget_shift(currency))
    if value != value.to_integral_value() or value <= 0:
        raise InvalidRequest(
            f"budget must be a positive whole amount in {currency}: {amount} minor units"
        )
    return int(value)


def _int(value: Any) -> int:
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)  # Graph's usual "1234": no Decimal to make
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return 0


def parse_time(value: Any) -> datetime | None:
    """Graph timestamps ("2025-01-31T10:00:00-0300") as aware datetimes."""
    if not value:
        return None
    text = str(value)
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else None


def _status(value: Any) -> Status:
    try:
        return Status(str(value))
    except ValueError:
        return Status.PAUSED


def graph_data(obj: Any) -> dict[str, Any]:
    """Plain JSON data of an SDK object (deeply: nested SDK objects become dicts too)."""
    if hasattr(obj, "export_all_data"):  # SDK objects are Mappings, but only shallowly
        return dict(obj.export_all_data())
    return dict(obj)


def to_account(obj: Any) -> AdAccountInfo:
    d = graph_data(obj)
    return AdAccountInfo(
        id=act_id(d.get("id") or d.get("account_id")),
        name=str(d.get("name", "")),
        currency=str(d.get("currency", "")),
        timezone=str(d.get("timezone_name", "")),
        status=_int(d.get("account_status", 1)),
    )


def to_campaign(obj: Any, currency: str) -> Campaign:
    d = graph_data(obj)
    return Campaign(
        id=str(d["id"]),
        account_id=act_id(d.get("account_id")),
        name=str(d.get("name", "")),
        status=_status(d.get("status")),
        effective_status=str(d.get("effective_status", d.get("status", ""))),
        objective=str(d.get("objective", "")),
        daily_budget=budget_to_minor(d.get("daily_budget"), currency),
        lifetime_budget=budget_to_minor(d.get("lifetime_budget"), currency),
        created_time=parse_time(d.get("created_time")),
        updated_time=parse_time(d.get("updated_time")),
    )


def to_adset(obj: Any, currency: str) -> AdSet:
    d = graph_data(obj)
    targeting = d.get("targeting") or {}
    return AdSet(
        id=str(d["id"]),
        account_id=act_id(d.get("account_id")),
        campaign_id=str(d.get("campaign_id", "")),
        name=str(d.get("name", "")),
        status=_status(d.get("status")),
        effective_status=str(d.get("effective_status", d.get("status", ""))),
        daily_budget=budget_to_minor(d.get("daily_budget"), currency),
        optimization_goal=str(d.get("optimization_goal", "")),
        billing_event=str(d.get("billing_event", "IMPRESSIONS")),
        targeting=dict(targeting) if isinstance(targeting, Mapping) else {},
        updated_time=parse_time(d.get("updated_time")),
    )


def to_ad(obj: Any) -> Ad:
    d = graph_data(obj)
    creative = d.get("creative")
    creative_id = creative.get("id") if isinstance(creative, Mapping) else creative
    return Ad(
        id=str(d["id"]),
        account_id=act_id(d.get("account_id")),
        campaign_id=str(d.get("campaign_id", "")),
        adset_id=str(d.get("adset_id", "")),
        name=str(d.get("name", "")),
        status=_status(d.get("status")),
        effective_status=str(d.get("effective_status", d.get("status", ""))),
        creative_id=str(creative_id) if creative_id else None,
        updated_time=parse_time(d.get("updated_time")),
    )


def to_creative(obj: Any) -> Creative:
    d = graph_data(obj)
    story = d.get("object_story_spec") or {}
    link = story.get("link_data") or {} if isinstance(story, Mapping) else {}
    cta = link.get("call_to_action") or {}
    return Creative(
        id=str(d["id"]),
        account_id=act_id(d.get("account_id")),
        name=str(d.get("name", "")),
        title=str(d.get("title") or link.get("name") or ""),
        body=str(d.get("body") or link.get("message") or ""),
        link_url=str(d.get("link_url") or link.get("link") or ""),
        image_url=str(d.get("image_url") or link.get("picture") or ""),
        call_to_action=str(d.get("call_to_action_type") or cta.get("type") or ""),
        page_id=str(story.get("page_id") or "") if isinstance(story, Mapping) else "",
    )


def to_insight(
    obj: Any, level: Level, breakdowns: Sequence[str], currency_of: Callable[[str], str]
) -> InsightRow:
    d = graph_data(obj)
    account = act_id(d.get("account_id"))
    currency = str(d.get("account_currency") or currency_of(account))
    if level is Level.ACCOUNT:
        object_id, name = account, str(d.get("account_name", ""))
    else:
        object_id = str(d.get(f"{level.value}_id", ""))
        name = str(d.get(f"{level.value}_name", ""))
    # Conversions are the business's (purchases, else leads) on every row, whatever the
    # campaign's objective: a traffic campaign's "results" are clicks, and summing those into an
    # account's conversions would inflate its CPA and ROAS story.
    return InsightRow(
        level=level,
        object_id=object_id,
        object_name=name,
        currency=currency,
        date_start=date.fromisoformat(str(d["date_start"])),
        date_stop=date.fromisoformat(str(d["date_stop"])),
        spend=graph_amount_to_minor(d.get("spend"), currency),
        impressions=_int(d.get("impressions")),
        clicks=_int(d.get("clicks")),
        reach=_int(d.get("reach")),
        conversions=count_conversions(d.get("actions")),
        revenue=graph_amount_to_minor(purchase_value(d.get("action_values")), currency),
        campaign_id=str(d["campaign_id"]) if d.get("campaign_id") else None,
        adset_id=str(d["adset_id"]) if d.get("adset_id") else None,
        breakdown={key: str(d[key]) for key in breakdowns if key in d},
    )


# --- drafts as Graph create parameters (always PAUSED: activation is a separate, approved step) --


def campaign_params(draft: CampaignDraft, budget: int | None) -> dict[str, Any]:
    """A campaign create; ``budget`` in Meta's unit (see :func:`minor_to_budget`) or None."""
    params: dict[str, Any] = {
        "name": draft.name,
        "objective": draft.objective,
        "status": Status.PAUSED.value,
        "special_ad_categories": list(draft.special_ad_categories),
        "buying_type": "AUCTION",
    }
    if budget is not None:
        params["daily_budget"] = budget
    else:
        params["is_adset_budget_sharing_enabled"] = False
    return params


def adset_params(draft: AdSetDraft, budget: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "name": draft.name,
        "campaign_id": draft.campaign_id,
        "status": Status.PAUSED.value,
        "optimization_goal": draft.optimization_goal,
        "billing_event": draft.billing_event,
        "targeting": dict(draft.targeting),
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
    }
    if budget is not None:
        params["daily_budget"] = budget
    return params


def creative_params(draft: CreativeDraft) -> dict[str, Any]:
    """A link ad creative: its text, link and picture as ``object_story_spec.link_data``."""
    link_data: dict[str, Any] = {
        "link": draft.link_url,
        "message": draft.body,
        "name": draft.title,
        "call_to_action": {"type": draft.call_to_action, "value": {"link": draft.link_url}},
    }
    if draft.image_url:
        link_data["picture"] = draft.image_url
    story: dict[str, Any] = {"link_data": link_data}
    if draft.page_id:
        story["page_id"] = draft.page_id
    return {"name": draft.name, "object_story_spec": story}


def ad_params(draft: AdDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "adset_id": draft.adset_id,
        "creative": {"creative_id": draft.creative_id},
        "status": Status.PAUSED.value,
    }
