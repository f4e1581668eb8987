"""The Meta Marketing API connector: ``AdsPlatform`` on the official facebook-business SDK.

One ``MetaConnector`` per access token (tenants never share an SDK instance or
the SDK's default-api global). Reads follow every page; large insight queries
run as async report jobs; many objects are fetched in batches of at most 50.
Writes send absolute values, always create objects PAUSED, and after an
ambiguous failure read the object back before deciding whether to try again.
Every amount leaves here as ``Decimal`` minor units.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision
from facebook_business.adobjects.ad import Ad as SdkAd
from facebook_business.adobjects.adaccount import AdAccount as SdkAdAccount
from facebook_business.adobjects.adcreative import AdCreative as SdkAdCreative
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.adset import AdSet as SdkAdSet
from facebook_business.adobjects.adsinsights import AdsInsights
from facebook_business.adobjects.campaign import Campaign as SdkCampaign
from facebook_business.adobjects.user import User
from facebook_business.api import FacebookRequest, FacebookResponse

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
    Period,
    Status,
)
from ads.conversions import count_conversions, purchase_value
from ads.currency import budget_shift
from ads.errors import (
    AdsError,
    AmbiguousWrite,
    InvalidRequest,
    Throttled,
    TokenExpired,
    TransientError,
)
from ads.graph import GraphApi, TokenGuard, account_scope
from ads.retry import RetryPolicy, retrying, translate
from ads.usage import PacingPolicy, Usage, UsageTracker

logger = logging.getLogger(__name__)

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
_ASYNC_DONE = "Job Completed"


def insight_fields(level: Level) -> list[str]:
    """The insights fields read at a level: identity of the row's object, then the metrics."""
    return [*_LEVEL_FIELDS[level], *_METRIC_FIELDS]


_ASYNC_FAILED = frozenset({"Job Failed", "Job Skipped"})

# An account's currency never changes: remembered process-wide, per Graph endpoint.
_MEMO_LOCK = threading.Lock()
_CURRENCIES: dict[tuple[str, str], str] = {}  # (graph url, act_...) -> ISO currency


# --- conversions between Graph JSON and ads.base types -----------------------------------------


def act_id(account_id: str | int | None) -> str:
    """Meta reports ``account_id`` as bare digits; the product always says ``act_<digits>``."""
    text = str(account_id or "")
    return text if text.startswith("act_") else f"act_{text}"


