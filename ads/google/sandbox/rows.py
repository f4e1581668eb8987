"""GAQL rows from the sandbox's world: which fields each resource offers and their values.

Google customers are accounts of the shared :class:`~ads.sandbox.state.SandboxState`
marked ``platform="google"``; campaigns map to its campaigns, ad groups to its ad
sets, ads to its ads, and each campaign has its own (unshared) campaign budget
named ``campaignBudgets/<campaign id>``. Metrics come from the same delivery
model as Graph's insights, at the moment of the simulated clock (attribution lag
included), converted as Google reports them: ``cost_micros`` in millionths of
the currency unit, ``conversions`` and ``conversions_value`` as doubles.

Assumptions (stated, not sourced): a query selecting metrics without any
``segments.date`` filter covers the customer's lifetime; rows whose metrics are
all zero are omitted, as Google omits them when a query selects metrics.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel.numbers import get_currency_precision
from google.ads.googleads.v26.services.types.google_ads_service import GoogleAdsRow

from ads.google.sandbox.gaql import Condition, GaqlError, Query
from ads.sandbox.figures import Totals
from ads.sandbox.records import (
    ACTIVE,
    ARCHIVED,
    DELETED,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    CampaignRecord,
)
from ads.sandbox.state import SandboxState

#: Meta-model status → Google's ``*Status`` enum name.
GOOGLE_STATUS = {ACTIVE: "ENABLED", "PAUSED": "PAUSED", DELETED: "REMOVED", ARCHIVED: "REMOVED"}
#: The resources a query may select FROM, and the resources whose fields it may also select.
RESOURCES: dict[str, tuple[str, ...]] = {
    "customer": ("customer",),
    "campaign": ("campaign", "campaign_budget", "customer"),
    "campaign_budget": ("campaign_budget", "customer"),
    "ad_group": ("ad_group", "campaign", "campaign_budget", "customer"),
    "ad_group_ad": ("ad_group_ad", "ad_group", "campaign", "campaign_budget", "customer"),
}
_WITH_METRICS = frozenset({"customer", "campaign", "ad_group", "ad_group_ad"})


@dataclass
class RowContext:
    state: SandboxState
    customer: AccountRecord
    campaign: CampaignRecord | None = None
    adset: AdSetRecord | None = None
    ad: AdRecord | None = None
    day: date | None = None
    totals: Totals | None = None

    @property
    def customer_id(self) -> str:
        return self.customer.numeric_id

    def micros(self, minor: int | None) -> int:
        if minor is None:
            return 0
        return int(minor) * 10 ** (6 - get_currency_precision(self.customer.currency))


def channel_type(campaign: CampaignRecord) -> str:
    """The campaign's advertising channel, read from its name (a sandbox convention)."""
    name = campaign.name.lower()
    for needle, channel in (
        ("pmax", "PERFORMANCE_MAX"),
        ("performance max", "PERFORMANCE_MAX"),
        ("shopping", "SHOPPING"),
        ("youtube", "VIDEO"),
        ("vídeo", "VIDEO"),
        ("video", "VIDEO"),
        ("display", "DISPLAY"),
        ("demand gen", "DEMAND_GEN"),
    ):
        if needle in name:
            return channel
    return "SEARCH"


def _status(ctx: RowContext, record: Any) -> str:
    return GOOGLE_STATUS.get(record.value_at("status", ctx.state.now()), "PAUSED")


def _campaign(ctx: RowContext) -> CampaignRecord:
    assert ctx.campaign is not None
    return ctx.campaign


def _adset(ctx: RowContext) -> AdSetRecord:
    assert ctx.adset is not None
    return ctx.adset


def _ad(ctx: RowContext) -> AdRecord:
    assert ctx.ad is not None
    return ctx.ad


def _serving(ctx: RowContext) -> str:
    effective = ctx.state.effective_status(_campaign(ctx))
    return "SERVING" if effective == ACTIVE else "SUSPENDED" if effective == "PAUSED" else "ENDED"


def _budget_micros(ctx: RowContext) -> int:
    campaign = _campaign(ctx)
    return ctx.micros(campaign.value_at("daily_budget", ctx.state.now()))


def _totals(ctx: RowContext) -> Totals:
    return ctx.totals or Totals()


Getter = Callable[[RowContext], Any]

