"""The Google Ads services the sandbox answers, over the shared simulated world.

Served: ``GoogleAdsService`` (Search, SearchStream), ``CustomerService``
(ListAccessibleCustomers), and the mutates the product sends:
``CampaignBudgetService``, ``CampaignService``, ``AdGroupService``,
``AdGroupAdService`` (create, update of the masked fields, remove). Every call
must carry an access token the sandbox's token endpoint issued and a developer
token, as Google requires; a customer id the token can't reach is refused with
``USER_PERMISSION_DENIED``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from babel.numbers import get_currency_precision
from google.ads.googleads.v26.services.types import (
    ad_group_ad_service,
    ad_group_service,
    campaign_budget_service,
    campaign_service,
    customer_service,
    google_ads_service,
)
from google.protobuf.field_mask_pb2 import FieldMask

from ads.google.sandbox import failures
from ads.google.sandbox.gaql import GaqlError, parse
from ads.google.sandbox.oauth import TokenAuthority
from ads.google.sandbox.rows import rows
from ads.sandbox.records import ACTIVE, DELETED, PAUSED, AccountRecord, CampaignRecord
from ads.sandbox.state import SandboxState

PAGE_SIZE = 10_000
_STATUS_IN = {"ENABLED": ACTIVE, "PAUSED": PAUSED, "REMOVED": DELETED}


class GoogleAdsApp:
    """The handlers, one per RPC, with what a test may change (faults, revoked tokens)."""

    def __init__(self, state: SandboxState, authority: TokenAuthority) -> None:
        self.state = state
        self.authority = authority
        self.calls: Counter[str] = Counter()
        self._budgets: dict[str, dict[str, Any]] = {}  # created, not yet used by a campaign
        self._budget_of_campaign: dict[str, str] = {}
        self._quota: dict[str, tuple[int, int]] = {}  # customer -> (calls left, retry seconds)
        #: Grants that reach customers only through a manager account (an agency's MCC):
        #: refresh token -> (manager id, the managed customers).
        self._manager_grants: dict[str, tuple[str, frozenset[str]]] = {}
        self._lock = threading.Lock()

    # --- what a test does --------------------------------------------------------------

    def grant_through_manager(
        self, refresh_token: str, manager_id: str, customers: set[str] | frozenset[str]
    ) -> None:
        """``refresh_token`` belongs to a user of manager ``manager_id`` only: its calls must
        say ``login-customer-id: <manager_id>`` and reach only ``customers`` (as on Google)."""
        with self._lock:
            self._manager_grants[refresh_token] = (manager_id, frozenset(customers))

    def exhaust_quota(self, customer_id: str, *, calls: int = 1, retry_seconds: int = 2) -> None:
        """The next ``calls`` requests for ``customer_id`` fail with a quota error."""
        with self._lock:
            self._quota[customer_id] = (calls, retry_seconds)

    # --- plumbing ----------------------------------------------------------------------

    def _admit(
        self, method: str, metadata: Sequence[tuple[str, Any]], customer_id: str | None
    ) -> AccountRecord | None:
        self.calls[method] += 1
        headers = {key: value for key, value in metadata}
        bearer = str(headers.get("authorization", ""))
        if not bearer.startswith("Bearer "):
            raise failures.authentication_error(
                "OAUTH_TOKEN_HEADER_INVALID", "Request is missing required authentication."
            )
        access = bearer.removeprefix("Bearer ")
        if not self.authority.valid(access):
            raise failures.authentication_error(
                "OAUTH_TOKEN_INVALID", "Request had invalid authentication credentials."
            )
        grant = self._manager_grants.get(self.authority.issued.get(access, ""))
        if not headers.get("developer-token"):
            raise failures.authentication_error(
                "DEVELOPER_TOKEN_INVALID", "The developer token is not valid."
            )
        if customer_id is None:
            return None
        with self._lock:
            left, retry = self._quota.get(customer_id, (0, 0))
            if left > 0:
                self._quota[customer_id] = (left - 1, retry)
                raise failures.quota_error(retry)
        if not customer_id.isdigit() or len(customer_id) != 10:
            raise failures.request_error("INVALID_CUSTOMER_ID", "Invalid customer ID.")
        account = self.state.account(f"act_{customer_id}")
        if grant is not None:
            manager, customers = grant
            if headers.get("login-customer-id") != manager or customer_id not in customers:
                account = None  # this user reaches the customer only through its manager
        if account is None or account.platform != "google":
            raise failures.authorization_error(
                "USER_PERMISSION_DENIED",
                "User doesn't have permission to access customer. Note: If you're accessing a "
                "client customer, the manager's customer id must be set in the "
                "'login-customer-id' header.",
            )
        return account

    # --- GoogleAdsService ----------------------------------------------------------------

    def _query(self, account: AccountRecord, text: str) -> list[google_ads_service.GoogleAdsRow]:
        try:
            query = parse(text, today=self.state.today(account.id))
            return rows(self.state, account, query)
        except GaqlError as exc:
            raise failures.query_error(exc.code, exc.message) from None

    def search(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        account = self._admit("Search", metadata, request.customer_id)
        assert account is not None
        found = self._query(account, request.query)
        start = int(request.page_token or 0)
        page = found[start : start + PAGE_SIZE]
        following = start + PAGE_SIZE
        return google_ads_service.SearchGoogleAdsResponse(
            results=page,
            next_page_token=str(following) if following < len(found) else "",
            total_results_count=len(found),
        )

    def search_stream(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Iterator[Any]:
        account = self._admit("SearchStream", metadata, request.customer_id)
        assert account is not None
        found = self._query(account, request.query)
        fields = [part.strip() for part in request.query.split("FROM")[0][6:].split(",")]
        mask = FieldMask(paths=[f.strip() for f in fields])
        for start in range(0, max(len(found), 1), PAGE_SIZE):
            yield google_ads_service.SearchGoogleAdsStreamResponse(
                results=found[start : start + PAGE_SIZE], field_mask=mask
            )

    # --- CustomerService -----------------------------------------------------------------

    def list_accessible_customers(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        self._admit("ListAccessibleCustomers", metadata, None)
        names = [f"customers/{a.numeric_id}" for a in self.state.visible_accounts(None, "google")]
        return customer_service.ListAccessibleCustomersResponse(resource_names=names)

    # --- mutates -------------------------------------------------------------------------

    def mutate_campaign_budgets(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        account = self._admit("MutateCampaignBudgets", metadata, request.customer_id)
        assert account is not None
        results = []
        for op in request.operations:
            kind = op._pb.WhichOneof("operation")
            if kind == "create":
                minor = self._minor(account, op.create.amount_micros)
                budget_id = self.state.new_id()
                name = f"customers/{account.numeric_id}/campaignBudgets/{budget_id}"
                if not request.validate_only:
                    self._budgets[budget_id] = {"amount": minor, "name": op.create.name}
            elif kind == "update":
                campaign = self._campaign_of_budget(account, op.update.resource_name)
                name = op.update.resource_name
                if "amount_micros" in list(op.update_mask.paths) and not request.validate_only:
                    minor = self._minor(account, op.update.amount_micros)
                    self.state.update(campaign.id, {"daily_budget": minor})
            else:
                raise failures.mutate_error(
                    "MUTATE_NOT_ALLOWED", "Removing a budget in use is not allowed."
                )
            results.append(campaign_budget_service.MutateCampaignBudgetResult(resource_name=name))
        return campaign_budget_service.MutateCampaignBudgetsResponse(results=results)

    def mutate_campaigns(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        account = self._admit("MutateCampaigns", metadata, request.customer_id)
        assert account is not None
        results = []
        for op in request.operations:
            kind = op._pb.WhichOneof("operation")
            if kind == "create":
                budget_id = op.create.campaign_budget.rsplit("/", 1)[-1]
                budget = self._budgets.pop(budget_id, None)
                if budget is None:
                    raise failures.mutate_error(
                        "RESOURCE_NOT_FOUND", f"Budget {op.create.campaign_budget} not found."
                    )
                if request.validate_only:
                    name = f"customers/{account.numeric_id}/campaigns/0"
                else:
                    record = self.state.add_campaign(
                        account.id,
                        name=op.create.name,
                        objective="OUTCOME_SALES",
                        status=_STATUS_IN.get(op.create.status.name, PAUSED),
                        daily_budget=budget["amount"],
                    )
                    self._budget_of_campaign[budget_id] = record.id
                    name = f"customers/{account.numeric_id}/campaigns/{record.id}"
            else:
                resource = op.update.resource_name if kind == "update" else op.remove
                campaign = self._record(account, resource, "campaigns")
                name = resource
                self._set_status(campaign.id, kind, op, request.validate_only)
            results.append(campaign_service.MutateCampaignResult(resource_name=name))
        return campaign_service.MutateCampaignsResponse(results=results)

    def mutate_ad_groups(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        account = self._admit("MutateAdGroups", metadata, request.customer_id)
        assert account is not None
        results = []
        for op in request.operations:
            kind = op._pb.WhichOneof("operation")
            if kind == "create":
                campaign = self._record(account, op.create.campaign, "campaigns")
                record = self.state.add_adset(
                    campaign.id,
                    name=op.create.name,
                    status=_STATUS_IN.get(op.create.status.name, PAUSED),
                )
                name = f"customers/{account.numeric_id}/adGroups/{record.id}"
            else:
                name = op.update.resource_name if kind == "update" else op.remove
                adset = self._record(account, name, "adGroups")
                self._set_status(adset.id, kind, op, request.validate_only)
            results.append(ad_group_service.MutateAdGroupResult(resource_name=name))
        return ad_group_service.MutateAdGroupsResponse(results=results)

    def mutate_ad_group_ads(self, request: Any, metadata: Sequence[tuple[str, Any]]) -> Any:
        account = self._admit("MutateAdGroupAds", metadata, request.customer_id)
        assert account is not None
        results = []
        for op in request.operations:
            kind = op._pb.WhichOneof("operation")
            if kind == "create":
                adset = self._record(account, op.create.ad_group, "adGroups")
                rsa = op.create.ad.responsive_search_ad
                creative = self.state.add_creative(
                    account.id,
                    name=op.create.ad.name or "Anúncio",
                    title=rsa.headlines[0].text if rsa.headlines else "",
                    body=rsa.descriptions[0].text if rsa.descriptions else "",
                    link_url=op.create.ad.final_urls[0] if op.create.ad.final_urls else "",
                )
                ad = self.state.add_ad(
                    adset.id,
                    name=op.create.ad.name or creative.name,
                    creative_id=creative.id,
                    status=_STATUS_IN.get(op.create.status.name, PAUSED),
                )
                name = f"customers/{account.numeric_id}/adGroupAds/{adset.id}~{ad.id}"
            else:
                name = op.update.resource_name if kind == "update" else op.remove
                ad_id = name.rsplit("~", 1)[-1]
                ad_record = self.state.ad(ad_id)
                if ad_record is None or ad_record.account_id != account.id:
                    raise failures.mutate_error("RESOURCE_NOT_FOUND", f"{name} not found.")
                self._set_status(ad_record.id, kind, op, request.validate_only)
            results.append(ad_group_ad_service.MutateAdGroupAdResult(resource_name=name))
        return ad_group_ad_service.MutateAdGroupAdsResponse(results=results)

    # --- helpers -------------------------------------------------------------------------

    def _set_status(self, record_id: str, kind: str, op: Any, validate_only: bool) -> None:
        """An update's masked ``status`` or a remove, as every mutate service applies it."""
        if kind == "remove":
            status: str | None = DELETED
        elif "status" in list(op.update_mask.paths):
            status = _STATUS_IN.get(op.update.status.name)
            if status is None:
                raise failures.request_error("BAD_RESOURCE_ID", "Invalid status.")
        else:
            return
        if not validate_only:
            self.state.update(record_id, {"status": status})

    def _minor(self, account: AccountRecord, micros: int) -> int:
        step = 10 ** (6 - get_currency_precision(account.currency))
        if micros < 0:
            raise failures.SandboxFailure(
                failures.grpc.StatusCode.INVALID_ARGUMENT,
                "campaign_budget_error",
                "NEGATIVE_MONEY_AMOUNT",
                "Budget amount must not be negative.",
            )
        if micros % step:
            raise failures.SandboxFailure(
                failures.grpc.StatusCode.INVALID_ARGUMENT,
                "campaign_budget_error",
                "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT",
                "Amount must be a multiple of the minimum currency unit.",
            )
        return micros // step

    def _record(self, account: AccountRecord, resource: str, collection: str) -> Any:
        prefix = f"customers/{account.numeric_id}/{collection}/"
        if not resource.startswith(prefix):
            raise failures.request_error(
                "RESOURCE_NAME_MALFORMED", f"Resource name {resource!r} is malformed."
            )
        object_id = resource.removeprefix(prefix)
        record = self.state.node(object_id)
        if record is None or record.account_id != account.id:
            raise failures.mutate_error("RESOURCE_NOT_FOUND", f"{resource} was not found.")
        return record

    def _campaign_of_budget(self, account: AccountRecord, resource: str) -> CampaignRecord:
        budget_id = resource.rsplit("/", 1)[-1]
        campaign_id = self._budget_of_campaign.get(budget_id, budget_id)
        name = f"customers/{account.numeric_id}/campaigns/{campaign_id}"
        record = self._record(account, name, "campaigns")
        if not isinstance(record, CampaignRecord):
            raise failures.mutate_error("RESOURCE_NOT_FOUND", f"{resource} was not found.")
        return record


def handlers(app: GoogleAdsApp) -> dict[tuple[str, str], Any]:
    """(service, method) → the handler, for every RPC the sandbox serves."""
    return {
        ("GoogleAdsService", "Search"): app.search,
        ("GoogleAdsService", "SearchStream"): app.search_stream,
        ("CustomerService", "ListAccessibleCustomers"): app.list_accessible_customers,
        ("CampaignBudgetService", "MutateCampaignBudgets"): app.mutate_campaign_budgets,
        ("CampaignService", "MutateCampaigns"): app.mutate_campaigns,
        ("AdGroupService", "MutateAdGroups"): app.mutate_ad_groups,
        ("AdGroupAdService", "MutateAdGroupAds"): app.mutate_ad_group_ads,
    }


def wall_clock() -> float:
    return time.monotonic()
