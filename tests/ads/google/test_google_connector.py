"""The Google Ads connector, exercised through the real google-ads client and the sandbox."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from google.ads.googleads.client import GoogleAdsClient
from google.ads.googleads.errors import GoogleAdsException
from google.oauth2.credentials import Credentials

from ads.base import AdsPlatform, CampaignDraft, Level, Period, Status
from ads.errors import InvalidRequest, PermissionDenied, TokenExpired
from ads.google.factory import GoogleCredentials
from ads.google.sandbox.server import GoogleSandbox
from ads.sandbox.demo_google import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME

from .conftest import CREDENTIALS, ConnectorFactory

CUSTOMER = GOOGLE_DEMO_CUSTOMER_ID
WEEK = Period(date(2026, 3, 3), date(2026, 3, 9))


def test_the_connector_is_an_ads_platform(connect: ConnectorFactory) -> None:
    assert isinstance(connect(), AdsPlatform)


def test_lists_the_demo_customer_and_its_campaigns_with_budgets_in_minor_units(
    connect: ConnectorFactory,
) -> None:
    ads = connect()
    (account,) = ads.list_ad_accounts()
    assert (account.id, account.name, account.currency) == (CUSTOMER, GOOGLE_DEMO_NAME, "BRL")
    campaigns = {c.name: c for c in ads.list_campaigns("813-555-0101")}
    brand = campaigns["Search | Marca"]
    assert brand.daily_budget == Decimal(12000)  # R$ 120,00
    assert brand.objective == "SEARCH"
    assert brand.id.startswith(f"customers/{CUSTOMER}/campaigns/")
    assert ads.account_of(brand.id) == CUSTOMER
    assert campaigns["Performance Max | Catálogo"].objective == "PERFORMANCE_MAX"
    assert campaigns["YouTube | Remarketing"].status == Status.PAUSED


def test_daily_figures_equal_the_simulated_delivery(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    ads = connect()
    rows = ads.insights(CUSTOMER, Level.CAMPAIGN, WEEK, daily=True)
    brand = next(c for c in ads.list_campaigns(CUSTOMER) if c.name == "Search | Marca")
    record_id = brand.id.rsplit("/", 1)[-1]
    for row in (r for r in rows if r.object_id == brand.id):
        truth = google_sandbox.state.totals(record_id, row.date_start, row.date_start)
        assert row.spend == Decimal(truth.spend)
        assert (row.impressions, row.clicks) == (truth.impressions, truth.clicks)
        assert row.conversions == Decimal(truth.purchases)
        assert row.revenue == Decimal(truth.revenue)
    assert len({r.date_start for r in rows}) == 7


def test_account_and_campaign_figures_take_one_upstream_call(connect: ConnectorFactory) -> None:
    ads = connect()
    ads.get_account(CUSTOMER)  # the currency, read once per connector
    before = ads.network_calls
    levels = ads.insights_levels(CUSTOMER, [Level.ACCOUNT, Level.CAMPAIGN], WEEK)
    assert ads.network_calls - before == 1
    (account,) = levels[Level.ACCOUNT]
    assert account.spend == sum(r.spend for r in levels[Level.CAMPAIGN])
    assert account.spend > 0


def test_a_budget_change_reaches_the_campaign_and_its_delivery(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    ads = connect()
    brand = next(c for c in ads.list_campaigns(CUSTOMER) if c.name == "Search | Marca")
    ads.set_daily_budget(brand.id, Decimal(30000))
    assert ads.get_campaign(brand.id).daily_budget == Decimal(30000)
    record = google_sandbox.state.campaign(brand.id.rsplit("/", 1)[-1])
    assert record is not None and record.daily_budget == 30000
    with pytest.raises(InvalidRequest):
        ads.set_daily_budget(brand.id, Decimal("0.5"))  # half a centavo


def test_pausing_a_campaign_pauses_its_ad_groups_delivery(connect: ConnectorFactory) -> None:
    ads = connect()
    search = next(c for c in ads.list_campaigns(CUSTOMER) if c.name.startswith("Search | Gen"))
    ads.set_status(search.id, Status.PAUSED)
    assert ads.get_campaign(search.id).status == Status.PAUSED
    groups = ads.list_adsets(CUSTOMER, search.id)
    assert groups and {g.effective_status for g in groups} == {"CAMPAIGN_PAUSED"}
    ads.set_status(search.id, Status.ACTIVE)
    assert ads.get_campaign(search.id).status == Status.ACTIVE


def test_new_campaigns_are_created_paused(connect: ConnectorFactory) -> None:
    ads = connect()
    created = ads.create_campaign(
        CUSTOMER, CampaignDraft("Search | Teste", daily_budget=Decimal(5000))
    )
    assert created.status == Status.PAUSED
    assert created.daily_budget == Decimal(5000)
    assert created.name in {c.name for c in ads.list_campaigns(CUSTOMER)}


def test_a_revoked_refresh_token_is_a_dead_token_and_the_account_is_flagged(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    flagged: list[str] = []
    google_sandbox.authority.revoke(CREDENTIALS.refresh_token)
    ads = connect(on_token_invalid=flagged.append)
    with pytest.raises(TokenExpired):
        ads.list_campaigns(CUSTOMER)
    assert flagged == [CUSTOMER]
    calls = ads.network_calls
    with pytest.raises(TokenExpired):  # known dead: no more calls upstream
        ads.list_campaigns(CUSTOMER)
    assert ads.network_calls == calls


def test_a_quota_error_waits_googles_retry_delay_then_succeeds(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    waits: list[float] = []
    ads = connect(sleep=waits.append)  # waits recorded instead of slept
    ads.get_account(CUSTOMER)
    google_sandbox.app.exhaust_quota(CUSTOMER, calls=1, retry_seconds=7)
    assert ads.list_campaigns(CUSTOMER)
    assert waits == [7.0]


def test_another_customer_is_refused_as_a_permission_problem(connect: ConnectorFactory) -> None:
    with pytest.raises(PermissionDenied):
        connect().list_campaigns("111-222-3333")


def test_credentials_never_show_in_reprs() -> None:
    shown = repr(GoogleCredentials("dev-secret", "id", "client-secret", "1//refresh-secret"))
    assert "secret" not in shown


def test_the_sandbox_refuses_a_bad_query_as_google_does(google_sandbox: GoogleSandbox) -> None:
    client = GoogleAdsClient(
        credentials=Credentials(
            token=None,
            refresh_token="1//r",
            client_id="c",
            client_secret="s",
            token_uri=google_sandbox.token_uri,
        ),
        developer_token="dev",
        endpoint=google_sandbox.endpoint,
        use_proto_plus=True,
    )
    service = client.get_service("GoogleAdsService")
    cases = {
        "SELECT campaign.nope FROM campaign": "UNRECOGNIZED_FIELD",
        "SELECT campaign.id FROM campaign WHERE segments.date >= '2026-03-01'": (
            "EXPECTED_FILTERS_ON_DATE_RANGE"
        ),
        "SELECT campaign.id FROM campaign WHERE campaign.name = 'x": "STRING_NOT_TERMINATED",
        "SELECT metrics.clicks FROM campaign_budget": "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
        "SELECT campaign.id FROM campaign LIMIT 0": "LIMIT_VALUE_TOO_LOW",
    }
    for query, code in cases.items():
        with pytest.raises(GoogleAdsException) as raised:
            list(service.search_stream(customer_id=CUSTOMER, query=query))
        assert raised.value.failure.errors[0].error_code.query_error.name == code, query


def test_a_new_connector_reads_all_four_levels_and_its_customer_in_two_calls(
    connect: ConnectorFactory,
) -> None:
    """A report fan-out builds one connector per account: the customer's name, currency and
    timezone come with the campaign rows instead of a third call before each report."""
    ads = connect()
    levels = ads.insights_levels(
        CUSTOMER, [Level.ACCOUNT, Level.CAMPAIGN, Level.ADSET, Level.AD], WEEK, daily=True
    )
    assert ads.network_calls == 2
    info = ads.get_account(CUSTOMER)
    assert ads.network_calls == 2  # known already
    assert info == connect().get_account(CUSTOMER)  # as the customer's own query says
    assert {r.object_name for r in levels[Level.ACCOUNT]} == {GOOGLE_DEMO_NAME}
    assert {r.currency for rows in levels.values() for r in rows} == {"BRL"}


def test_gaql_date_ranges_follow_googles_definitions(connect: ConnectorFactory) -> None:
    from ads.google.sandbox.gaql import during

    today = date(2026, 3, 10)  # a Tuesday
    assert during("LAST_7_DAYS", today) == (date(2026, 3, 3), date(2026, 3, 9))
    assert during("YESTERDAY", today) == (today - timedelta(days=1),) * 2
    assert during("LAST_WEEK_MON_SUN", today) == (date(2026, 3, 2), date(2026, 3, 8))
    assert during("LAST_MONTH", today) == (date(2026, 2, 1), date(2026, 2, 28))


def test_the_metrics_sync_reads_all_four_levels_in_two_calls(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    ads = connect()
    ads.get_account(CUSTOMER)
    before = ads.network_calls
    levels = ads.insights_levels(
        CUSTOMER, [Level.ACCOUNT, Level.CAMPAIGN, Level.ADSET, Level.AD], WEEK, daily=True
    )
    assert ads.network_calls - before == 2
    group = next(r for r in levels[Level.ADSET] if r.object_name == "Tênis Corrida")
    record_id = group.object_id.rsplit("/", 1)[-1]
    truth = google_sandbox.state.totals(record_id, group.date_start, group.date_start)
    assert (group.spend, group.clicks) == (Decimal(truth.spend), truth.clicks)
    assert group.campaign_id and group.campaign_id.startswith(f"customers/{CUSTOMER}/campaigns/")
    days = {r.date_start for r in levels[Level.ACCOUNT]}
    assert len(days) == 7
    assert sum(r.spend for r in levels[Level.ACCOUNT]) == sum(
        r.spend for r in levels[Level.CAMPAIGN]
    )


def test_a_managers_grant_needs_the_login_customer_id(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    agency = GoogleCredentials("dev", "client", "secret", "1//agency-user")
    google_sandbox.app.grant_through_manager("1//agency-user", "8135550100", {CUSTOMER})
    with pytest.raises(PermissionDenied):  # the agency's user has no direct access
        connect(agency).list_campaigns(CUSTOMER)
    through_mcc = GoogleCredentials(
        "dev", "client", "secret", "1//agency-user", login_customer_id="813-555-0100"
    )
    assert connect(through_mcc).list_campaigns(CUSTOMER)


def test_connectors_with_the_same_credentials_share_one_channel_and_one_access_token(
    connect: ConnectorFactory, google_sandbox: GoogleSandbox
) -> None:
    first, second = connect(), connect()  # two accounts' reports in one worker process
    first.list_campaigns(CUSTOMER)
    second.list_campaigns(CUSTOMER)
    second.get_account(CUSTOMER)
    assert google_sandbox.authority.refreshes == 1

    other = connect(GoogleCredentials("dev-token", "client-id", "client-secret", "1//other"))
    other.list_campaigns(CUSTOMER)  # another grant: a client and an access token of its own
    assert google_sandbox.authority.refreshes == 2
