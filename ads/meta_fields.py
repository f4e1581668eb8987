"""What the Meta connector asks the Graph API for: field lists and insights query parameters.

Kept apart from the mappers that read the answers so a field added here is
visibly matched by a mapper change there (and so the sandbox and tests can
name the same lists).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ads.base import Level, Period

BATCH_LIMIT = 50  # Graph API batch requests take at most 50 calls

ACCOUNT_FIELDS = ["id", "account_id", "name", "currency", "timezone_name", "account_status"]
CAMPAIGN_FIELDS = [
    "id",
    "account_id",
    "name",
    "status",
    "effective_status",
    "objective",
    "daily_budget",
    "lifetime_budget",
    "created_time",
    "updated_time",
]
ADSET_FIELDS = [
    "id",
    "account_id",
    "campaign_id",
    "name",
    "status",
    "effective_status",
    "daily_budget",
    "optimization_goal",
    "billing_event",
    "targeting",
    "updated_time",
]
AD_FIELDS = [
    "id",
    "account_id",
    "campaign_id",
    "adset_id",
    "name",
    "status",
    "effective_status",
    "creative",
    "updated_time",
]
CREATIVE_FIELDS = [
    "id",
    "account_id",
    "name",
    "title",
    "body",
    "link_url",
    "image_url",
    "call_to_action_type",
    "object_story_spec",
]
_LEVEL_FIELDS: dict[Level, list[str]] = {
    Level.ACCOUNT: ["account_id", "account_name"],
    Level.CAMPAIGN: ["account_id", "campaign_id", "campaign_name", "objective"],
    Level.ADSET: ["account_id", "campaign_id", "adset_id", "adset_name", "objective"],
    Level.AD: ["account_id", "campaign_id", "adset_id", "ad_id", "ad_name", "objective"],
}
_METRIC_FIELDS = [
    "account_currency",
    "date_start",
    "date_stop",
    "spend",
    "impressions",
    "clicks",
    "reach",
    "actions",
    "action_values",
]


def insight_fields(level: Level) -> list[str]:
    """The insights fields read at a level: identity of the row's object, then the metrics."""
    return [*_LEVEL_FIELDS[level], *_METRIC_FIELDS]


def insight_params(
    level: Level, period: Period, breakdowns: Sequence[str], daily: bool, *, page_size: int
) -> dict[str, Any]:
    """Query parameters of an insights read (the fields travel separately)."""
    params: dict[str, Any] = {
        "level": level.value,
        "time_range": {"since": period.since.isoformat(), "until": period.until.isoformat()},
        "limit": page_size,
    }
    if breakdowns:
        params["breakdowns"] = list(breakdowns)
    if daily:
        params["time_increment"] = 1
    return params
