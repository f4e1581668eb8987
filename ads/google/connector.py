"""The Google Ads connector: ``AdsPlatform`` on the official google-ads library.

Reads are GAQL through ``GoogleAdsService.SearchStream`` (one call per query,
every row streamed); writes are the typed mutate services with an update mask,
and new objects are created PAUSED. Account ids are the ten-digit customer ids;
campaigns, ad groups and ads are named by their resource names, so any id says
which customer owns it. Money leaves here as ``Decimal`` minor units
(``amount_micros`` / 10^(6 − the currency's digits)). Every call has a timeout
and the same bounded retries as Meta (:mod:`ads.retry`): reads retry transient
failures and quota errors (waiting Google's ``retry_delay``), writes only what
was refused before it ran.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision

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
from ads.errors import AdsError, InvalidRequest, NotFound, TokenExpired
from ads.google import queries
from ads.google.errors import translate
from ads.google.ids import customer_of, parse_customer_id, split_resource
from ads.retry import RetryPolicy, is_retryable, retrying

_STATUS_OUT = {"ENABLED": Status.ACTIVE, "PAUSED": Status.PAUSED, "REMOVED": Status.DELETED}
_STATUS_IN = {Status.ACTIVE: "ENABLED", Status.PAUSED: "PAUSED"}
_SERVICE_OF = {
    "campaigns": ("CampaignService", "CampaignOperation", "mutate_campaigns"),
    "adGroups": ("AdGroupService", "AdGroupOperation", "mutate_ad_groups"),
    "adGroupAds": ("AdGroupAdService", "AdGroupAdOperation", "mutate_ad_group_ads"),
}


class GoogleAdsConnector:
    """One connector per set of credentials (a ``GoogleAdsClient``)."""

    platform = "google"

    def __init__(
        self,
        client: Any,
        *,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        on_token_invalid: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self._on_token_invalid = on_token_invalid
        self._sleep = sleep
        self._calls = 0
        self._lock = threading.Lock()
        self._accounts: dict[str, AdAccountInfo] = {}
        self._dead: TokenExpired | None = None

    def __repr__(self) -> str:  # never show credentials
        return "GoogleAdsConnector()"

    @property
    def network_calls(self) -> int:
        return self._calls

    # --- the call path ---------------------------------------------------------------

    def _call(self, account_id: str | None, fn: Callable[[], Any], *, read: bool) -> Any:
        if self._dead is not None:
            raise self._dead

        def attempt() -> Any:
            with self._lock:
                self._calls += 1
            try:
                return fn()
            except AdsError:
                raise
            except Exception as exc:  # google-ads and gRPC errors become named errors
                raise translate(exc, account_id) from exc

        try:
            return retrying(
                self.policy, retry_on=lambda e: is_retryable(e, read=read), sleep=self._sleep
            )(attempt)
        except TokenExpired as exc:
            self._dead = exc
            if self._on_token_invalid is not None and account_id:
                self._on_token_invalid(account_id)
            raise

    def _search(self, customer_id: str, query: str) -> list[Any]:
        service = self.client.get_service("GoogleAdsService")

        def run() -> list[Any]:
            stream = service.search_stream(
                customer_id=customer_id, query=query, timeout=self.timeout
            )
            return [row for batch in stream for row in batch.results]

        return list(self._call(customer_id, run, read=True))

    def _mutate(
        self, customer_id: str, service_name: str, method: str, operations: list[Any]
    ) -> Any:
        service = self.client.get_service(service_name)
        call = getattr(service, method)
        return self._call(
            customer_id,
            lambda: call(customer_id=customer_id, operations=operations, timeout=self.timeout),
            read=False,
        )

    # --- accounts ----------------------------------------------------------------------

    def list_ad_accounts(self) -> list[AdAccountInfo]:
        service = self.client.get_service("CustomerService")
        response = self._call(
            None, lambda: service.list_accessible_customers(timeout=self.timeout), read=True
        )
        return [self.get_account(name) for name in response.resource_names]

    def get_account(self, account_id: str) -> AdAccountInfo:
        customer_id = parse_customer_id(account_id)
        if customer_id not in self._accounts:
            found = self._search(customer_id, queries.CUSTOMER)
            if not found:
                raise NotFound(f"Google Ads customer {customer_id} not found")
            self._remember_account(customer_id, found[0].customer)
        return self._accounts[customer_id]

    def _remember_account(self, customer_id: str, c: Any) -> None:
        """The customer's details from a row's ``customer`` fields (``queries.CUSTOMER_FIELDS``)."""
        self._accounts[customer_id] = AdAccountInfo(
            id=customer_id,
            name=c.descriptive_name,
            currency=c.currency_code,
            timezone=c.time_zone,
            status=1 if c.status.name == "ENABLED" else 2,
        )

    def account_of(self, object_id: str) -> str:
        return customer_of(object_id)

    def _scale(self, account_id: str) -> int:
        """Micros per minor unit of the customer's currency."""
        return 10 ** (6 - get_currency_precision(self.get_account(account_id).currency))

    def _minor(self, account_id: str, micros: int) -> Decimal:
        return Decimal(int(micros)) / self._scale(account_id)

    # --- reads -----------------------------------------------------------------------

    def list_campaigns(self, account_id: str) -> list[Campaign]:
        customer = parse_customer_id(account_id)
        return [
            self._campaign(customer, row) for row in self._search(customer, queries.campaigns())
        ]

    def get_campaign(self, campaign_id: str) -> Campaign:
        customer = customer_of(campaign_id)
        found = self._search(customer, queries.campaigns([campaign_id]))
        if not found:
            raise NotFound(f"campaign {campaign_id} not found", account_id=customer)
        return self._campaign(customer, found[0])

    def _campaign(self, customer: str, row: Any) -> Campaign:
        c, budget = row.campaign, row.campaign_budget
        return Campaign(
            id=c.resource_name,
            account_id=customer,
            name=c.name,
            status=_STATUS_OUT.get(c.status.name, Status.PAUSED),
            effective_status=c.serving_status.name,
            objective=c.advertising_channel_type.name,
            daily_budget=self._minor(customer, budget.amount_micros)
            if budget.resource_name
            else None,
            budget_shared=bool(budget.explicitly_shared and budget.reference_count > 1),
        )

    def list_adsets(self, account_id: str, campaign_id: str | None = None) -> list[AdSet]:
        customer = parse_customer_id(account_id)
        return [
            self._adset(customer, r) for r in self._search(customer, queries.ad_groups(campaign_id))
        ]

    def get_adset(self, adset_id: str) -> AdSet:
        customer = customer_of(adset_id)
        found = self._search(customer, queries.ad_groups(resource_name=adset_id))
        if not found:
            raise NotFound(f"ad group {adset_id} not found", account_id=customer)
        return self._adset(customer, found[0])

    def _adset(self, customer: str, row: Any) -> AdSet:
        status = _STATUS_OUT.get(row.ad_group.status.name, Status.PAUSED)
        parent = _STATUS_OUT.get(row.campaign.status.name, Status.PAUSED)
        effective = "CAMPAIGN_PAUSED" if parent != Status.ACTIVE else status.value
        return AdSet(
            id=row.ad_group.resource_name,
            account_id=customer,
            campaign_id=row.campaign.resource_name,
            name=row.ad_group.name,
            status=status,
            effective_status=effective,
            daily_budget=None,  # Google budgets live on the campaign
        )

    def list_ads(self, account_id: str, adset_id: str | None = None) -> list[Ad]:
        customer = parse_customer_id(account_id)
        return [self._ad(customer, r) for r in self._search(customer, queries.ads(adset_id))]

    def get_ad(self, ad_id: str) -> Ad:
        """An ad read back by its resource name (the supervisor reads a target before and after)."""
        customer = customer_of(ad_id)
        found = self._search(customer, queries.ads(resource_name=ad_id))
        if not found:
            raise NotFound(f"ad {ad_id} not found", account_id=customer)
        return self._ad(customer, found[0])

    def _ad(self, customer: str, row: Any) -> Ad:
        status = _STATUS_OUT.get(row.ad_group_ad.status.name, Status.PAUSED)
        return Ad(
            id=row.ad_group_ad.resource_name,
            account_id=customer,
            campaign_id=row.campaign.resource_name,
            adset_id=row.ad_group.resource_name,
            name=row.ad_group_ad.ad.name,
            status=status,
            effective_status=status.value,
        )

    def list_creatives(self, account_id: str) -> list[Creative]:
        """Google ads carry their own text: there are no separate creatives to list."""
        return []

    def insights(
        self,
        account_id: str,
        level: Level,
        period: Period,
        *,
        object_ids: Sequence[str] | None = None,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> list[InsightRow]:
        if breakdowns:
            raise InvalidRequest(
                "breakdowns are not available for Google Ads accounts yet", account_id=account_id
            )
        customer = parse_customer_id(account_id)
        query = queries.metrics(level, period, object_ids=object_ids or (), daily=daily)
        return [self._row(customer, level, period, r) for r in self._search(customer, query)]

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
        if not object_ids:
            return []
        rows = self.insights(
            account_id, level, period, object_ids=object_ids, breakdowns=breakdowns, daily=daily
        )
        order = {object_id: i for i, object_id in enumerate(object_ids)}
        return sorted(rows, key=lambda r: (order.get(r.object_id, len(order)), r.date_start))

    def insights_levels(
        self,
        account_id: str,
        levels: Sequence[Level],
        period: Period,
        *,
        breakdowns: Sequence[str] = (),
        daily: bool = False,
    ) -> dict[Level, list[InsightRow]]:
        """At most two queries, whatever the levels: campaigns (the account is their sum) and
        ads (their ad groups are their sum).

        Campaigns are read on their own because Performance Max and smart campaigns have
        no ad rows; an ad group's figures are its ads' (GAQL ad rows carry the ad group).
        A connector that has not read the customer yet (every report of a fan-out: one
        connector per account) takes its name, currency and timezone from the campaign
        rows instead of a third query; only a customer without campaign rows costs one.
        """
        if breakdowns:
            raise InvalidRequest(
                "breakdowns are not available for Google Ads accounts yet", account_id=account_id
            )
        customer = parse_customer_id(account_id)
        result: dict[Level, list[InsightRow]] = {}
        if Level.ACCOUNT in levels or Level.CAMPAIGN in levels:
            with_customer = customer not in self._accounts
            query = queries.metrics(
                Level.CAMPAIGN, period, daily=daily, with_customer=with_customer
            )
            raw = self._search(customer, query)
            if with_customer and raw:
                self._remember_account(customer, raw[0].customer)
            campaigns = [self._row(customer, Level.CAMPAIGN, period, r) for r in raw]
            result[Level.CAMPAIGN] = campaigns
            result[Level.ACCOUNT] = self._account_rows(customer, campaigns)
        if Level.ADSET in levels or Level.AD in levels:
            query = queries.metrics(Level.AD, period, daily=daily)
            raw = self._search(customer, query)
            ads = [self._row(customer, Level.AD, period, r) for r in raw]
            result[Level.AD] = ads
            result[Level.ADSET] = self._ad_group_rows(customer, period, raw, ads)
        return {level: result[level] for level in levels}

    def _ad_group_rows(
        self, customer: str, period: Period, raw: list[Any], ads: list[InsightRow]
    ) -> list[InsightRow]:
        """Each ad group's day as the sum of its ads' (``ads[i]`` is ``raw[i]`` at ad level)."""
        groups: dict[tuple[str, str], list[int]] = {}
        for index, row in enumerate(raw):
            pb = _raw(row)
            groups.setdefault((pb.ad_group.resource_name, pb.segments.date), []).append(index)
        result = []
        for indices in groups.values():
            first = self._row(customer, Level.ADSET, period, raw[indices[0]])
            parts = [ads[i] for i in indices]
            result.append(
                InsightRow(
                    level=Level.ADSET,
                    object_id=first.object_id,
                    object_name=first.object_name,
                    currency=first.currency,
                    date_start=first.date_start,
                    date_stop=first.date_stop,
                    spend=sum((p.spend for p in parts), Decimal(0)),
                    impressions=sum(p.impressions for p in parts),
                    clicks=sum(p.clicks for p in parts),
                    conversions=sum((p.conversions for p in parts), Decimal(0)),
                    revenue=sum((p.revenue for p in parts), Decimal(0)),
                    campaign_id=first.campaign_id,
                )
            )
        return result

    def _account_rows(self, account_id: str, campaigns: list[InsightRow]) -> list[InsightRow]:
        info = self.get_account(account_id)
        by_day: dict[tuple[date, date], list[InsightRow]] = {}
        for row in campaigns:
            by_day.setdefault((row.date_start, row.date_stop), []).append(row)
        return [
            InsightRow(
                level=Level.ACCOUNT,
                object_id=info.id,
                object_name=info.name,
                currency=info.currency,
                date_start=start,
                date_stop=stop,
                spend=sum((r.spend for r in rows), Decimal(0)),
                impressions=sum(r.impressions for r in rows),
                clicks=sum(r.clicks for r in rows),
                conversions=sum((r.conversions for r in rows), Decimal(0)),
                revenue=sum((r.revenue for r in rows), Decimal(0)),
            )
            for (start, stop), rows in sorted(by_day.items())
        ]

    def _row(self, customer: str, level: Level, period: Period, row: Any) -> InsightRow:
        info = self.get_account(customer)
        row = _raw(row)
        m = row.metrics
        day = date.fromisoformat(row.segments.date) if row.segments.date else None
        digits = get_currency_precision(info.currency)
        object_id = {
            Level.ACCOUNT: info.id,
            Level.CAMPAIGN: row.campaign.resource_name,
            Level.ADSET: row.ad_group.resource_name,
            Level.AD: row.ad_group_ad.resource_name,
        }[level]
        name = {
            Level.ACCOUNT: row.customer.descriptive_name,
            Level.CAMPAIGN: row.campaign.name,
            Level.ADSET: row.ad_group.name,
            Level.AD: row.ad_group_ad.ad.name,
        }[level]
        return InsightRow(
            level=level,
            object_id=object_id,
            object_name=name,
            currency=info.currency,
            date_start=day or period.since,
            date_stop=day or period.until,
            spend=self._minor(customer, m.cost_micros),
            impressions=int(m.impressions),
            clicks=int(m.clicks),
            conversions=Decimal(str(round(m.conversions, 6))).normalize(),
            revenue=(Decimal(str(round(m.conversions_value, 6))) * 10**digits).quantize(Decimal(1)),
            campaign_id=row.campaign.resource_name if level in (Level.ADSET, Level.AD) else None,
            adset_id=row.ad_group.resource_name if level == Level.AD else None,
        )

    # --- writes ----------------------------------------------------------------------

    def create_campaign(self, account_id: str, draft: CampaignDraft) -> Campaign:
        customer = parse_customer_id(account_id)
        budget_op = self.client.get_type("CampaignBudgetOperation")
        budget_op.create.name = f"{draft.name} (orçamento)"
        budget_op.create.amount_micros = int(
            (draft.daily_budget or Decimal(0)) * self._scale(customer)
        )
        budget_op.create.delivery_method = "STANDARD"
        budget_op.create.explicitly_shared = False
        budget = self._mutate(
            customer, "CampaignBudgetService", "mutate_campaign_budgets", [budget_op]
        )
        op = self.client.get_type("CampaignOperation")
        op.create.name = draft.name
        op.create.status = "PAUSED"
        op.create.advertising_channel_type = "SEARCH"
        op.create.campaign_budget = budget.results[0].resource_name
        op.create.manual_cpc.enhanced_cpc_enabled = False
        created = self._mutate(customer, "CampaignService", "mutate_campaigns", [op])
        return self.get_campaign(created.results[0].resource_name)

    def create_adset(self, account_id: str, draft: AdSetDraft) -> AdSet:
        customer = parse_customer_id(account_id)
        op = self.client.get_type("AdGroupOperation")
        op.create.name = draft.name
        op.create.status = "PAUSED"
        op.create.campaign = draft.campaign_id
        created = self._mutate(customer, "AdGroupService", "mutate_ad_groups", [op])
        return self.get_adset(created.results[0].resource_name)

    def create_creative(self, account_id: str, draft: CreativeDraft) -> Creative:
        raise InvalidRequest(
            "Google Ads ads carry their own text; there is no separate creative to create",
            account_id=account_id,
        )

    def create_ad(self, account_id: str, draft: AdDraft) -> Ad:
        raise InvalidRequest(
            "creating Google Ads ads from chat is not supported yet", account_id=account_id
        )

    def set_status(self, object_id: str, status: Status) -> None:
        customer, collection, _ = split_resource(object_id)
        if collection not in _SERVICE_OF:
            raise InvalidRequest(f"cannot change the status of {object_id}", account_id=customer)
        service, operation, method = _SERVICE_OF[collection]
        op = self.client.get_type(operation)
        if status in (Status.DELETED, Status.ARCHIVED):
            op.remove = object_id
        else:
            op.update.resource_name = object_id
            op.update.status = _STATUS_IN[status]
            op.update_mask.paths.append("status")
        self._mutate(customer, service, method, [op])

    def set_daily_budget(self, object_id: str, amount: Decimal) -> None:
        customer, collection, _ = split_resource(object_id)
        if collection == "campaigns":
            found = self._search(customer, queries.campaigns([object_id]))
            if not found:
                raise NotFound(f"campaign {object_id} not found", account_id=customer)
            budget = found[0].campaign_budget.resource_name
        elif collection == "campaignBudgets":
            budget = object_id
        else:
            raise InvalidRequest(
                "Google Ads budgets live on campaigns, not ad groups", account_id=customer
            )
        micros = Decimal(amount) * self._scale(customer)
        if micros != micros.to_integral_value():
            raise InvalidRequest("budget below the currency's smallest unit", account_id=customer)
        op = self.client.get_type("CampaignBudgetOperation")
        op.update.resource_name = budget
        op.update.amount_micros = int(micros)
        op.update_mask.paths.append("amount_micros")
        self._mutate(customer, "CampaignBudgetService", "mutate_campaign_budgets", [op])


def _raw(row: Any) -> Any:
    """A proto-plus row's underlying protobuf message, read for plain values (strings, ints,
    floats): proto-plus wraps every attribute read, ~30 per insights row, which was most of
    a Google report's client CPU. A plain protobuf row is returned as it is."""
    to_pb = getattr(type(row), "pb", None)
    return to_pb(row) if to_pb is not None else row
