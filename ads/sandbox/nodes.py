"""Reading nodes and edges: Graph's JSON for accounts, campaigns, ad sets, ads, creatives.

Field values follow Graph's conventions, which differ from the neutral model
on purpose: budgets are strings in minor units ("25000" is R$ 250,00),
``account_id`` on children has no ``act_`` prefix, datetimes are ISO 8601 in
the account's timezone with a ``-0300`` style offset, unset values are absent,
and ``id`` is always returned. Edges page with opaque cursors and an absolute
``paging.next`` URL pointing back at the sandbox.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ads.sandbox import insights as ins
from ads.sandbox import params as p
from ads.sandbox.errors import invalid_param, nonexisting_field
from ads.sandbox.fields import FieldSpec, known_fields, parse_fields
from ads.sandbox.insights_query import parse_query
from ads.sandbox.records import (
    ARCHIVED,
    DELETED,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    AnyRecord,
    CampaignRecord,
    CreativeRecord,
)
from ads.sandbox.state import SandboxState

DEFAULT_LIMIT = 25
MAX_LIMIT = 5000
EFFECTIVE_STATUSES = frozenset(
    {
        "ACTIVE",
        "PAUSED",
        "DELETED",
        "PENDING_REVIEW",
        "DISAPPROVED",
        "PREAPPROVED",
        "PENDING_BILLING_INFO",
        "CAMPAIGN_PAUSED",
        "ARCHIVED",
        "ADSET_PAUSED",
        "IN_PROCESS",
        "WITH_ISSUES",
    }
)


@dataclass(frozen=True)
class Context:
    """What rendering needs beyond the state: where links should point, and who asks."""

    state: SandboxState
    base_url: str  # e.g. "http://127.0.0.1:8765"
    version: str  # e.g. "v24.0"
    token: str | None


def node_type(record: AnyRecord) -> str:
    return {
        AccountRecord: "AdAccount",
        CampaignRecord: "Campaign",
        AdSetRecord: "AdSet",
        AdRecord: "Ad",
        CreativeRecord: "AdCreative",
    }[type(record)]


def graph_time(moment: datetime | None, account: AccountRecord) -> str | None:
    """Graph's datetime format: ``2025-03-10T09:00:00-0300`` in the account's timezone."""
    if moment is None:
        return None
    return moment.astimezone(account.tz).strftime("%Y-%m-%dT%H:%M:%S%z")


def _money(value: int | None) -> str | None:
    return None if value is None else str(value)


# --- nodes ---------------------------------------------------------------------------------


def render(
    ctx: Context, record: AnyRecord, specs: Sequence[FieldSpec], *, default: Sequence[str] = ("id",)
) -> dict[str, Any]:
    """A node as Graph returns it for ``fields`` (``default`` when none were asked)."""
    kind = node_type(record)
    chosen = list(specs) or [FieldSpec(name) for name in default]
    valid = known_fields(kind)
    for spec in chosen:
        if valid is not None and spec.name not in valid:
            raise nonexisting_field(spec.name, kind)
    out: dict[str, Any] = {}
    for spec in chosen:
        value = _value(ctx, record, spec)
        if value is not None:
            out[spec.name] = value
    out.setdefault("id", record.id)
    return out


def _value(ctx: Context, record: AnyRecord, spec: FieldSpec) -> Any:
    state = ctx.state
    account = state.accounts[record.account_id]
    name = spec.name
    if name in _EDGES.get(type(record), ()):
        return _embedded_edge(ctx, record, spec)
    if isinstance(record, AccountRecord):
        return _account_value(ctx, record, name)
    common: dict[str, Callable[[], Any]] = {
        "id": lambda: record.id,
        "account_id": lambda: account.numeric_id,
        "name": lambda: record.name,
        "created_time": lambda: graph_time(record.created_time, account),
        "updated_time": lambda: graph_time(record.updated_time, account),
    }
    if name in common:
        return common[name]()
    if isinstance(record, CreativeRecord):
        return _creative_value(record, name)
    if name in ("status", "configured_status"):
        return record.status  # type: ignore[union-attr]
    if name == "effective_status":
        return state.effective_status(record)
    if isinstance(record, CampaignRecord):
        return _campaign_value(ctx, record, account, name)
    if isinstance(record, AdSetRecord):
        return _adset_value(ctx, record, account, spec)
    if isinstance(record, AdRecord):
        return _ad_value(ctx, record, spec)
    return None


def _account_value(ctx: Context, account: AccountRecord, name: str) -> Any:
    now = ctx.state.now()
    offset = now.astimezone(account.tz).utcoffset()
    values: dict[str, Callable[[], Any]] = {
        "id": lambda: account.id,
        "account_id": lambda: account.numeric_id,
        "name": lambda: account.name,
        "currency": lambda: account.currency,
        "timezone_name": lambda: account.timezone,
        "timezone_offset_hours_utc": lambda: offset.total_seconds() / 3600 if offset else 0.0,
        "account_status": lambda: account.account_status,
        "disable_reason": lambda: 0,
        "amount_spent": lambda: str(ctx.state.engine.lifetime_spend(account.id)),
        "spend_cap": lambda: str(account.spend_cap),
        "balance": lambda: "0",
        "business": lambda: {"id": account.business_id, "name": account.business_name},
        "business_name": lambda: account.business_name,
        "owner": lambda: account.business_id,
        "created_time": lambda: graph_time(account.created_time, account),
        "min_daily_budget": lambda: 100,
        "is_prepay_account": lambda: False,
        "age": lambda: round((now - account.created_time).total_seconds() / 86400, 2),
        "user_tasks": lambda: ["DRAFT", "ANALYZE", "ADVERTISE", "MANAGE"],
    }
    getter = values.get(name)
    return getter() if getter else None


def _budget_remaining(ctx: Context, record: CampaignRecord | AdSetRecord) -> str:
    daily = record.daily_budget
    if daily is None:
        return "0"
    account = ctx.state.accounts[record.account_id]
    today = ctx.state.today(account.id)
    spent = ctx.state.engine.totals(record.id, today, today, settled=True).spend
    return str(max(0, daily - spent))


def _campaign_value(ctx: Context, c: CampaignRecord, account: AccountRecord, name: str) -> Any:
    values: dict[str, Callable[[], Any]] = {
        "objective": lambda: c.objective,
        "daily_budget": lambda: _money(c.daily_budget),
        "lifetime_budget": lambda: _money(c.lifetime_budget),
        "budget_remaining": lambda: _budget_remaining(ctx, c),
        "bid_strategy": lambda: c.bid_strategy,
        "buying_type": lambda: c.buying_type,
        "special_ad_categories": lambda: list(c.special_ad_categories),
        "special_ad_category": lambda: (
            c.special_ad_categories[0] if c.special_ad_categories else "NONE"
        ),
        "start_time": lambda: graph_time(c.start_time, account),
        "stop_time": lambda: graph_time(c.stop_time, account),
        "source_campaign_id": lambda: "0",
        "smart_promotion_type": lambda: "GUIDED_CREATION",
        "can_use_spend_cap": lambda: True,
        "budget_rebalance_flag": lambda: False,
        "pacing_type": lambda: ["standard"],
    }
    getter = values.get(name)
    return getter() if getter else None


def _adset_value(ctx: Context, s: AdSetRecord, account: AccountRecord, spec: FieldSpec) -> Any:
    campaign = ctx.state.campaigns[s.campaign_id]
    values: dict[str, Callable[[], Any]] = {
        "campaign_id": lambda: s.campaign_id,
        "campaign": lambda: _reference(ctx, campaign, spec),
        "daily_budget": lambda: _money(s.daily_budget),
        "lifetime_budget": lambda: _money(s.lifetime_budget),
        "budget_remaining": lambda: _budget_remaining(ctx, s),
        "optimization_goal": lambda: s.optimization_goal,
        "billing_event": lambda: s.billing_event,
        "bid_strategy": lambda: (
            s.bid_strategy or campaign.bid_strategy or "LOWEST_COST_WITHOUT_CAP"
        ),
        "bid_amount": lambda: s.bid_amount,
        "targeting": lambda: s.targeting,
        "promoted_object": lambda: s.promoted_object,
        "start_time": lambda: graph_time(s.start_time, account),
        "end_time": lambda: graph_time(s.end_time, account),
        "destination_type": lambda: "WEBSITE",
        "pacing_type": lambda: ["standard"],
        "is_dynamic_creative": lambda: False,
        "attribution_spec": lambda: [
            {"event_type": "CLICK_THROUGH", "window_days": 7},
            {"event_type": "VIEW_THROUGH", "window_days": 1},
        ],
    }
    getter = values.get(spec.name)
    return getter() if getter else None


def _ad_value(ctx: Context, ad: AdRecord, spec: FieldSpec) -> Any:
    state = ctx.state
    values: dict[str, Callable[[], Any]] = {
        "campaign_id": lambda: ad.campaign_id,
        "adset_id": lambda: ad.adset_id,
        "campaign": lambda: _reference(ctx, state.campaigns[ad.campaign_id], spec),
        "adset": lambda: _reference(ctx, state.adsets[ad.adset_id], spec),
        "creative": lambda: _reference(ctx, state.creatives[ad.creative_id], spec),
    }
    getter = values.get(spec.name)
    return getter() if getter else None


def _creative_value(c: CreativeRecord, name: str) -> Any:
    values: dict[str, Any] = {
        "title": c.title or None,
        "body": c.body or None,
        "link_url": c.link_url or None,
        "image_url": c.image_url or None,
        "thumbnail_url": (c.image_url + "?stp=dst-jpg_s64x64") if c.image_url else None,
        "call_to_action_type": c.call_to_action_type or None,
        "object_story_spec": c.object_story_spec,
        "object_type": "VIDEO" if c.video else "SHARE",
        "status": c.status,
        "actor_id": c.page_id or None,
        "effective_object_story_id": f"{c.page_id}_{c.id}" if c.page_id else None,
    }
    return values.get(name)


def _reference(ctx: Context, record: AnyRecord, spec: FieldSpec) -> dict[str, Any]:
    return render(ctx, record, spec.children or ())


# --- edges ---------------------------------------------------------------------------------

_EDGES: dict[type, tuple[str, ...]] = {
    AccountRecord: ("campaigns", "adsets", "ads", "adcreatives", "insights"),
    CampaignRecord: ("adsets", "ads", "insights"),
    AdSetRecord: ("ads", "insights"),
    AdRecord: ("adcreatives", "insights"),
}


def edge_records(state: SandboxState, record: AnyRecord, edge: str) -> list[AnyRecord] | None:
    """Children of ``record`` on ``edge`` (None: no such edge on this node type)."""
    if edge not in _EDGES.get(type(record), ()) or edge == "insights":
        return None
    if edge == "campaigns":
        return list(state.campaigns_of(record.id))
    if edge == "adsets":
        return list(state.adsets_of(record.id))
    if edge == "ads":
        return list(state.ads_of(record.id))
    if isinstance(record, AdRecord):
        return [state.creatives[record.creative_id]]
    return list(state.creatives_of(record.id))


def _embedded_edge(ctx: Context, record: AnyRecord, spec: FieldSpec) -> dict[str, Any] | None:
    params = spec.modifier_params()
    fields = ",".join(_spec_text(c) for c in spec.children or ())
    if fields:
        params["fields"] = fields
    path = f"{record.id}/{spec.name}"
    if spec.name == "insights":
        page = insights_page(ctx, record, params, path)
        return page if page["data"] else None
    records = edge_records(ctx.state, record, spec.name) or []
    return list_page(ctx, records, params, path)


def _spec_text(spec: FieldSpec) -> str:
    text = spec.name + "".join(f".{k}({v})" for k, v in spec.modifiers)
    if spec.children is not None:
        text += "{" + ",".join(_spec_text(c) for c in spec.children) + "}"
    return text


def list_page(
    ctx: Context,
    records: Sequence[AnyRecord],
    params: dict[str, str],
    path: str,
    *,
    ascending: bool = False,
) -> dict[str, Any]:
    """One page of an object edge, newest first (accounts: by id), with cursors."""
    specs = parse_fields(params.get("fields"))
    wanted = p.string_list("effective_status", params.get("effective_status"))
    for index, status in enumerate(wanted):
        if status not in EFFECTIVE_STATUSES:
            raise invalid_param(
                f"(#100) Param effective_status[{index}] must be one of {{"
                + ", ".join(sorted(EFFECTIVE_STATUSES))
                + "}"
            )
    conditions = p.filters(params.get("filtering"))
    status_filtered = bool(wanted) or any(c.field.endswith("effective_status") for c in conditions)
    selected = []
    for record in records:
        status = ctx.state.effective_status(record)
        if wanted and status not in wanted:
            continue
        if not status_filtered and status in (DELETED, ARCHIVED):
            continue
        if all(c.matches(_filter_value(ctx, record, c.field)) for c in conditions):
            selected.append(record)
    selected.sort(key=lambda r: int(r.id.removeprefix("act_")), reverse=not ascending)
    limit = _limit(params)
    ids = [r.id for r in selected]
    start = 0
    if params.get("after"):
        start = _after_index(ids, _decode(params["after"]), ascending)
    elif params.get("before"):
        end = _before_index(ids, _decode(params["before"]), ascending)
        start = max(0, end - limit)
    window = selected[start : start + limit]
    body: dict[str, Any] = {"data": [render(ctx, r, specs) for r in window]}
    if window:
        paging: dict[str, Any] = {
            "cursors": {"before": _encode(window[0].id), "after": _encode(window[-1].id)}
        }
        if start + limit < len(selected):
            paging["next"] = _link(ctx, path, params, after=_encode(window[-1].id))
        if start > 0:
            paging["previous"] = _link(ctx, path, params, before=_encode(window[0].id))
        body["paging"] = paging
    if p.boolean(params.get("summary")):
        body["summary"] = {"total_count": len(selected)}
    return body


def _filter_value(ctx: Context, record: AnyRecord, name: str) -> Any:
    attr = name.split(".")[-1]
    if name in ("campaign.id", "adset.id") and not isinstance(record, CampaignRecord):
        return getattr(record, name.replace(".", "_"), None)
    if attr == "effective_status":
        return ctx.state.effective_status(record)
    if attr == "id":
        return record.id
    return getattr(record, attr, None)


def insights_page(
    ctx: Context, record: AnyRecord, params: dict[str, str], path: str
) -> dict[str, Any]:
    """One page of insights rows for ``record`` (offset cursors, like Graph's)."""
    query = parse_query(ctx.state, record, params)
    rows, summary = ins.run(ctx.state, record, query)
    return rows_page(ctx, rows, params, path, summary=summary)


def rows_page(
    ctx: Context,
    rows: list[dict[str, Any]],
    params: dict[str, str],
    path: str,
    *,
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    limit = _limit(params)
    start = 0
    if params.get("after"):
        start = _offset(params["after"]) + 1
    elif params.get("before"):
        start = max(0, _offset(params["before"]) - limit)
    window = rows[start : start + limit]
    body: dict[str, Any] = {"data": window}
    if window:
        last = start + len(window) - 1
        paging: dict[str, Any] = {
            "cursors": {"before": _encode(f"o:{start}"), "after": _encode(f"o:{last}")}
        }
        if last + 1 < len(rows):
            paging["next"] = _link(ctx, path, params, after=_encode(f"o:{last}"))
        if start > 0:
            paging["previous"] = _link(ctx, path, params, before=_encode(f"o:{start}"))
        body["paging"] = paging
    if summary is not None:
        body["summary"] = summary
    return body


def _limit(params: dict[str, str]) -> int:
    value = p.integer("limit", params.get("limit"), minimum=0)
    return (
        MAX_LIMIT
        if value is not None and value > MAX_LIMIT
        else (DEFAULT_LIMIT if value is None else value)
    )


def _link(ctx: Context, path: str, params: dict[str, str], **cursor: str) -> str:
    query = {k: v for k, v in params.items() if k not in ("after", "before")}
    if ctx.token and "access_token" not in query:
        query["access_token"] = ctx.token
    query.update(cursor)
    return f"{ctx.base_url}/{ctx.version}/{path}?{urlencode(query)}"


def _encode(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def _decode(value: str) -> str:
    padded = value + "=" * (-len(value) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_param("(#100) Invalid pagination cursor") from exc


def _offset(cursor: str) -> int:
    text = _decode(cursor)
    if not text.startswith("o:") or not text[2:].isdigit():
        raise invalid_param("(#100) Invalid pagination cursor")
    return int(text[2:])


def _key(object_id: str) -> int:
    digits = object_id.removeprefix("act_")
    if not digits.isdigit():
        raise invalid_param("(#100) Invalid pagination cursor")
    return int(digits)


def _after_index(ids: list[str], cursor_id: str, ascending: bool) -> int:
    key = _key(cursor_id)
    for index, object_id in enumerate(ids):
        current = _key(object_id)
        if (current > key) if ascending else (current < key):
            return index
    return len(ids)


def _before_index(ids: list[str], cursor_id: str, ascending: bool) -> int:
    key = _key(cursor_id)
    for index, object_id in enumerate(ids):
        current = _key(object_id)
        if (current >= key) if ascending else (current <= key):
            return index
    return len(ids)
