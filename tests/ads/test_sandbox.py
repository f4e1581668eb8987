"""The sandbox speaks Graph well enough for the unmodified facebook-business SDK.

Every test drives the sandbox over real HTTP, through the official SDK where
the SDK has a call for it, and checks what a connector would see.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
import requests
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.user import User
from facebook_business.exceptions import FacebookRequestError

from ads.sandbox import DEMO_ACCOUNT_ID, SECOND_ACCOUNT_ID
from ads.sandbox.insights import PURCHASE

# The SDK warns about field names it does not know (bad ones on purpose, expansions).
pytestmark = pytest.mark.filterwarnings("ignore:.*does not allow field:UserWarning")

ACCOUNT_FIELDS = ["name", "currency", "timezone_name", "account_status", "amount_spent"]


def _error(excinfo: pytest.ExceptionInfo[FacebookRequestError]) -> dict:
    body = excinfo.value.body()
    assert isinstance(body, dict), f"not a Graph envelope: {body!r}"
    return body["error"]


def _demo(graph_api) -> AdAccount:
    return AdAccount(DEMO_ACCOUNT_ID, api=graph_api)


def _campaign_id(sandbox, name: str) -> str:
    return next(c.id for c in sandbox.state.campaigns.values() if c.name == name)


# --- reading ---------------------------------------------------------------------------------


def test_lists_ad_accounts_across_pages(sandbox, graph_api):
    accounts = list(
        User("me", api=graph_api).get_ad_accounts(fields=ACCOUNT_FIELDS, params={"limit": 1})
    )
    assert [a["id"] for a in accounts] == [DEMO_ACCOUNT_ID, SECOND_ACCOUNT_ID]
    demo, us = accounts
    assert (demo["name"], demo["currency"], demo["timezone_name"]) == (
        "Loja Aurora (demo)",
        "BRL",
        "America/Sao_Paulo",
    )
    assert (us["currency"], us["timezone_name"]) == ("USD", "America/New_York")
    assert demo["account_status"] == 1
    assert int(demo["amount_spent"]) > 0  # minor units, as a string
    assert sandbox.stats.by_path["/me/adaccounts"] == 2  # one request per page


def test_reads_an_account_node_with_its_fields(graph_api):
    account = _demo(graph_api).api_get(
        fields=["name", "currency", "timezone_name", "spend_cap", "account_id"]
    )
    assert account["name"] == "Loja Aurora (demo)"
    assert account["account_id"] == "1000000001"
    assert account["spend_cap"] == "0"


def test_campaigns_page_with_cursors_and_skip_archived_by_default(sandbox, graph_api):
    campaigns = list(
        _demo(graph_api).get_campaigns(
            fields=["name", "status", "effective_status"], params={"limit": 5}
        )
    )
    names = [c["name"] for c in campaigns]
    assert len(names) == len(set(names)) == 13
    assert "Black Friday - Conversão" in names
    assert "Natal - Arquivada" not in names
    assert sandbox.stats.by_route["GET /{account}/campaigns"] == 3
    archived = list(
        _demo(graph_api).get_campaigns(fields=["name"], params={"effective_status": ["ARCHIVED"]})
    )
    assert [c["name"] for c in archived] == ["Natal - Arquivada"]
    paused = list(
        _demo(graph_api).get_campaigns(fields=["name"], params={"effective_status": ["PAUSED"]})
    )
    assert {c["name"] for c in paused} >= {"Black Friday - Conversão", "Dia das Mães - Conversão"}


def test_paging_next_is_an_absolute_url_back_to_the_sandbox(sandbox):
    url = f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}/campaigns"
    first = httpx.get(url, params={"access_token": "t", "limit": 4, "fields": "name"}).json()
    assert first["paging"]["next"].startswith(sandbox.url + "/v24.0/")
    second = httpx.get(first["paging"]["next"]).json()
    assert {c["id"] for c in first["data"]}.isdisjoint({c["id"] for c in second["data"]})
    assert second["paging"]["cursors"]["before"] and "previous" in second["paging"]


def test_children_edges_and_field_expansion(sandbox, graph_api):
    campaign_id = _campaign_id(sandbox, "Prospecção Lookalike 1% Compradores")
    adsets = list(
        Campaign(campaign_id, api=graph_api).get_ad_sets(
            fields=["name", "campaign_id", "targeting"]
        )
    )
    assert len(adsets) == 2 and all(s["campaign_id"] == campaign_id for s in adsets)
    assert adsets[0]["targeting"].export_all_data()["geo_locations"] == {"countries": ["BR"]}
    ads = list(
        AdSet(adsets[0]["id"], api=graph_api).get_ads(fields=["name", "creative{title,body}"])
    )
    assert ads and all(set(a["creative"]) == {"id", "title", "body"} for a in ads)
    body = httpx.get(
        f"{sandbox.url}/v24.0/{campaign_id}",
        params={
            "access_token": "t",
            "fields": "name,insights.date_preset(last_7d){spend,impressions}",
        },
    ).json()
    assert Decimal(body["insights"]["data"][0]["spend"]) > 0


def test_trailing_slash_node_path_is_the_same_node(sandbox):
    plain = httpx.get(
        f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}", params={"access_token": "t", "fields": "name"}
    )
    slashed = httpx.get(
        f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}/", params={"access_token": "t", "fields": "name"}
    )
    assert plain.status_code == slashed.status_code == 200
    assert plain.json() == slashed.json() == {"name": "Loja Aurora (demo)", "id": DEMO_ACCOUNT_ID}


def test_multi_get_by_ids(sandbox, graph_api):
    ids = [c.id for c in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID)[:3]]
    campaigns = Campaign.get_by_ids(ids, fields=["name"], api=graph_api)
    assert sorted(c["id"] for c in campaigns) == sorted(ids)


# --- writing --------------------------------------------------------------------------------


def test_create_campaign_paused_then_update_status_and_budget(sandbox, graph_api):
    created = _demo(graph_api).create_campaign(
        params={
            "name": "Teste Sandbox",
            "objective": "OUTCOME_SALES",
            "status": "PAUSED",
            "special_ad_categories": [],
            "daily_budget": 5000,
        }
    )
    campaign = Campaign(created["id"], api=graph_api).api_get(
        fields=["name", "status", "effective_status", "daily_budget", "account_id"]
    )
    assert (campaign["status"], campaign["effective_status"]) == ("PAUSED", "PAUSED")
    assert campaign["daily_budget"] == "5000" and campaign["account_id"] == "1000000001"
    Campaign(created["id"], api=graph_api).api_update(
        params={"status": "ACTIVE", "daily_budget": 7500}
    )
    fresh = Campaign(created["id"], api=graph_api).api_get(
        fields=["status", "effective_status", "daily_budget"]
    )
    assert (fresh["status"], fresh["effective_status"], fresh["daily_budget"]) == (
        "ACTIVE",
        "ACTIVE",
        "7500",
    )
    record = sandbox.state.campaign(created["id"])
    assert [(f, v) for _, f, v in record.history if f == "status"] == [
        ("status", "PAUSED"),
        ("status", "ACTIVE"),
    ]


def test_create_adset_creative_and_ad_tree(sandbox, graph_api):
    account = _demo(graph_api)
    campaign = account.create_campaign(
        params={
            "name": "Árvore",
            "objective": "OUTCOME_SALES",
            "status": "PAUSED",
            "special_ad_categories": [],
        }
    )
    adset = account.create_ad_set(
        params={
            "name": "Conjunto",
            "campaign_id": campaign["id"],
            "daily_budget": 3000,
            "billing_event": "IMPRESSIONS",
            "optimization_goal": "OFFSITE_CONVERSIONS",
            "targeting": {"geo_locations": {"countries": ["BR"]}, "age_min": 25},
            "status": "PAUSED",
        }
    )
    creative = account.create_ad_creative(
        params={
            "name": "Criativo",
            "object_story_spec": {
                "page_id": "104000000000001",
                "link_data": {
                    "link": "https://loja.example.com.br",
                    "message": "Frete grátis",
                    "name": "Oferta",
                    "call_to_action": {"type": "SHOP_NOW"},
                },
            },
        }
    )
    ad = account.create_ad(
        params={
            "name": "Anúncio",
            "adset_id": adset["id"],
            "creative": {"creative_id": creative["id"]},
            "status": "PAUSED",
        }
    )
    read = Ad(ad["id"], api=graph_api).api_get(
        fields=["adset_id", "campaign_id", "creative", "effective_status"]
    )
    assert read["adset_id"] == adset["id"] and read["campaign_id"] == campaign["id"]
    assert read["creative"].export_all_data() == {"id": creative["id"]}
    assert read["effective_status"] == "CAMPAIGN_PAUSED"
    fetched = [
        c
        for c in account.get_ad_creatives(
            fields=["title", "body", "link_url", "call_to_action_type"]
        )
        if c["id"] == creative["id"]
    ]
    assert fetched[0]["title"] == "Oferta" and fetched[0]["call_to_action_type"] == "SHOP_NOW"
    assert fetched[0]["link_url"] == "https://loja.example.com.br"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"objective": "OUTCOME_SALES", "special_ad_categories": []}, "name"),
        ({"name": "x", "special_ad_categories": []}, "objective"),
        ({"name": "x", "objective": "OUTCOME_SALES"}, "special_ad_categories"),
    ],
)
def test_missing_required_params_are_graph_code_100(graph_api, params, expected):
    with pytest.raises(FacebookRequestError) as excinfo:
        _demo(graph_api).create_campaign(params=params)
    error = _error(excinfo)
    assert excinfo.value.http_status() == 400
    assert error["code"] == 100 and error["type"] == "OAuthException"
    assert error["message"] == f"(#100) The parameter {expected} is required"
    assert error["fbtrace_id"] and error["is_transient"] is False


def test_invalid_objective_and_adset_budget_on_a_cbo_campaign(sandbox, graph_api):
    with pytest.raises(FacebookRequestError) as excinfo:
        _demo(graph_api).create_campaign(
            params={"name": "x", "objective": "CONVERSIONS", "special_ad_categories": []}
        )
    assert _error(excinfo)["code"] == 100
    cbo = _campaign_id(sandbox, "Advantage+ Shopping - Sempre Ativo")
    with pytest.raises(FacebookRequestError) as excinfo:
        _demo(graph_api).create_ad_set(
            params={
                "name": "x",
                "campaign_id": cbo,
                "daily_budget": 1000,
                "billing_event": "IMPRESSIONS",
                "targeting": {"geo_locations": {"countries": ["BR"]}},
            }
        )
    assert (_error(excinfo)["code"], _error(excinfo)["error_subcode"]) == (100, 1885621)


def test_delete_hides_from_edges_but_stays_readable(sandbox, graph_api):
    campaign_id = _campaign_id(sandbox, "Tráfego - Blog de Estilo")
    Campaign(campaign_id, api=graph_api).api_delete()
    names = [c["name"] for c in _demo(graph_api).get_campaigns(fields=["name"])]
    assert "Tráfego - Blog de Estilo" not in names
    assert Campaign(campaign_id, api=graph_api).api_get(fields=["status"])["status"] == "DELETED"
    deleted = _demo(graph_api).get_campaigns(
        fields=["name"], params={"effective_status": ["DELETED"]}
    )
    assert [c["name"] for c in deleted] == ["Tráfego - Blog de Estilo"]


# --- insights ------------------------------------------------------------------------------


def _insights(graph_api, node=None, **params):
    node = node or _demo(graph_api)
    fields = params.pop(
        "fields",
        [
            "campaign_id",
            "campaign_name",
            "spend",
            "impressions",
            "clicks",
            "actions",
            "action_values",
        ],
    )
    return [dict(row) for row in node.get_insights(fields=fields, params=params)]


def test_daily_insights_sum_exactly_to_the_period(sandbox, graph_api):
    today = sandbox.state.today(DEMO_ACCOUNT_ID)
    window = {"since": str(today - timedelta(days=7)), "until": str(today - timedelta(days=1))}
    daily = _insights(graph_api, level="campaign", time_range=window, time_increment=1, limit=100)
    total = _insights(graph_api, level="campaign", time_range=window)
    assert all(r["date_start"] == r["date_stop"] for r in daily)
    assert {r["date_start"] for r in daily} == {str(today - timedelta(days=d)) for d in range(1, 8)}
    for row in total:
        assert (row["date_start"], row["date_stop"]) == (window["since"], window["until"])
        days = [r for r in daily if r["campaign_id"] == row["campaign_id"]]
        assert sum(Decimal(r["spend"]) for r in days) == Decimal(row["spend"])  # to the centavo
        assert sum(int(r["impressions"]) for r in days) == int(row["impressions"])
    account_row = _insights(graph_api, level="account", time_range=window, fields=["spend"])[0]
    assert Decimal(account_row["spend"]) == sum(Decimal(r["spend"]) for r in total)
    assert (
        Decimal(account_row["spend"]) * 100
        == sandbox.state.totals(
            DEMO_ACCOUNT_ID, today - timedelta(days=7), today - timedelta(days=1)
        ).spend
    )


def test_insights_numbers_are_strings_with_purchase_aliases(graph_api):
    rows = _insights(
        graph_api,
        level="campaign",
        date_preset="last_7d",
        fields=[
            "campaign_name",
            "spend",
            "impressions",
            "ctr",
            "actions",
            "action_values",
            "purchase_roas",
        ],
    )
    winner = next(r for r in rows if r["campaign_name"] == "Remarketing 7d - Carrinho Abandonado")
    assert isinstance(winner["spend"], str) and isinstance(winner["impressions"], str)
    assert Decimal(winner["spend"]) == Decimal(winner["spend"]).quantize(Decimal("0.01"))
    actions = {a["action_type"]: a["value"] for a in winner["actions"]}
    purchases = {actions[k] for k in PURCHASE}
    assert len(purchases) == 1 and int(purchases.pop()) > 0  # seven aliases, one number
    values = {a["action_type"]: a["value"] for a in winner["action_values"]}
    assert {values[k] for k in PURCHASE} == {values["omni_purchase"]}
    roas = Decimal(winner["purchase_roas"][0]["value"])
    assert roas == pytest.approx(
        Decimal(values["omni_purchase"]) / Decimal(winner["spend"]), rel=Decimal("1e-5")
    )
    assert Decimal(winner["ctr"]) > 1


def test_breakdown_rows_add_up_to_the_unbroken_row(sandbox, graph_api):
    campaign = Campaign(_campaign_id(sandbox, "Catálogo Dinâmico - DPA Advantage+"), api=graph_api)
    fields = ["spend", "impressions", "clicks"]
    whole = _insights(graph_api, campaign, date_preset="last_14d", fields=fields)[0]
    for breakdowns, keys in (
        (["age", "gender"], {"age", "gender"}),
        (["publisher_platform"], {"publisher_platform"}),
    ):
        parts = _insights(
            graph_api,
            campaign,
            date_preset="last_14d",
            fields=fields,
            breakdowns=breakdowns,
            limit=500,
        )
        assert len(parts) > 1 and all(keys <= r.keys() for r in parts)
        assert sum(Decimal(r["spend"]) for r in parts) == Decimal(whole["spend"])
        assert sum(int(r["impressions"]) for r in parts) == int(whole["impressions"])
        assert sum(int(r["clicks"]) for r in parts) == int(whole["clicks"])
    with pytest.raises(FacebookRequestError) as excinfo:
        _insights(graph_api, campaign, breakdowns=["age", "publisher_platform"])
    assert _error(excinfo)["code"] == 100


def test_insights_reject_bad_fields_and_ranges(graph_api):
    with pytest.raises(FacebookRequestError) as excinfo:
        _insights(graph_api, fields=["spend", "not_a_metric"])
    assert "not_a_metric is not valid for fields param" in _error(excinfo)["message"]
    with pytest.raises(FacebookRequestError) as excinfo:
        _insights(graph_api, time_range={"since": "2026-11-10", "until": "2026-11-01"})
    assert _error(excinfo)["code"] == 100


def test_async_insights_job_matches_the_sync_answer(sandbox, graph_api):
    params = {"level": "ad", "date_preset": "last_30d", "time_increment": 1, "limit": 5000}
    fields = ["ad_id", "spend", "impressions", "actions"]
    job = _demo(graph_api).get_insights(fields=fields, params=dict(params), is_async=True)
    status = job.api_get()
    assert status["async_status"] == "Job Completed" and status["async_percent_completion"] == 100
    rows = [dict(r) for r in job.get_result(params={"limit": 100})]
    assert len(rows) > 100  # followed several pages
    assert rows == _insights(graph_api, fields=fields, **params)
    assert sandbox.stats.by_route["GET /{report_run}/insights"] > 1


# --- batch -------------------------------------------------------------------------------------


def test_batch_of_reads_and_writes(sandbox, graph_api):
    ids = [c.id for c in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID)[:3]]
    results: dict[str, dict] = {}
    batch = graph_api.new_batch()
    for campaign_id in ids:
        Campaign(campaign_id, api=graph_api).api_get(
            fields=["name", "status"],
            batch=batch,
            success=lambda r, i=campaign_id: results.__setitem__(i, r.json()),
        )
    Campaign(ids[0], api=graph_api).api_update(params={"name": "Renomeada em lote"}, batch=batch)
    assert batch.execute() is None
    assert set(results) == set(ids) and all(r["id"] in ids for r in results.values())
    assert sandbox.state.campaign(ids[0]).name == "Renomeada em lote"
    assert sandbox.stats.by_path["/"] == 1 and sandbox.stats.batch_items == 4


def test_batch_over_fifty_items_is_rejected(sandbox, graph_api):
    batch = graph_api.new_batch()
    for _ in range(51):
        _demo(graph_api).api_get(fields=["name"], batch=batch)
    with pytest.raises(FacebookRequestError) as excinfo:
        batch.execute()
    assert (
        _error(excinfo)["code"] == 100 and "Maximum batch size is 50" in _error(excinfo)["message"]
    )


# --- faults and errors ---------------------------------------------------------------------------


def test_server_error_is_a_transient_500_envelope(sandbox, graph_api):
    sandbox.inject_fault("server_error", count=2, path_contains="/campaigns")
    for _ in range(2):
        with pytest.raises(FacebookRequestError) as excinfo:
            list(_demo(graph_api).get_campaigns(fields=["name"]))
        assert excinfo.value.http_status() == 500
        assert _error(excinfo)["code"] == 2 and _error(excinfo)["is_transient"] is True
    assert list(_demo(graph_api).get_campaigns(fields=["name"]))  # the fault is used up
    _demo(graph_api).api_get(fields=["name"])  # other paths were never affected


def test_throttle_uses_ads_codes_and_regain_time(sandbox, graph_api):
    sandbox.inject_fault("throttle", path_contains="/campaigns", regain_after_minutes=7)
    with pytest.raises(FacebookRequestError) as excinfo:
        list(_demo(graph_api).get_campaigns(fields=["name"]))
    error = _error(excinfo)
    assert (error["code"], error["error_subcode"], error["is_transient"]) == (17, 2446079, True)
    usage = json.loads(excinfo.value.http_headers()["X-Business-Use-Case-Usage"])
    entry = usage["1000000001"][0]
    assert entry["type"] == "ads_management" and entry["call_count"] >= 100
    assert entry["estimated_time_to_regain_access"] == 7
    sandbox.inject_fault("throttle", path_contains="insights")
    with pytest.raises(FacebookRequestError) as excinfo:
        _insights(graph_api)
    assert _error(excinfo)["code"] == 80004


def test_expired_token_and_missing_token(sandbox, graph_api, make_api):
    sandbox.inject_fault("expired_token")
    with pytest.raises(FacebookRequestError) as excinfo:
        _demo(graph_api).api_get(fields=["name"])
    assert (_error(excinfo)["code"], _error(excinfo)["error_subcode"]) == (190, 463)
    _demo(graph_api).api_get(fields=["name"])  # count=1: next call works
    sandbox.inject_fault("expired_token", token="revoked")
    with pytest.raises(FacebookRequestError) as excinfo:
        AdAccount(DEMO_ACCOUNT_ID, api=make_api(sandbox, "revoked")).api_get(fields=["name"])
    assert _error(excinfo)["code"] == 190
    _demo(graph_api).api_get(fields=["name"])  # other tokens unaffected
    with pytest.raises(FacebookRequestError) as excinfo:
        AdAccount(DEMO_ACCOUNT_ID, api=make_api(sandbox, None)).api_get(fields=["name"])
    assert _error(excinfo)["code"] == 104


def test_batch_item_error_fails_only_that_item(sandbox, graph_api):
    sandbox.inject_fault("batch_item_error", code=613)
    outcomes: list[tuple[str, int | None]] = []
    batch = graph_api.new_batch()
    for campaign in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID)[:3]:
        Campaign(campaign.id, api=graph_api).api_get(
            fields=["name"],
            batch=batch,
            success=lambda r: outcomes.append(("ok", None)),
            failure=lambda r: outcomes.append(("failed", r.error().api_error_code())),
        )
    batch.execute()
    assert outcomes == [("failed", 613), ("ok", None), ("ok", None)]


def test_slow_fault_delays_the_answer(sandbox, graph_api):
    sandbox.inject_fault("slow", seconds=0.3)
    started = time.perf_counter()
    _demo(graph_api).api_get(fields=["name"])
    assert time.perf_counter() - started >= 0.3


def test_timeout_fault_outlasts_the_client_and_may_still_apply(sandbox, make_api):
    api = make_api(sandbox, timeout=0.3)
    campaign_id = _campaign_id(sandbox, "Promo Relâmpago - Stories")
    sandbox.inject_fault("timeout", seconds=2)
    with pytest.raises(requests.exceptions.ReadTimeout):
        Campaign(campaign_id, api=api).api_update(params={"status": "PAUSED"})
    assert sandbox.state.campaign(campaign_id).status == "ACTIVE"  # dropped
    sandbox.inject_fault("timeout", seconds=2, apply=True)
    with pytest.raises(requests.exceptions.ReadTimeout):
        Campaign(campaign_id, api=api).api_update(params={"status": "PAUSED"})
    assert sandbox.state.campaign(campaign_id).status == "PAUSED"  # applied, answer lost


@pytest.mark.parametrize(
    ("path", "code", "subcode"),
    [
        ("/v24.0/120299999999999999", 100, 33),
        ("/v24.0/act_1000000001/nonsense", 100, None),
        ("/v24.0/act_1000000001/campaigns/extra", 2500, None),
        ("/v24.0/not-an-id", 803, None),
    ],
)
def test_unknown_objects_and_paths_are_graph_errors(sandbox, path, code, subcode):
    response = httpx.get(sandbox.url + path, params={"access_token": "t"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error.get("error_subcode") == subcode
    assert {"message", "type", "fbtrace_id", "is_transient"} <= error.keys()


def test_protocol_level_errors_are_envelopes_too(sandbox):
    put = httpx.put(f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}", params={"access_token": "t"})
    assert put.status_code == 400 and put.json()["error"]["code"] == 100
    with socket.create_connection(("127.0.0.1", sandbox.port)) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(65536), b"")).decode()  # until it closes
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.") and "application/json" in head
    assert json.loads(body)["error"]["fbtrace_id"]


def test_a_restricted_token_sees_only_its_accounts(sandbox, make_api):
    sandbox.restrict_token("tenant-b", [SECOND_ACCOUNT_ID])
    api = make_api(sandbox, "tenant-b")
    assert [a["id"] for a in User("me", api=api).get_ad_accounts()] == [SECOND_ACCOUNT_ID]
    with pytest.raises(FacebookRequestError) as excinfo:
        AdAccount(DEMO_ACCOUNT_ID, api=api).api_get(fields=["name"])
    assert (_error(excinfo)["code"], _error(excinfo)["error_subcode"]) == (100, 33)


def test_deleted_creatives_leave_the_edge(sandbox, graph_api):
    creative_id = sandbox.state.creatives_of(DEMO_ACCOUNT_ID)[0].id
    before = {c["id"] for c in _demo(graph_api).get_ad_creatives(fields=["name"])}
    assert httpx.delete(
        f"{sandbox.url}/v24.0/{creative_id}", params={"access_token": "t"}
    ).json() == {"success": True}
    after = {c["id"] for c in _demo(graph_api).get_ad_creatives(fields=["name"])}
    assert before - after == {creative_id}


def test_nonexisting_field_error(graph_api):
    with pytest.raises(FacebookRequestError) as excinfo:
        _demo(graph_api).get_campaigns(fields=["name", "bogus_field"])
    assert (
        _error(excinfo)["message"]
        == "(#100) Tried accessing nonexisting field (bogus_field) on node type (Campaign)"
    )


# --- usage headers ---------------------------------------------------------------------------------


def test_usage_headers_grow_with_load_and_enforce_the_limit(sandbox):
    sandbox.app.usage.limits.ads_management = 10
    url = f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}"
    counts = []
    for _ in range(10):
        response = httpx.get(url, params={"access_token": "t", "fields": "name"})
        assert response.status_code == 200
        usage = json.loads(response.headers["X-Business-Use-Case-Usage"])["1000000001"][0]
        counts.append(usage["call_count"])
        assert "acc_id_util_pct" in json.loads(response.headers["X-Ad-Account-Usage"])
        assert "call_count" in json.loads(response.headers["X-App-Usage"])
    assert counts == sorted(counts) and counts[-1] == 100
    blocked = httpx.get(url, params={"access_token": "t"})
    assert blocked.status_code == 400 and blocked.json()["error"]["code"] == 17
    usage = json.loads(blocked.headers["X-Business-Use-Case-Usage"])["1000000001"][0]
    assert usage["estimated_time_to_regain_access"] >= 1


# --- admin endpoints -------------------------------------------------------------------------------


def test_admin_clock_faults_stats_and_reset_over_http(sandbox):
    admin = f"{sandbox.url}/_sandbox"
    before = httpx.get(f"{admin}/clock").json()["now"]
    after = httpx.post(f"{admin}/clock", json={"advance_hours": 5}).json()["now"]
    assert sandbox.now().isoformat() == after != before
    assert httpx.post(f"{admin}/clock", json={"set": before}).status_code == 400  # no going back
    fault = httpx.post(f"{admin}/faults", json={"kind": "server_error", "count": 3}).json()
    assert fault["pending"] == 1
    assert httpx.get(f"{sandbox.url}/v24.0/me", params={"access_token": "t"}).status_code == 500
    assert httpx.delete(f"{admin}/faults").json() == {"success": True}
    assert httpx.get(f"{sandbox.url}/v24.0/me", params={"access_token": "t"}).json()["id"]
    assert httpx.get(f"{admin}/stats").json()["by_route"]["GET /me"] == 2
    assert httpx.post(f"{admin}/reset").json()["now"] == before
    assert httpx.get(f"{admin}/stats").json()["requests"] == 0


def test_async_job_can_be_made_to_run_for_a_few_polls(sandbox, graph_api):
    httpx.post(f"{sandbox.url}/_sandbox/config", json={"async_polls": 2})
    job = _demo(graph_api).get_insights(
        fields=["spend"], params={"date_preset": "last_7d"}, is_async=True
    )
    with pytest.raises(FacebookRequestError):
        list(job.get_result())  # not ready yet
    statuses = [
        job.api_get(fields=["async_status", "async_percent_completion"])["async_status"]
        for _ in range(3)
    ]
    assert statuses == ["Job Running", "Job Running", "Job Completed"]
    assert Decimal(next(iter(job.get_result()))["spend"]) > 0


def test_time_ranges_sort_metric_filters_and_summary(sandbox, graph_api):
    today = sandbox.state.today(DEMO_ACCOUNT_ID)
    ranges = [
        {"since": str(today - timedelta(days=14)), "until": str(today - timedelta(days=8))},
        {"since": str(today - timedelta(days=7)), "until": str(today - timedelta(days=1))},
    ]
    rows = _insights(graph_api, level="account", time_ranges=ranges, fields=["spend"])
    assert [(r["date_start"], r["date_stop"]) for r in rows] == [
        (x["since"], x["until"]) for x in ranges
    ]
    ranked = _insights(
        graph_api,
        level="campaign",
        date_preset="last_7d",
        fields=["campaign_name", "spend"],
        sort=["spend_descending"],
    )
    spends = [Decimal(r["spend"]) for r in ranked]
    assert spends == sorted(spends, reverse=True) and len(spends) > 3
    big = _insights(
        graph_api,
        level="campaign",
        date_preset="last_7d",
        fields=["spend"],
        filtering=[{"field": "spend", "operator": "GREATER_THAN", "value": 1500}],
    )
    assert big and all(Decimal(r["spend"]) > 1500 for r in big) and len(big) < len(ranked)
    body = httpx.get(
        f"{sandbox.url}/v24.0/{DEMO_ACCOUNT_ID}/insights",
        params={
            "access_token": "t",
            "level": "campaign",
            "date_preset": "last_7d",
            "fields": "spend",
            "default_summary": "true",
        },
    ).json()
    assert Decimal(body["summary"]["spend"]) == sum(Decimal(r["spend"]) for r in body["data"])


def test_new_ads_can_sit_in_review(sandbox, graph_api):
    sandbox.state.config.ad_review_minutes = 60
    adset = sandbox.state.adsets_of(_campaign_id(sandbox, "Teste Criativos UGC - Abril"))[0]
    creative = sandbox.state.creatives_of(DEMO_ACCOUNT_ID)[0]
    ad = _demo(graph_api).create_ad(
        params={
            "name": "Novo",
            "adset_id": adset.id,
            "creative": {"creative_id": creative.id},
            "status": "ACTIVE",
        }
    )
    assert (
        Ad(ad["id"], api=graph_api).api_get(fields=["effective_status"])["effective_status"]
        == "PENDING_REVIEW"
    )
    sandbox.advance_clock(minutes=61)
    assert (
        Ad(ad["id"], api=graph_api).api_get(fields=["effective_status"])["effective_status"]
        == "ACTIVE"
    )


def test_admin_creates_accounts_and_tunes_limits(sandbox):
    created = httpx.post(f"{sandbox.url}/_sandbox/accounts", json={"count": 3}).json()["accounts"]
    assert len(created) == 3 and all(a.startswith("act_") for a in created)
    listed = httpx.get(
        f"{sandbox.url}/v24.0/me/adaccounts", params={"access_token": "t", "limit": 10}
    ).json()
    assert {a["id"] for a in listed["data"]} >= set(created)
    config = httpx.post(
        f"{sandbox.url}/_sandbox/config", json={"limits": {"ads_management": 5}}
    ).json()
    assert config["limits"]["ads_management"] == 5
    bad = httpx.post(f"{sandbox.url}/_sandbox/faults", json={"kind": "meteor"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100


def test_a_slow_fault_stacks_with_a_failure_on_the_same_request(sandbox, graph_api):
    sandbox.inject_fault("slow", seconds=0.3, path_contains="/insights")
    sandbox.inject_fault("server_error", count=2, path_contains="/insights")
    started = time.perf_counter()
    with pytest.raises(FacebookRequestError) as excinfo:
        _insights(graph_api)
    assert time.perf_counter() - started >= 0.3 and _error(excinfo)["code"] == 2
    with pytest.raises(FacebookRequestError):
        _insights(graph_api)  # second use of the error, no delay left
    assert _insights(graph_api, fields=["spend"])


def test_marketing_api_calls_never_fill_the_apps_graph_limits() -> None:
    """Meta keeps the Marketing API out of the app's Graph rate limits: a fan-out over
    many ad accounts never shows the app near its limit (nor pauses a paced client)."""
    from ads.sandbox.usage import ADS_INSIGHTS, UsageTracker

    tracker = UsageTracker(clock=lambda: 100.0)
    for index in range(1000):  # one report's batch for each of 1,000 accounts in a minute
        tracker.record(f"act_{index}", ADS_INSIGHTS, 0.2)
    app = json.loads(tracker.headers("act_1", ADS_INSIGHTS)["X-App-Usage"])
    assert app == {"call_count": 0, "total_cputime": 0, "total_time": 0}
    tracker.record(None, "graph", 30.0)  # a call outside the Marketing API still counts
    assert json.loads(tracker.headers(None, "graph")["X-App-Usage"])["total_time"] == 100
