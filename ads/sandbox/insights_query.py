"""Graph insights parameters, validated: level, fields, dates, filters, sorting.

Validation follows Graph's own errors (code 100, or 3018 for a range beyond
37 months) so that a malformed request from the connector fails against the
sandbox exactly as it would against Meta. Dates are local days in the
account's timezone; ``last_Nd`` presets end yesterday, as on Meta.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ads.sandbox import breakdowns as bd
from ads.sandbox import params as p
from ads.sandbox.errors import GraphError, invalid_param
from ads.sandbox.fields import known_fields
from ads.sandbox.records import AccountRecord, AdRecord, AdSetRecord, AnyRecord, CampaignRecord
from ads.sandbox.state import SandboxState

LEVELS = ("account", "campaign", "adset", "ad")
DEFAULT_FIELDS = ("impressions", "spend")
MAX_MONTHS_BACK = 37
DATE_PRESETS = frozenset(
    {
        "today",
        "yesterday",
        "this_month",
        "last_month",
        "this_quarter",
        "last_quarter",
        "this_year",
        "last_year",
        "maximum",
        "data_maximum",
        "last_3d",
        "last_7d",
        "last_14d",
        "last_28d",
        "last_30d",
        "last_90d",
        "last_week_mon_sun",
        "last_week_sun_sat",
        "this_week_mon_today",
        "this_week_sun_today",
    }
)


_OBJECT_FILTER_FIELDS = frozenset(
    f"{level}.{attr}"
    for level in ("campaign", "adset", "ad")
    for attr in ("id", "name", "effective_status", "status", "objective")
) | {"account.id", "adset.campaign_id", "ad.adset_id", "ad.campaign_id"}
_ROW_FILTER_FIELDS = frozenset(
    {
        "spend",
        "impressions",
        "clicks",
        "reach",
        "ctr",
        "cpc",
        "cpm",
        "frequency",
        "inline_link_clicks",
        "unique_clicks",
    }
)


@dataclass
class InsightsQuery:
    level: str
    fields: list[str]
    buckets: list[tuple[date, date]]
    breakdowns: list[str]
    object_filters: list[p.Filter] = field(default_factory=list)
    row_filters: list[p.Filter] = field(default_factory=list)
    action_types: p.Filter | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    summary: bool = False


def node_level(record: AnyRecord) -> str:
    if isinstance(record, AccountRecord):
        return "account"
    if isinstance(record, CampaignRecord):
        return "campaign"
    if isinstance(record, AdSetRecord):
        return "adset"
    if isinstance(record, AdRecord):
        return "ad"
    raise invalid_param("(#100) Insights are not available for this object")


def parse_query(
    state: SandboxState,
    record: AnyRecord,
    params: dict[str, str],
    *,
    overrides: dict[str, str] | None = None,
) -> InsightsQuery:
    """Validate Graph insights parameters against ``record`` (its account's timezone)."""
    merged = {**params, **(overrides or {})}
    account = state.accounts[record.account_id]
    level = merged.get("level") or node_level(record)
    if level not in LEVELS:
        raise invalid_param(
            "(#100) level must be one of the following values: " + ", ".join(LEVELS)
        )
    fields = p.string_list("fields", merged.get("fields")) or list(DEFAULT_FIELDS)
    valid = known_fields("AdsInsights")
    for name in fields:
        if valid is not None and name not in valid:
            raise invalid_param(
                f"(#100) {name} is not valid for fields param. please check "
                "https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ "
                "for all valid values"
            )
    breakdowns = p.string_list("breakdowns", merged.get("breakdowns"))
    bd.validate(breakdowns)
    today = state.today(account.id)
    ranges = _ranges(state, account, merged, today)
    increment = (merged.get("time_increment") or "all_days").strip()
    buckets = [bucket for since, until in ranges for bucket in _split(since, until, increment)]
    object_filters, row_filters, action_types = [], [], None
    for item in p.filters(merged.get("filtering")):
        if item.field in _OBJECT_FILTER_FIELDS:
            object_filters.append(item)
        elif item.field in _ROW_FILTER_FIELDS:
            row_filters.append(item)
        elif item.field == "action_type":
            action_types = item
        else:
            raise invalid_param(f"(#100) Filtering field '{item.field}' is invalid for insights")
    sort = []
    for entry in p.string_list("sort", merged.get("sort")):
        name, _, direction = entry.rpartition("_")
        if direction not in ("ascending", "descending") or not name:
            raise invalid_param(f"(#100) Invalid sort field {entry}")
        sort.append((name, direction == "descending"))
    return InsightsQuery(
        level=level,
        fields=fields,
        buckets=buckets,
        breakdowns=breakdowns,
        object_filters=object_filters,
        row_filters=row_filters,
        action_types=action_types,
        sort=sort,
        summary=p.boolean(merged.get("default_summary")),
    )


def _ranges(
    state: SandboxState, account: AccountRecord, params: dict[str, str], today: date
) -> list[tuple[date, date]]:
    if params.get("time_ranges"):
        raw = p.json_value("time_ranges", params["time_ranges"])
        if not isinstance(raw, list) or not raw:
            raise invalid_param("(#100) Param time_ranges must be a non-empty array")
        return [_range_from(item, "time_ranges", today) for item in raw]
    if params.get("time_range"):
        return [_range_from(p.json_object("time_range", params["time_range"]), "time_range", today)]
    preset = params.get("date_preset") or "last_30d"
    if preset not in DATE_PRESETS:
        raise invalid_param(
            "(#100) date_preset must be one of the following values: "
            + ", ".join(sorted(DATE_PRESETS))
        )
    return [preset_range(state, account, preset, today)]


def _range_from(raw: Any, name: str, today: date) -> tuple[date, date]:
    if not isinstance(raw, dict) or "since" not in raw or "until" not in raw:
        raise invalid_param(
            f'(#100) Param {name} must be an object like {{"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}}'
        )
    since, until = p.day(f"{name}[since]", raw["since"]), p.day(f"{name}[until]", raw["until"])
    if since > until:
        raise invalid_param(f"(#100) Param {name}: since must be on or before until")
    oldest = _months_back(today, MAX_MONTHS_BACK)
    if since < oldest:
        raise GraphError(
            f"(#3018) The start date of the time range cannot be beyond {MAX_MONTHS_BACK} months "
            "from the current date",
            code=3018,
        )
    return since, until


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def preset_range(
    state: SandboxState, account: AccountRecord, preset: str, today: date
) -> tuple[date, date]:
    """Meta's date presets, in the account's timezone. ``last_Nd`` ends yesterday."""
    yesterday = today - timedelta(days=1)
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return yesterday, yesterday
    if preset.startswith("last_") and preset.endswith("d") and preset[5:-1].isdigit():
        days = int(preset[5:-1])
        return today - timedelta(days=days), yesterday
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset in ("this_quarter", "last_quarter"):
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if preset == "this_quarter":
            return first, today
        end = first - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if preset == "this_year":
        return date(today.year, 1, 1), today
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset == "last_week_mon_sun":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if preset == "last_week_sun_sat":
        sunday = today - timedelta(days=(today.weekday() + 1) % 7 + 7)
        return sunday, sunday + timedelta(days=6)
    if preset == "this_week_mon_today":
        return today - timedelta(days=today.weekday()), today
    if preset == "this_week_sun_today":
        return today - timedelta(days=(today.weekday() + 1) % 7), today
    # maximum / data_maximum: from the account's first campaign to today
    campaigns = state.campaigns_of(account.id)
    first = min((c.created_time.astimezone(account.tz).date() for c in campaigns), default=today)
    return max(first, _months_back(today, MAX_MONTHS_BACK)), today


def _split(since: date, until: date, increment: str) -> list[tuple[date, date]]:
    if increment == "all_days":
        return [(since, until)]
    if increment == "monthly":
        buckets, cursor = [], since
        while cursor <= until:
            end = min(until, cursor.replace(day=monthrange(cursor.year, cursor.month)[1]))
            buckets.append((cursor, end))
            cursor = end + timedelta(days=1)
        return buckets
    if not increment.isdigit() or not 1 <= int(increment) <= 90:
        raise invalid_param(
            "(#100) time_increment must be all_days, monthly or an integer between 1 and 90"
        )
    step = int(increment)
    buckets, cursor = [], since
    while cursor <= until:
        end = min(until, cursor + timedelta(days=step - 1))
        buckets.append((cursor, end))
        cursor = end + timedelta(days=1)
    return buckets
