"""The insights edge: a validated query in (:mod:`ads.sandbox.insights_query`), Graph-shaped rows out.

Rows look exactly like Meta's, quirks included, because the connector has to
cope with the real thing:

* every number is a string; money in *major* units without trailing zeros
  ("1234.5"), ratios with up to six decimals;
* ``actions`` / ``action_values`` list the same purchases under several
  aliases (``purchase``, ``omni_purchase``,
  ``offsite_conversion.fb_pixel_purchase``, ``onsite_web_purchase``...) so
  naive summing double counts;
* rows with no delivery are omitted, as are empty fields;
* below account level, deleted and archived objects are left out unless the
  request filters on their ``effective_status``;
* figures for recent days keep growing for up to 7 days (attribution lag, most
  of it in the first 3; see :mod:`ads.sandbox.attribution`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from ads.sandbox import breakdowns as bd
from ads.sandbox import params as p
from ads.sandbox.errors import nonexisting_field
from ads.sandbox.fields import known_fields
from ads.sandbox.figures import AdDay, Reported, Totals
from ads.sandbox.incidents import pixel_windows, segment_multipliers
from ads.sandbox.insights_query import InsightsQuery
from ads.sandbox.localtime import day_bounds
from ads.sandbox.model import apportion, format_major, format_ratio
from ads.sandbox.records import (
    ARCHIVED,
    DELETED,
    AccountRecord,
    AdRecord,
    AdSetRecord,
    AnyRecord,
    CampaignRecord,
)
from ads.sandbox.state import SandboxState

PURCHASE = (
    "offsite_conversion.fb_pixel_purchase",
    "omni_purchase",
    "onsite_web_app_purchase",
    "onsite_web_purchase",
    "purchase",
    "web_app_in_store_purchase",
    "web_in_store_purchase",
)
ADD_TO_CART = (
    "add_to_cart",
    "offsite_conversion.fb_pixel_add_to_cart",
    "omni_add_to_cart",
    "onsite_web_add_to_cart",
    "onsite_web_app_add_to_cart",
)
INITIATE_CHECKOUT = (
    "initiate_checkout",
    "offsite_conversion.fb_pixel_initiate_checkout",
    "omni_initiated_checkout",
    "onsite_web_initiate_checkout",
)
VIEW_CONTENT = (
    "offsite_conversion.fb_pixel_view_content",
    "omni_view_content",
    "onsite_web_view_content",
    "view_content",
)
LANDING_PAGE_VIEW = ("landing_page_view", "omni_landing_page_view")

# --- execution ----------------------------------------------------------------------------


def run(
    state: SandboxState, record: AnyRecord, query: InsightsQuery
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """All rows (before paging), and the ``summary`` row when ``default_summary`` was asked."""
    account = state.accounts[record.account_id]
    ads = _select_ads(state, record, query)
    now = state.now()
    today = state.today(account.id)
    groups: dict[tuple[int, str, tuple[tuple[str, str], ...]], Totals] = {}
    segment_cache: dict[str, list[bd.Segment]] = {}
    blind = pixel_windows(account.incidents)
    for index, (since, until) in enumerate(query.buckets):
        last = min(until, today)
        if since > last:
            continue
        for ad_day in state.engine.ad_days(ads, since, last):
            ad = state.ads[ad_day.ad_id]
            owner = _owner(ad, query.level)
            reported = ad_day.reported(now, blind)
            if not query.breakdowns:
                groups.setdefault((index, owner, ()), Totals()).add_day(ad_day, reported)
                continue
            segments = segment_cache.get(ad.id)
            if segments is None:
                targeting = state.adsets[ad.adset_id].targeting
                segments = bd.segments(query.breakdowns, targeting, state.seed, ad.id)
                segment_cache[ad.id] = segments
            lifts = (
                segment_multipliers(account.incidents, *day_bounds(ad_day.day, account))
                if account.incidents
                else {}
            )
            for key, parts in _split_day(ad_day, reported, segments, lifts):
                groups.setdefault((index, owner, key), Totals()).add(**parts)
    rows = []
    for (index, owner, key), totals in sorted(groups.items(), key=_group_order):
        if totals.empty:
            continue
        row = _row(state, account, query, owner, query.buckets[index], key, totals)
        if all(_row_passes(f, row, totals, account) for f in query.row_filters):
            rows.append(row)
    for name, descending in reversed(query.sort):
        rows.sort(key=functools.partial(_sort_key, name), reverse=descending)
    summary = None
    if query.summary and rows:
        merged = Totals()
        for totals in groups.values():
            merged.merge(totals)
        first = min(b[0] for b in query.buckets)
        last = max(b[1] for b in query.buckets)
        summary = _row(state, account, query, account.id, (first, last), (), merged, identity=False)
    return rows, summary


def _group_order(
    item: tuple[tuple[int, str, tuple[tuple[str, str], ...]], Totals],
) -> tuple[Any, ...]:
    (index, owner, key), _ = item
    numeric = int(owner.removeprefix("act_")) if owner.removeprefix("act_").isdigit() else 0
    return (index, numeric, key)


def _select_ads(state: SandboxState, record: AnyRecord, query: InsightsQuery) -> list[AdRecord]:
    ads = state.ads_of(record.id)
    level_filtered = any(f.field == f"{query.level}.effective_status" for f in query.object_filters)
    result = []
    for ad in ads:
        objects: dict[str, AnyRecord] = {
            "account": state.accounts[ad.account_id],
            "campaign": state.campaigns[ad.campaign_id],
            "adset": state.adsets[ad.adset_id],
            "ad": ad,
        }
        if query.level != "account" and not level_filtered:
            owner = objects[query.level]
            if state.effective_status(owner) in (DELETED, ARCHIVED):
                continue
        if all(_object_passes(state, f, objects) for f in query.object_filters):
            result.append(ad)
    return result


def _object_passes(state: SandboxState, item: p.Filter, objects: dict[str, Any]) -> bool:
    level, _, attr = item.field.partition(".")
    target = objects[level]
    if attr == "effective_status":
        value: Any = state.effective_status(target)
    elif attr == "id":
        value = target.id
        if isinstance(target, AccountRecord) and "act_" not in str(item.value):
            value = target.numeric_id  # Graph accepts the account id with or without act_
    else:
        value = getattr(target, attr, None)
    return item.matches(value)


def _owner(ad: AdRecord, level: str) -> str:
    return {
        "account": ad.account_id,
        "campaign": ad.campaign_id,
        "adset": ad.adset_id,
        "ad": ad.id,
    }[level]


def _split_day(
    day: AdDay,
    reported: Reported,
    segments: Sequence[bd.Segment],
    lifts: dict[tuple[str, str], float] | None = None,
) -> list[tuple[tuple[tuple[str, str], ...], dict[str, Any]]]:
    """One ad-day split by segment; ``lifts`` multiply segments' purchase weights (a surge)."""
    imp_w = [s.impressions for s in segments]
    cost_w = [s.cost for s in segments]
    click_w = [s.clicks for s in segments]
    boost = lifts or {}
    conv_w = [s.conversions * math.prod(boost.get(k, 1.0) for k in s.key) for s in segments]
    spend = apportion(day.spend, cost_w)
    impressions = apportion(day.impressions, imp_w)
    clicks = apportion(day.clicks, click_w)
    link = apportion(day.link_clicks, click_w)
    landing = apportion(day.landing_page_views, click_w)
    video = apportion(day.video_views, imp_w)
    reactions = apportion(day.post_reactions, imp_w)
    purchases = apportion(reported.purchases, conv_w)
    revenue = (
        apportion(reported.revenue, [float(x) for x in purchases])
        if reported.purchases
        else [0] * len(segments)
    )
    view = apportion(reported.view_content, conv_w)
    cart = apportion(reported.add_to_cart, conv_w)
    checkout = apportion(reported.initiate_checkout, conv_w)
    share_total = sum(imp_w) or 1.0
    result = []
    for i, segment in enumerate(segments):
        result.append(
            (
                segment.key,
                {
                    "adset_id": day.adset_id,
                    "day": day.day,
                    "audience": day.audience * imp_w[i] / share_total,
                    "churn": day.churn,
                    "spend": spend[i],
                    "impressions": impressions[i],
                    "clicks": clicks[i],
                    "link_clicks": link[i],
                    "landing_page_views": landing[i],
                    "video_views": video[i],
                    "post_reactions": reactions[i],
                    "purchases": purchases[i],
                    "revenue": revenue[i],
                    "view_content": view[i],
                    "add_to_cart": cart[i],
                    "initiate_checkout": checkout[i],
                },
            )
        )
    return result