FIELDS: dict[str, Getter] = {
    "customer.resource_name": lambda c: f"customers/{c.customer_id}",
    "customer.id": lambda c: int(c.customer_id),
    "customer.descriptive_name": lambda c: c.customer.name,
    "customer.currency_code": lambda c: c.customer.currency,
    "customer.time_zone": lambda c: c.customer.timezone,
    "customer.manager": lambda c: False,
    "customer.status": lambda c: "ENABLED" if c.customer.account_status == 1 else "SUSPENDED",
    "campaign.resource_name": lambda c: f"customers/{c.customer_id}/campaigns/{_campaign(c).id}",
    "campaign.id": lambda c: int(_campaign(c).id),
    "campaign.name": lambda c: _campaign(c).name,
    "campaign.status": lambda c: _status(c, _campaign(c)),
    "campaign.serving_status": _serving,
    "campaign.primary_status": lambda c: {"SERVING": "ELIGIBLE"}.get(_serving(c), "PAUSED"),
    "campaign.advertising_channel_type": lambda c: channel_type(_campaign(c)),
    "campaign.campaign_budget": lambda c: (
        f"customers/{c.customer_id}/campaignBudgets/{_campaign(c).id}"
    ),
    "campaign_budget.resource_name": lambda c: (
        f"customers/{c.customer_id}/campaignBudgets/{_campaign(c).id}"
    ),
    "campaign_budget.id": lambda c: int(_campaign(c).id),
    "campaign_budget.name": lambda c: f"Orçamento {_campaign(c).name}",
    "campaign_budget.amount_micros": _budget_micros,
    "campaign_budget.explicitly_shared": lambda c: False,
    "campaign_budget.reference_count": lambda c: 1,
    "campaign_budget.status": lambda c: (
        "REMOVED" if _status(c, _campaign(c)) == "REMOVED" else "ENABLED"
    ),
    "ad_group.resource_name": lambda c: f"customers/{c.customer_id}/adGroups/{_adset(c).id}",
    "ad_group.id": lambda c: int(_adset(c).id),
    "ad_group.name": lambda c: _adset(c).name,
    "ad_group.status": lambda c: _status(c, _adset(c)),
    "ad_group.campaign": lambda c: f"customers/{c.customer_id}/campaigns/{_adset(c).campaign_id}",
    "ad_group_ad.resource_name": lambda c: (
        f"customers/{c.customer_id}/adGroupAds/{_ad(c).adset_id}~{_ad(c).id}"
    ),
    "ad_group_ad.status": lambda c: _status(c, _ad(c)),
    "ad_group_ad.ad_group": lambda c: f"customers/{c.customer_id}/adGroups/{_ad(c).adset_id}",
    "ad_group_ad.ad.id": lambda c: int(_ad(c).id),
    "ad_group_ad.ad.name": lambda c: _ad(c).name,
    "ad_group_ad.ad.resource_name": lambda c: f"customers/{c.customer_id}/ads/{_ad(c).id}",
    "segments.date": lambda c: c.day.isoformat() if c.day else "",
    "metrics.cost_micros": lambda c: c.micros(_totals(c).spend),
    "metrics.impressions": lambda c: _totals(c).impressions,
    "metrics.clicks": lambda c: _totals(c).clicks,
    "metrics.conversions": lambda c: float(_totals(c).purchases),
    "metrics.conversions_value": lambda c: (
        _totals(c).revenue / 10 ** get_currency_precision(c.customer.currency)
    ),
    "metrics.ctr": lambda c: (
        (_totals(c).clicks / _totals(c).impressions) if _totals(c).impressions else 0.0
    ),
    "metrics.average_cpc": lambda c: (
        (c.micros(_totals(c).spend) / _totals(c).clicks) if _totals(c).clicks else 0.0
    ),
}


def validate(query: Query) -> None:
    """Refuse what Google refuses: unknown resources and fields, metrics where none exist."""
    if query.resource not in RESOURCES:
        raise GaqlError(
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
            f"Error in query: {query.resource!r} is not a resource the API serves.",
        )
    allowed = RESOURCES[query.resource]
    names = [*query.fields, *(c.field for c in query.conditions), *(f for f, _ in query.order_by)]
    for name in names:
        if name not in FIELDS:
            raise GaqlError("UNRECOGNIZED_FIELD", f"Error in query: unrecognized field {name!r}.")
        prefix = name.split(".", 1)[0]
        if prefix == "metrics" and query.resource not in _WITH_METRICS:
            raise GaqlError(
                "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
                f"Error in query: metrics cannot be selected with FROM {query.resource}.",
            )
        if prefix not in ("metrics", "segments") and prefix not in allowed:
            raise GaqlError(
                "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE",
                f"Error in query: {prefix} fields cannot be selected FROM {query.resource}.",
            )
    for name, _ in query.order_by:
        if name not in query.fields:
            raise GaqlError(
                "EXPECTED_REFERENCED_FIELD_IN_SELECT_CLAUSE",
                f"Error in query: ORDER BY {name} must also be selected.",
            )