def major_to_minor(amount: Any, currency: str) -> Decimal:
    """A major-unit string from Meta ("1234.56") as exact minor units (Decimal("123456"))."""
    try:
        value = Decimal(str(amount if amount not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal(0)
    minor = value.scaleb(get_currency_precision(currency))
    return minor.quantize(Decimal(1)) if minor == minor.to_integral_value() else minor


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


def _data(obj: Any) -> dict[str, Any]:
    """Plain JSON data of an SDK object (deeply: nested SDK objects become dicts too)."""
    if hasattr(obj, "export_all_data"):  # SDK objects are Mappings, but only shallowly
        return dict(obj.export_all_data())
    return dict(obj)


def to_account(obj: Any) -> AdAccountInfo:
    d = _data(obj)
    return AdAccountInfo(
        id=act_id(d.get("id") or d.get("account_id")),
        name=str(d.get("name", "")),
        currency=str(d.get("currency", "")),
        timezone=str(d.get("timezone_name", "")),
        status=_int(d.get("account_status", 1)),
    )


def to_campaign(obj: Any, currency: str) -> Campaign:
    d = _data(obj)
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
    d = _data(obj)
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
    d = _data(obj)
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
    d = _data(obj)
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
    d = _data(obj)
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
        spend=major_to_minor(d.get("spend"), currency),
        impressions=_int(d.get("impressions")),
        clicks=_int(d.get("clicks")),
        reach=_int(d.get("reach")),
        conversions=count_conversions(d.get("actions")),
        revenue=major_to_minor(purchase_value(d.get("action_values")), currency),
        campaign_id=str(d["campaign_id"]) if d.get("campaign_id") else None,
        adset_id=str(d["adset_id"]) if d.get("adset_id") else None,
        breakdown={key: str(d[key]) for key in breakdowns if key in d},
    )


# --- the connector ----------------------------------------------------------------------------


class MetaConnector:
    """``AdsPlatform`` for Meta, one instance per access token."""

    platform = "meta"

    def __init__(
        self,
        access_token: str,
        *,
        graph_url: str,
        api_version: str,
        timeout: float = 30,
        app_secret: str | None = None,
        on_token_invalid: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        retry_policy: RetryPolicy | None = None,
        pacing: PacingPolicy | None = None,
        async_after_days: int = 31,
        async_after_objects: int = BATCH_LIMIT,
        poll_interval: float = 1.0,
        max_poll_seconds: float = 600.0,
        page_size: int = 100,
        insights_page_size: int = 500,
    ) -> None:
        self.policy = retry_policy or RetryPolicy()
        self.usage_tracker = UsageTracker(pacing, clock=clock)
        self.guard = TokenGuard(on_token_invalid)
        self.api = GraphApi(
            access_token,
            graph_url=graph_url,
            api_version=api_version,
            timeout=timeout,
            app_secret=app_secret,
            policy=self.policy,
            usage=self.usage_tracker,
            guard=self.guard,
            sleep=sleep,
        )
        self._sleep = sleep
        self._graph = graph_url.rstrip("/")
        self._owners: dict[str, str] = {}
        self.async_after_days = async_after_days
        self.async_after_objects = async_after_objects
        self.poll_interval = poll_interval
        self.max_poll_seconds = max_poll_seconds
        self.page_size = page_size
        self.insights_page_size = insights_page_size

    def __repr__(self) -> str:  # never show the token
        return f"MetaConnector({self.api!r})"

    # --- state ------------------------------------------------------------------------------

    @property
    def blocked(self) -> bool:
        """True once Meta rejected the token: every call now fails fast with TokenExpired."""
        return self.guard.blocked

    def usage(self, account_id: str) -> Usage | None:
        """The latest rate-limit utilisation Meta reported for the account."""
        return self.usage_tracker.latest(account_id)

    @property
    def network_calls(self) -> int:
        return self.api.network_calls

    # --- reads ------------------------------------------------------------------------------

    def list_ad_accounts(self) -> list[AdAccountInfo]:
        cursor = User(fbid="me", api=self.api).get_ad_accounts(
            fields=ACCOUNT_FIELDS, params={"limit": self.page_size}
        )
        accounts = [to_account(item) for item in cursor]
        with _MEMO_LOCK:
            _CURRENCIES.update({(self._graph, a.id): a.currency for a in accounts})
        return accounts

    def get_account(self, account_id: str) -> AdAccountInfo:
        with account_scope(account_id):
            obj = SdkAdAccount(account_id, api=self.api).api_get(fields=ACCOUNT_FIELDS)
        account = to_account(obj)
        with _MEMO_LOCK:
            _CURRENCIES[(self._graph, account.id)] = account.currency
        return account

    def list_campaigns(self, account_id: str) -> list[Campaign]:
        with account_scope(account_id):
            cursor = SdkAdAccount(account_id, api=self.api).get_campaigns(
                fields=CAMPAIGN_FIELDS, params={"limit": self.page_size}
            )
            return [self._campaign(item) for item in cursor]

    def get_campaign(self, campaign_id: str) -> Campaign:
        return self._campaign(
            SdkCampaign(campaign_id, api=self.api).api_get(fields=CAMPAIGN_FIELDS)
        )

    def get_campaigns(self, account_id: str, campaign_ids: Sequence[str]) -> list[Campaign]:
        """Many campaigns by id in batches of at most 50 (one HTTP request per 50)."""
        pages = self._batch_get(
            account_id, [(cid, (cid,), CAMPAIGN_FIELDS, {}) for cid in campaign_ids]
        )
        return [self._campaign(pages[cid][0]) for cid in campaign_ids]

    def list_adsets(self, account_id: str, campaign_id: str | None = None) -> list[AdSet]:
        params = {"limit": self.page_size}
        with account_scope(account_id):
            if campaign_id:
                cursor = SdkCampaign(campaign_id, api=self.api).get_ad_sets(
                    fields=ADSET_FIELDS, params=params
                )
            else:
                cursor = SdkAdAccount(account_id, api=self.api).get_ad_sets(
                    fields=ADSET_FIELDS, params=params
                )
            return [self._adset(item) for item in cursor]

    def get_adset(self, adset_id: str) -> AdSet:
        return self._adset(SdkAdSet(adset_id, api=self.api).api_get(fields=ADSET_FIELDS))

    def list_ads(self, account_id: str, adset_id: str | None = None) -> list[Ad]:
        params = {"limit": self.page_size}
        with account_scope(account_id):
            if adset_id:
                cursor = SdkAdSet(adset_id, api=self.api).get_ads(fields=AD_FIELDS, params=params)
            else:
                cursor = SdkAdAccount(account_id, api=self.api).get_ads(
                    fields=AD_FIELDS, params=params
                )
            return [to_ad(item) for item in cursor]

    def get_ad(self, ad_id: str) -> Ad:
        return to_ad(SdkAd(ad_id, api=self.api).api_get(fields=AD_FIELDS))

    def list_creatives(self, account_id: str) -> list[Creative]:
        with account_scope(account_id):
            cursor = SdkAdAccount(account_id, api=self.api).get_ad_creatives(
                fields=CREATIVE_FIELDS, params={"limit": self.page_size}
            )
            return [to_creative(item) for item in cursor]

    def get_creative(self, creative_id: str) -> Creative:
        obj = SdkAdCreative(creative_id, api=self.api).api_get(fields=CREATIVE_FIELDS)
        return to_creative(obj)

    def account_of(self, object_id: str) -> str:
        """The ad account owning a campaign, ad set, ad or creative (one small read)."""
        return act_id(self._read_node(object_id, ["account_id"]).get("account_id"))

    # --- insights ---------------------------------------------------------------------------

    def insights(
        self,
        account_id: str,
        level: Level,
        period: Period,
        *,
        object_ids: Sequence[str] | None = None,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
        run_async: bool | None = None,
    ) -> list[InsightRow]:
        """Delivery rows at ``level``; big queries (long daily ranges, many ids) run as a job."""
        level = Level(level)
        if object_ids is not None and not object_ids:
            return []  # an empty selection, not "everything"
        params = self._insight_params(level, period, breakdowns, daily)
        if object_ids and level is not Level.ACCOUNT:
            params["filtering"] = [
                {"field": f"{level.value}.id", "operator": "IN", "value": list(object_ids)}
            ]
        if run_async is None:
            run_async = (daily and period.days > self.async_after_days) or len(
                object_ids or ()
            ) > self.async_after_objects
        with account_scope(account_id):
            account = SdkAdAccount(account_id, api=self.api)
            fields = insight_fields(level)
            if run_async:
                raw = self._run_async_report(account, {**params, "fields": fields})
            else:
                cursor = account.get_insights(fields=fields, params=params)
                raw = [item.export_all_data() for item in cursor]
        return self._rows(raw, level, breakdowns)

    def batch_insights(
        self,
        account_id: str,
        object_ids: Sequence[str],
        period: Period,
        *,
        level: Level = Level.CAMPAIGN,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        """Insights for each object via ``/{id}/insights``, grouped 50 per batch request."""
        level = Level(level)
        params = self._insight_params(level, period, breakdowns, daily)
        fields = insight_fields(level)
        calls = [(oid, (oid, "insights"), fields, params) for oid in object_ids]
        pages = self._batch_get(account_id, calls)
        raw = [row for oid in object_ids for row in pages[oid]]
        return self._rows(raw, level, breakdowns)

    def object_insights(
        self,
        account_id: str,
        object_id: str,
        period: Period,
        *,
        level: Level = Level.CAMPAIGN,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        """Insights of one campaign/ad set/ad via its own ``/{id}/insights`` edge (all pages)."""
        level = Level(level)
        params = self._insight_params(level, period, breakdowns, daily)
        with account_scope(account_id):
            request = FacebookRequest(
                node_id=object_id,
                method="GET",
                endpoint="/insights",
                api=self.api,
                target_class=AdsInsights,
                api_type="EDGE",
                include_summary=False,
            )
            request.add_params(params)
            request.add_fields(insight_fields(level))
            raw = [item.export_all_data() for item in request.execute()]
        return self._rows(raw, level, breakdowns)

    def insights_levels(
        self,
        account_id: str,
        levels: Sequence[Level],
        period: Period,
        *,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> dict[Level, list[InsightRow]]:
        """The account's insights at several levels in ONE batch request (all pages)."""
        chosen = [Level(level) for level in levels]
        calls = [
            (
                level.value,
                (account_id, "insights"),
                insight_fields(level),
                self._insight_params(level, period, breakdowns, daily),
            )
            for level in chosen
        ]
        pages = self._batch_get(account_id, calls)
        return {level: self._rows(pages[level.value], level, breakdowns) for level in chosen}

    def insights_for_campaigns(
        self, account_id: str, campaign_ids: Sequence[str], period: Period, *, daily: bool = False
    ) -> list[InsightRow]:
        return self.batch_insights(account_id, campaign_ids, period, daily=daily)

    def _insight_params(
        self, level: Level, period: Period, breakdowns: Sequence[str], daily: bool
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "level": level.value,
            "time_range": {"since": period.since.isoformat(), "until": period.until.isoformat()},
            "limit": self.insights_page_size,
        }
        if breakdowns:
            params["breakdowns"] = list(breakdowns)
        if daily:
            params["time_increment"] = 1
        return params

    def _rows(
        self, raw: Iterable[Mapping[str, Any]], level: Level, breakdowns: Sequence[str]
    ) -> list[InsightRow]:
        return [to_insight(item, level, breakdowns, self._currency) for item in raw]

    def _currency(self, account_id: str) -> str:
        """The account's currency (it never changes, so it is remembered process-wide)."""
        with _MEMO_LOCK:
            known = _CURRENCIES.get((self._graph, account_id))
        return known or self.get_account(account_id).currency

    def _campaign(self, obj: Any) -> Campaign:
        data = _data(obj)
        campaign = to_campaign(data, self._currency(act_id(data.get("account_id"))))
        self._owners[campaign.id] = campaign.account_id
        return campaign

    def _adset(self, obj: Any) -> AdSet:
        data = _data(obj)
        adset = to_adset(data, self._currency(act_id(data.get("account_id"))))
        self._owners[adset.id] = adset.account_id
        return adset

    def _owner(self, object_id: str) -> str:
        """The account owning an object (ids never move, so remembered)."""
        known = self._owners.get(object_id)
        if known:
            return known
        owner = self.account_of(object_id)
        self._owners[object_id] = owner
        return owner

    def _run_async_report(
        self, account: SdkAdAccount, params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Start an async report run, poll it with growing pauses, then read all result pages."""
        report: AdReportRun = account.get_insights(params=dict(params), is_async=True)
        waited = 0.0
        interval = self.poll_interval
        while True:
            report.api_get(
                fields=[AdReportRun.Field.async_status, AdReportRun.Field.async_percent_completion]
            )
            status = report.get(AdReportRun.Field.async_status)
            percent = report.get(AdReportRun.Field.async_percent_completion) or 0
            if status == _ASYNC_DONE and int(percent) >= 100:
                break
            if status in _ASYNC_FAILED:
                raise TransientError(f"Meta insights report {status.lower()}")
            if waited >= self.max_poll_seconds:
                raise TransientError("Meta insights report did not finish in time")
            logger.debug("insights report %s at %s%%", report.get_id(), percent)
            self._sleep(interval)
            waited += interval
            interval = min(interval * 2, 30.0)
        cursor = report.get_result(params={"limit": self.insights_page_size})
        return [item.export_all_data() for item in cursor]

    # --- batches ----------------------------------------------------------------------------

    def _batch_get(
        self,
        account_id: str,
        calls: Sequence[tuple[str, tuple[str, ...], Sequence[str], Mapping[str, Any]]],
    ) -> dict[str, list[dict[str, Any]]]:
        """GET many (key, path, fields, params) in batches of <= 50; every page of every result.

        Batch items fail one by one: transient or throttled items go into the
        next round, anything else raises its named error.
        """
        results: dict[str, list[dict[str, Any]]] = {}
        with account_scope(account_id):
            for start in range(0, len(calls), BATCH_LIMIT):
                chunk = calls[start : start + BATCH_LIMIT]
                self._run_batch_chunk(account_id, chunk, results)
            for key, path, fields, params in calls:
                results[key] = self._remaining_pages(key, path, fields, params, results[key])
        return results

    def _run_batch_chunk(
        self,
        account_id: str,
        chunk: Sequence[tuple[str, tuple[str, ...], Sequence[str], Mapping[str, Any]]],
        results: dict[str, Any],
    ) -> None:
        pending = list(chunk)
        for attempt in range(1, self.policy.attempts + 1):
            failures: dict[str, AdsError] = {}
            batch = self.api.new_batch()
            for key, path, fields, params in pending:
                edge = "/" + path[1] if len(path) > 1 else "/"
                request = FacebookRequest(
                    node_id=path[0], method="GET", endpoint=edge, api=self.api
                )
                # fields as a plain param: the SDK would warn about fields of untyped requests
                request.add_params({**params, "fields": ",".join(fields)})
                batch.add_request(
                    request,
                    success=lambda resp, key=key: results.__setitem__(key, resp.json()),
                    failure=lambda resp, key=key, failures=failures: failures.__setitem__(
                        key, translate(resp.error(), account_id)
                    ),
                )
            leftover = batch.execute()
            if leftover is not None:  # Meta answered null for items it could not finish
                for key, *_ in pending:
                    if key not in results and key not in failures:
                        failures[key] = TransientError(
                            "batch item not processed", account_id=account_id
                        )
            fatal = next(
                (e for e in failures.values() if not isinstance(e, TransientError | Throttled)),
                None,
            )
            if fatal is not None:
                if isinstance(fatal, TokenExpired):
                    self.guard.trip(account_id, fatal)
                raise fatal
            if not failures:
                return
            pending = [call for call in pending if call[0] in failures]
            error = next(iter(failures.values()))
            if attempt == self.policy.attempts:
                raise error
            wait = self.policy.backoff(attempt)
            if isinstance(error, Throttled):
                wait = error.retry_after or self.policy.throttle_delay
                if wait > self.policy.max_throttle_wait:
                    raise error
            logger.info("retrying %d failed batch items in %.1fs", len(pending), wait)
            self._sleep(wait)

    def _remaining_pages(
        self,
        key: str,
        path: tuple[str, ...],
        fields: Sequence[str],
        params: Mapping[str, Any],
        first: Any,
    ) -> list[dict[str, Any]]:
        """Rows of a batch result: a node is one row; an edge's later pages are fetched."""
        if not isinstance(first, Mapping) or not isinstance(first.get("data"), list):
            return [dict(first)] if isinstance(first, Mapping) else []
        rows = list(first["data"])
        paging = first.get("paging") or {}
        while paging.get("next") and (paging.get("cursors") or {}).get("after"):
            page_params = {
                **params,
                "fields": ",".join(fields),
                "after": paging["cursors"]["after"],
            }
            body = self.api.call("GET", path, params=page_params).json()
            rows.extend(body.get("data") or [])
            paging = body.get("paging") or {}
        return rows

    # --- writes -----------------------------------------------------------------------------

    def create_campaign(self, account_id: str, draft: CampaignDraft) -> Campaign:
        params: dict[str, Any] = {
            "name": draft.name,
            "objective": draft.objective,
            "status": Status.PAUSED.value,  # always: activation is a separate, approved step
            "special_ad_categories": list(draft.special_ad_categories),
            "buying_type": "AUCTION",
        }
        if draft.daily_budget is not None:
            params["daily_budget"] = minor_to_budget(draft.daily_budget, self._currency(account_id))
        else:
            params["is_adset_budget_sharing_enabled"] = False
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_campaign(params=params),
            lambda: [(c.id, c.name) for c in self.list_campaigns(account_id)],
        )
        return self.get_campaign(new_id)

    def create_adset(self, account_id: str, draft: AdSetDraft) -> AdSet:
        params: dict[str, Any] = {
            "name": draft.name,
            "campaign_id": draft.campaign_id,
            "status": Status.PAUSED.value,
            "optimization_goal": draft.optimization_goal,
            "billing_event": draft.billing_event,
            "targeting": dict(draft.targeting),
            "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        }
        if draft.daily_budget is not None:
            params["daily_budget"] = minor_to_budget(draft.daily_budget, self._currency(account_id))
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_ad_set(params=params),
            lambda: [(a.id, a.name) for a in self.list_adsets(account_id, draft.campaign_id)],
        )
        return self.get_adset(new_id)

    def create_creative(self, account_id: str, draft: CreativeDraft) -> Creative:
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
        params = {"name": draft.name, "object_story_spec": story}
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_ad_creative(params=params),
            lambda: [(c.id, c.name) for c in self.list_creatives(account_id)],
        )
        return self.get_creative(new_id)

    def create_ad(self, account_id: str, draft: AdDraft) -> Ad:
        params = {
            "name": draft.name,
            "adset_id": draft.adset_id,
            "creative": {"creative_id": draft.creative_id},
            "status": Status.PAUSED.value,
        }
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_ad(params=params),
            lambda: [(a.id, a.name) for a in self.list_ads(account_id, draft.adset_id)],
        )
        return self.get_ad(new_id)

    def set_status(self, object_id: str, status: Status) -> None:
        status = Status(status)
        self._update(
            object_id,
            {"status": status.value},
            lambda current: current.get("status") == status.value,
            ["status"],
        )

    def set_daily_budget(self, object_id: str, amount: Decimal) -> None:
        if Decimal(amount) != Decimal(amount).to_integral_value() or amount <= 0:
            raise InvalidRequest(f"budget must be a positive whole number of minor units: {amount}")
        account_id = self._owner(object_id)
        value = minor_to_budget(amount, self._currency(account_id))
        with account_scope(account_id):
            self._update(
                object_id,
                {"daily_budget": value},
                lambda current: str(current.get("daily_budget")) == str(value),
                ["daily_budget"],
            )

    def _read_node(self, object_id: str, fields: Sequence[str]) -> dict[str, Any]:
        request = FacebookRequest(node_id=object_id, method="GET", endpoint="/", api=self.api)
        request.add_params({"fields": ",".join(fields)})
        response: FacebookResponse = request.execute()
        body = response.json()
        return dict(body) if isinstance(body, Mapping) else {}

    def _update(
        self,
        object_id: str,
        params: dict[str, Any],
        applied: Callable[[dict[str, Any]], bool],
        fields: Sequence[str],
    ) -> None:
        """POST absolute values; after a failure that may have applied, read back first."""

        def attempt() -> None:
            request = FacebookRequest(node_id=object_id, method="POST", endpoint="/", api=self.api)
            request.add_params(params)
            try:
                request.execute()
            except TransientError as exc:
                try:
                    current = self._read_node(object_id, fields)
                except AdsError as read_error:
                    raise AmbiguousWrite(
                        f"update of {object_id} failed ({exc.message}) and could not be checked",
                        code=exc.code,
                        trace_id=exc.trace_id,
                    ) from read_error
                if applied(current):
                    logger.info("update of %s applied despite %s", object_id, type(exc).__name__)
                    return
                raise

        retrying(
            self.policy,
            retry_on=lambda exc: isinstance(exc, TransientError),
            sleep=self._sleep,
        )(attempt)

    def _create(
        self,
        account_id: str,
        name: str,
        post: Callable[[], Any],
        existing: Callable[[], list[tuple[str, str]]],
    ) -> str:
        """Create once; on an ambiguous failure only retry when nothing by that name exists."""

        def attempt() -> str:
            try:
                created = post()
            except TransientError as exc:
                try:
                    clash = [oid for oid, other in existing() if other == name]
                except AdsError as read_error:
                    raise AmbiguousWrite(
                        f"creating {name!r} failed ({exc.message}) and could not be checked",
                        code=exc.code,
                        trace_id=exc.trace_id,
                        account_id=account_id,
                    ) from read_error
                if clash:
                    raise AmbiguousWrite(
                        f"creating {name!r} failed ({exc.message}); objects with that name "
                        f"exist: {', '.join(clash)}",
                        code=exc.code,
                        trace_id=exc.trace_id,
                        account_id=account_id,
                    ) from exc
                raise
            return str(created["id"])

        with account_scope(account_id):
            return retrying(
                self.policy,
                retry_on=lambda exc: isinstance(exc, TransientError),
                sleep=self._sleep,
            )(attempt)