# --- rows ---------------------------------------------------------------------------------


def _row(
    state: SandboxState,
    account: AccountRecord,
    query: InsightsQuery,
    owner: str,
    bucket: tuple[date, date],
    key: tuple[tuple[str, str], ...],
    totals: Totals,
    *,
    identity: bool = True,
) -> dict[str, Any]:
    currency = account.currency
    ad = state.ads.get(owner)
    adset = state.adsets.get(owner) or (state.adsets[ad.adset_id] if ad else None)
    campaign = state.campaigns.get(owner) or (state.campaigns[adset.campaign_id] if adset else None)
    figures = _RowFigures(totals, currency, query, account)
    row: dict[str, Any] = {}
    for name in query.fields:
        value = _field(name, figures, campaign, adset, ad, identity)
        if value is not None:
            row[name] = value
    row["date_start"] = bucket[0].isoformat()
    row["date_stop"] = bucket[1].isoformat()
    for name, value in key:
        row[name] = value
    return row


class _RowFigures:
    """One row's derived figures, each worked out once and only when a field asks for it
    (a report's sync reads ~140 rows of ~15 fields: reach and money formatting per field
    were most of the sandbox's time per request)."""

    def __init__(
        self, totals: Totals, currency: str, query: InsightsQuery, account: AccountRecord
    ) -> None:
        self.t = totals
        self.currency = currency
        self.query = query
        self.account = account

    @functools.cached_property
    def reach(self) -> int:
        return self.t.reach

    @functools.cached_property
    def offset_major(self) -> float:
        return _major(self.t.spend, self.currency)

    @functools.cached_property
    def simple(self) -> dict[str, Any]:
        t, currency = self.t, self.currency
        return {
            "account_id": self.account.numeric_id,
            "account_name": self.account.name,
            "account_currency": currency,
            "impressions": str(t.impressions),
            "reach": str(self.reach),
            "clicks": str(t.clicks),
            "unique_clicks": str(min(t.clicks, math.floor(t.clicks * 0.91))),
            "inline_link_clicks": str(t.link_clicks),
            "unique_inline_link_clicks": str(min(t.link_clicks, math.floor(t.link_clicks * 0.93))),
            "spend": format_major(t.spend, currency),
            "attribution_setting": "7d_click_1d_view",
            "buying_type": "AUCTION",
        }

    @functools.cached_property
    def ratios(self) -> dict[str, tuple[float, float, float]]:
        t, offset_major, reach = self.t, self.offset_major, self.reach
        return {
            "ctr": (t.clicks * 100, t.impressions, 1),
            "unique_ctr": (math.floor(t.clicks * 0.91) * 100, reach, 1),
            "inline_link_click_ctr": (t.link_clicks * 100, t.impressions, 1),
            "cpc": (offset_major, t.clicks, 1),
            "cost_per_inline_link_click": (offset_major, t.link_clicks, 1),
            "cost_per_unique_click": (offset_major, math.floor(t.clicks * 0.91), 1),
            "cpm": (offset_major * 1000, t.impressions, 1),
            "cpp": (offset_major * 1000, reach, 1),
            "frequency": (t.impressions, reach, 1),
        }

    @functools.cached_property
    def actions(self) -> list[tuple[str, int]]:
        return _actions(self.t, self.query)