def rows(state: SandboxState, customer: AccountRecord, query: Query) -> list[GoogleAdsRow]:
    """The rows ``query`` returns for ``customer`` now (``validate`` first)."""
    validate(query)
    selects_metrics = any(f.startswith("metrics.") for f in query.fields)
    by_day = "segments.date" in query.fields
    today = state.today(customer.id)
    since, until = query.date_range or (customer.created_time.date(), today)
    until = min(until, today)
    found: list[tuple[RowContext, GoogleAdsRow]] = []
    for base in _objects(state, customer, query.resource):
        object_id = _object_id(base, customer)
        days: list[tuple[date | None, date, date]] = (
            [(d, d, d) for d in _days(since, until)] if by_day else [(None, since, until)]
        )
        for day, first, last in days:
            ctx = RowContext(**{**base.__dict__, "day": day})
            if selects_metrics or any(c.field.startswith("metrics.") for c in query.conditions):
                ctx.totals = state.totals(object_id, first, last) if first <= last else Totals()
                t = ctx.totals
                if selects_metrics and not (t.impressions or t.clicks or t.spend):
                    continue
            if all(_passes(ctx, c) for c in query.conditions if c.field != "segments.date"):
                found.append((ctx, _row(ctx, query.fields)))
    for name, descending in reversed(query.order_by):
        getter = FIELDS[name]
        found.sort(key=lambda pair: getter(pair[0]), reverse=descending)
    result = [row for _, row in found]
    return result[: query.limit] if query.limit else result


def _objects(state: SandboxState, customer: AccountRecord, resource: str) -> Iterator[RowContext]:
    if resource == "customer":
        yield RowContext(state, customer)
        return
    for campaign in state.campaigns_of(customer.id):
        if resource in ("campaign", "campaign_budget"):
            yield RowContext(state, customer, campaign)
            continue
        for adset in state.adsets_of(campaign.id):
            if resource == "ad_group":
                yield RowContext(state, customer, campaign, adset)
                continue
            for ad in state.ads_of(adset.id):
                yield RowContext(state, customer, campaign, adset, ad)


def _object_id(ctx: RowContext, customer: AccountRecord) -> str:
    record = ctx.ad or ctx.adset or ctx.campaign
    return record.id if record is not None else customer.id


def _days(since: date, until: date) -> Iterator[date]:
    day = since
    while day <= until:
        yield day
        day += timedelta(days=1)


def _passes(ctx: RowContext, condition: Condition) -> bool:
    value = FIELDS[condition.field](ctx)
    wanted = [_coerce(v, value) for v in condition.values]
    op = condition.operator
    if op == "=":
        return bool(value == wanted[0])
    if op == "!=":
        return bool(value != wanted[0])
    if op in (">", ">=", "<", "<="):
        return {
            ">": value > wanted[0],
            ">=": value >= wanted[0],
            "<": value < wanted[0],
            "<=": value <= wanted[0],
        }[op]
    if op in ("IN", "NOT_IN"):
        return (value in wanted) == (op == "IN")
    if op in ("LIKE", "NOT_LIKE"):
        pattern = str(wanted[0]).replace("%", "*").replace("_", "?")
        return fnmatch.fnmatchcase(str(value), pattern) == (op == "LIKE")
    if op == "BETWEEN":
        return bool(wanted[0] <= value <= wanted[1])
    raise GaqlError("BAD_OPERATOR", f"Error in query: {op} does not apply to {condition.field}.")


def _coerce(wanted: str | float, actual: Any) -> Any:
    if isinstance(actual, bool):
        return str(wanted).upper() == "TRUE"
    if isinstance(actual, int | float) and not isinstance(wanted, float):
        try:
            return float(wanted)
        except ValueError:
            raise GaqlError("BAD_NUMBER", f"Error in query: {wanted!r} is not a number.") from None
    return wanted if isinstance(actual, int | float) else str(wanted)


def _row(ctx: RowContext, fields: tuple[str, ...]) -> GoogleAdsRow:
    row = GoogleAdsRow()
    raw = GoogleAdsRow.pb(row)  # the same message, without proto-plus's wrapper per access
    for name in fields:
        path, leaf, owners = _paths(name)
        value = FIELDS[name](ctx)
        target: Any = raw
        for part in path:
            target = getattr(target, part)
        try:
            setattr(target, leaf, value)
        except TypeError:  # an enum by name (or the like): proto-plus converts it
            target = row
            for part in path:
                target = getattr(target, part)
            setattr(target, "type_" if leaf == "type" else leaf, value)
        for owner in owners:  # Google always returns a selected resource's name
            holder: Any = raw
            for part in owner:
                holder = getattr(holder, part)
            holder.resource_name = FIELDS[".".join((*owner, "resource_name"))](ctx)
    return row


@functools.cache
def _paths(name: str) -> tuple[tuple[str, ...], str, tuple[tuple[str, ...], ...]]:
    """A field's message path, its leaf, and the paths of the resources whose name goes along."""
    *path, leaf = name.split(".")
    owners = tuple(
        tuple(path[:i])
        for i in range(1, len(path) + 1)
        if f"{'.'.join(path[:i])}.resource_name" in FIELDS and ".".join(path[:i]) != "metrics"
    )
    return tuple(path), leaf, owners
