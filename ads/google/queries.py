"""The GAQL the connector sends, one function per question (pure, easy to read in logs)."""

from __future__ import annotations

from collections.abc import Sequence

from ads.base import Level, Period

#: The resource a level reads FROM, and the field naming each row's object.
LEVEL_RESOURCE = {
    Level.ACCOUNT: ("customer", "customer.resource_name"),
    Level.CAMPAIGN: ("campaign", "campaign.resource_name"),
    Level.ADSET: ("ad_group", "ad_group.resource_name"),
    Level.AD: ("ad_group_ad", "ad_group_ad.resource_name"),
}
_NAMES = {
    Level.ACCOUNT: "customer.descriptive_name",
    Level.CAMPAIGN: "campaign.name",
    Level.ADSET: "ad_group.name",
    Level.AD: "ad_group_ad.ad.name",
}
_PARENTS = {
    Level.ACCOUNT: (),
    Level.CAMPAIGN: (),
    Level.ADSET: ("campaign.resource_name",),
    Level.AD: ("campaign.resource_name", "ad_group.resource_name", "ad_group.name"),
}
METRICS = (
    "metrics.cost_micros",
    "metrics.impressions",
    "metrics.clicks",
    "metrics.conversions",
    "metrics.conversions_value",
)
CUSTOMER = (
    "SELECT customer.id, customer.descriptive_name, customer.currency_code, "
    "customer.time_zone, customer.status FROM customer"
)
_CAMPAIGN_FIELDS = (
    "campaign.resource_name, campaign.name, campaign.status, campaign.serving_status, "
    "campaign.advertising_channel_type, campaign_budget.resource_name, "
    "campaign_budget.amount_micros, campaign_budget.explicitly_shared, "
    "campaign_budget.reference_count"
)


def quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def campaigns(resource_names: Sequence[str] = ()) -> str:
    query = f"SELECT {_CAMPAIGN_FIELDS} FROM campaign WHERE campaign.status != 'REMOVED'"
    if resource_names:
        query += f" AND campaign.resource_name IN ({', '.join(map(quote, resource_names))})"
    return query + " ORDER BY campaign.name"


def ad_groups(campaign: str | None = None, resource_name: str | None = None) -> str:
    query = (
        "SELECT ad_group.resource_name, ad_group.name, ad_group.status, campaign.resource_name, "
        "campaign.status FROM ad_group WHERE ad_group.status != 'REMOVED'"
    )
    if campaign:
        query += f" AND campaign.resource_name = {quote(campaign)}"
    if resource_name:
        query += f" AND ad_group.resource_name = {quote(resource_name)}"
    return query + " ORDER BY ad_group.name"


def ads(ad_group: str | None = None, resource_name: str | None = None) -> str:
    query = (
        "SELECT ad_group_ad.resource_name, ad_group_ad.ad.name, ad_group_ad.status, "
        "ad_group.resource_name, ad_group.status, campaign.resource_name, campaign.status "
        "FROM ad_group_ad WHERE ad_group_ad.status != 'REMOVED'"
    )
    if ad_group:
        query += f" AND ad_group.resource_name = {quote(ad_group)}"
    if resource_name:
        query += f" AND ad_group_ad.resource_name = {quote(resource_name)}"
    return query


#: The customer's own fields, selectable FROM any of its resources (see :data:`CUSTOMER`).
CUSTOMER_FIELDS = (
    "customer.id",
    "customer.descriptive_name",
    "customer.currency_code",
    "customer.time_zone",
    "customer.status",
)


def metrics(
    level: Level,
    period: Period,
    *,
    object_ids: Sequence[str] = (),
    daily: bool = False,
    with_customer: bool = False,
) -> str:
    """``with_customer``: each row also carries the customer's name, currency and timezone."""
    resource, key = LEVEL_RESOURCE[level]
    fields = [key, _NAMES[level], *_PARENTS[level], *METRICS]
    if daily:
        fields.append("segments.date")
    if with_customer:
        fields.extend(CUSTOMER_FIELDS)
    query = (
        f"SELECT {', '.join(fields)} FROM {resource} WHERE segments.date BETWEEN "
        f"{quote(period.since.isoformat())} AND {quote(period.until.isoformat())}"
    )
    if object_ids:
        query += f" AND {key} IN ({', '.join(map(quote, object_ids))})"
    return query
