"""The Meta Marketing API connector: ``AdsPlatform`` on the official facebook-business SDK.

One ``MetaConnector`` per access token (tenants never share an SDK instance or
the SDK's default-api global). Reads follow every page; insights live in
``ads.meta_insights`` (async report runs, batches of at most 50), what is asked
in ``ads.meta_fields`` and how answers become ``ads.base`` values in
``ads.meta_mappers``. Writes send absolute values, always create objects
PAUSED, and after an ambiguous failure read the object back before deciding
whether to try again (``ads.meta_writes``). Every amount leaves here as
``Decimal`` minor units.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from facebook_business.adobjects.ad import Ad as SdkAd
from facebook_business.adobjects.adaccount import AdAccount as SdkAdAccount
from facebook_business.adobjects.adcreative import AdCreative as SdkAdCreative
from facebook_business.adobjects.adset import AdSet as SdkAdSet
from facebook_business.adobjects.campaign import Campaign as SdkCampaign
from facebook_business.adobjects.user import User

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
from ads.blocks import SharedBlocks
from ads.errors import InvalidRequest
from ads.graph import GraphApi, TokenGuard, account_scope
from ads.meta_batch import GraphBatch
from ads.meta_fields import (
    ACCOUNT_FIELDS,
    AD_FIELDS,
    ADSET_FIELDS,
    BATCH_LIMIT,
    CAMPAIGN_FIELDS,
    CREATIVE_FIELDS,
)
from ads.meta_insights import MetaInsights
from ads.meta_mappers import (
    act_id,
    ad_params,
    adset_params,
    campaign_params,
    creative_params,
    graph_data,
    minor_to_budget,
    to_account,
    to_ad,
    to_adset,
    to_campaign,
    to_creative,
)
from ads.meta_studies import create_study, end_study, get_study
from ads.meta_writes import create_once, read_node, update_checked
from ads.retry import RetryPolicy
from ads.studies import Study, StudyDraft
from ads.usage import PacingPolicy, Usage, UsageTracker

# An account's currency never changes: remembered process-wide, per Graph endpoint.
_MEMO_LOCK = threading.Lock()
_CURRENCIES: dict[tuple[str, str], str] = {}  # (graph url, act_...) -> ISO currency


class MetaConnector:
    """``AdsPlatform`` for Meta, one instance per access token."""

    platform = "meta"
    supports_studies = True

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
        shared_blocks: SharedBlocks | None = None,
        async_after_days: int = 31,
        async_after_objects: int = BATCH_LIMIT,
        poll_interval: float = 1.0,
        max_poll_seconds: float = 600.0,
        page_size: int = 100,
        insights_page_size: int = 500,
    ) -> None:
        self.policy = retry_policy or RetryPolicy()
        self.usage_tracker = UsageTracker(pacing, clock=clock, shared=shared_blocks)
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
        self.page_size = page_size
        self.batch = GraphBatch(self.api, policy=self.policy, guard=self.guard, sleep=sleep)
        self.reports = MetaInsights(
            self.api,
            self.batch,
            currency_of=self._currency,
            sleep=sleep,
            async_after_days=async_after_days,
            async_after_objects=async_after_objects,
            poll_interval=poll_interval,
            max_poll_seconds=max_poll_seconds,
            page_size=insights_page_size,
        )

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
        """HTTP requests sent to Graph so far (a batch of 50 items is one)."""
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
        pages = self.batch.get(
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
        return act_id(read_node(self.api, object_id, ["account_id"]).get("account_id"))

    # --- insights (ads.meta_insights) --------------------------------------------------------

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
        return self.reports.insights(
            account_id,
            level,
            period,
            object_ids=object_ids,
            breakdowns=breakdowns,
            daily=daily,
            run_async=run_async,
        )

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
        return self.reports.batch_insights(
            account_id, object_ids, period, level=level, breakdowns=breakdowns, daily=daily
        )

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
        """Insights of one object via its own ``/{id}/insights`` edge (all pages)."""
        return self.reports.object_insights(
            account_id, object_id, period, level=level, breakdowns=breakdowns, daily=daily
        )

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
        return self.reports.insights_levels(
            account_id, levels, period, breakdowns=breakdowns, daily=daily
        )

    # --- what the connector remembers ---------------------------------------------------------

    def _currency(self, account_id: str) -> str:
        """The account's currency (it never changes, so it is remembered process-wide)."""
        with _MEMO_LOCK:
            known = _CURRENCIES.get((self._graph, account_id))
        return known or self.get_account(account_id).currency

    def _campaign(self, obj: Any) -> Campaign:
        data = graph_data(obj)
        campaign = to_campaign(data, self._currency(act_id(data.get("account_id"))))
        self._owners[campaign.id] = campaign.account_id
        return campaign

    def _adset(self, obj: Any) -> AdSet:
        data = graph_data(obj)
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

    # --- writes -----------------------------------------------------------------------------

    def create_campaign(self, account_id: str, draft: CampaignDraft) -> Campaign:
        params = campaign_params(draft, self._budget(account_id, draft.daily_budget))
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_campaign(params=params),
            lambda: [(c.id, c.name) for c in self.list_campaigns(account_id)],
        )
        return self.get_campaign(new_id)

    def create_adset(self, account_id: str, draft: AdSetDraft) -> AdSet:
        params = adset_params(draft, self._budget(account_id, draft.daily_budget))
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_ad_set(params=params),
            lambda: [(a.id, a.name) for a in self.list_adsets(account_id, draft.campaign_id)],
        )
        return self.get_adset(new_id)

    def create_creative(self, account_id: str, draft: CreativeDraft) -> Creative:
        params = creative_params(draft)
        account = SdkAdAccount(account_id, api=self.api)
        new_id = self._create(
            account_id,
            draft.name,
            lambda: account.create_ad_creative(params=params),
            lambda: [(c.id, c.name) for c in self.list_creatives(account_id)],
        )
        return self.get_creative(new_id)

    def create_ad(self, account_id: str, draft: AdDraft) -> Ad:
        params = ad_params(draft)
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

    # --- split tests (ads.meta_studies) -------------------------------------------------------

    def create_study(self, account_id: str, draft: StudyDraft) -> Study:
        new_id = create_study(self.api, account_id, draft, policy=self.policy, sleep=self._sleep)
        with account_scope(account_id):
            return get_study(self.api, new_id)

    def get_study(self, study_id: str) -> Study:
        return get_study(self.api, study_id)

    def end_study(self, study_id: str, at: datetime) -> Study:
        return end_study(self.api, self._owner_of_study(study_id), study_id, at)

    def _owner_of_study(self, study_id: str) -> str:
        """A study's account: the owner of its first cell's first ad set."""
        study = get_study(self.api, study_id)
        first = next((a for c in study.cells for a in c.adset_ids), None)
        return self._owner(first) if first else ""

    def _budget(self, account_id: str, amount: Decimal | None) -> int | None:
        """A draft's budget in Meta's unit for the account's currency (None: no budget here)."""
        return None if amount is None else minor_to_budget(amount, self._currency(account_id))

    def _update(
        self,
        object_id: str,
        params: dict[str, Any],
        applied: Callable[[dict[str, Any]], bool],
        fields: Sequence[str],
    ) -> None:
        update_checked(
            self.api,
            object_id,
            params,
            applied=applied,
            fields=fields,
            policy=self.policy,
            sleep=self._sleep,
        )

    def _create(
        self,
        account_id: str,
        name: str,
        post: Callable[[], Any],
        existing: Callable[[], list[tuple[str, str]]],
    ) -> str:
        return create_once(
            account_id, name, post=post, existing=existing, policy=self.policy, sleep=self._sleep
        )