#: Fields answered from :attr:`_RowFigures.simple` and :attr:`_RowFigures.ratios`.
_SIMPLE_FIELDS = frozenset(
    {
        "account_id",
        "account_name",
        "account_currency",
        "impressions",
        "reach",
        "clicks",
        "unique_clicks",
        "inline_link_clicks",
        "unique_inline_link_clicks",
        "spend",
        "attribution_setting",
        "buying_type",
    }
)
_RATIO_FIELDS = frozenset(
    {
        "ctr",
        "unique_ctr",
        "inline_link_click_ctr",
        "cpc",
        "cost_per_inline_link_click",
        "cost_per_unique_click",
        "cpm",
        "cpp",
        "frequency",
    }
)


def _field(
    name: str,
    figures: _RowFigures,
    campaign: CampaignRecord | None,
    adset: AdSetRecord | None,
    ad: AdRecord | None,
    identity: bool,
) -> Any:
    if name in _SIMPLE_FIELDS:
        return figures.simple[name]
    if name in ("campaign_id", "campaign_name", "objective"):
        if not identity or campaign is None:
            return None
        if name == "campaign_id":
            return campaign.id
        return campaign.name if name == "campaign_name" else campaign.objective
    if name in ("adset_id", "adset_name", "optimization_goal"):
        if not identity or adset is None:
            return None
        if name == "adset_id":
            return adset.id
        return adset.name if name == "adset_name" else adset.optimization_goal
    if name in ("ad_id", "ad_name"):
        if not identity or ad is None:
            return None
        return ad.id if name == "ad_id" else ad.name
    if name in _RATIO_FIELDS:
        numerator, denominator, _ = figures.ratios[name]
        return format_ratio(numerator / denominator) if denominator else None
    t, currency, query = figures.t, figures.currency, figures.query
    if name == "actions":
        return [{"action_type": k, "value": str(v)} for k, v in figures.actions if v] or None
    if name == "action_values":
        if not t.revenue:
            return None
        revenue = format_major(t.revenue, currency)  # one figure under every purchase alias
        values = [{"action_type": k, "value": revenue} for k in PURCHASE if _type_ok(query, k)]
        return values or None
    if name == "cost_per_action_type":
        offset_major = figures.offset_major
        costs = [
            {"action_type": k, "value": format_ratio(offset_major / v)}
            for k, v in figures.actions
            if v
        ]
        return costs or None
    if name in ("purchase_roas", "website_purchase_roas"):
        if not t.revenue or not t.spend:
            return None
        kind = (
            "omni_purchase" if name == "purchase_roas" else "offsite_conversion.fb_pixel_purchase"
        )
        return [{"action_type": kind, "value": format_ratio(t.revenue / t.spend)}]
    if name == "outbound_clicks":
        return (
            [{"action_type": "outbound_click", "value": str(t.link_clicks)}]
            if t.link_clicks
            else None
        )
    if name == "video_play_actions":
        return (
            [{"action_type": "video_view", "value": str(t.video_views)}] if t.video_views else None
        )
    return None  # a valid Graph field this sandbox does not model: absent, as when empty


def _actions(t: Totals, query: InsightsQuery) -> list[tuple[str, int]]:
    engagement = t.link_clicks + t.post_reactions + t.video_views
    listed: list[tuple[str, int]] = [("link_click", t.link_clicks)]
    listed += [(k, t.landing_page_views) for k in LANDING_PAGE_VIEW]
    listed += [(k, t.view_content) for k in VIEW_CONTENT]
    listed += [(k, t.add_to_cart) for k in ADD_TO_CART]
    listed += [(k, t.initiate_checkout) for k in INITIATE_CHECKOUT]
    listed += [(k, t.purchases) for k in PURCHASE]
    listed += [
        ("post_reaction", t.post_reactions),
        ("video_view", t.video_views),
        ("post_engagement", engagement),
        ("page_engagement", engagement),
    ]
    if query.action_types is None:
        return listed  # no action_type filter: every type (the usual query)
    return [(k, v) for k, v in listed if _type_ok(query, k)]


def _type_ok(query: InsightsQuery, action_type: str) -> bool:
    return query.action_types is None or query.action_types.matches(action_type)


def _major(minor: int, currency: str) -> float:
    return float(format_major(minor, currency))


def _row_passes(item: p.Filter, row: dict[str, Any], t: Totals, account: AccountRecord) -> bool:
    if item.field == "spend":
        return item.matches(_major(t.spend, account.currency))
    value = row.get(item.field)
    if value is None:
        value = {"impressions": t.impressions, "clicks": t.clicks, "reach": t.reach}.get(
            item.field, 0
        )
    return item.matches(value)


def _sort_key(name: str, row: dict[str, Any]) -> float:
    return _sort_value(row.get(name))


def _sort_value(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def validate_fields_exist(node_type: str, names: Sequence[str]) -> None:
    valid = known_fields(node_type)
    if valid is None:
        return
    for name in names:
        if name not in valid:
            raise nonexisting_field(name, node_type)
