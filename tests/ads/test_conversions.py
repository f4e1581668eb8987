"""Conversions and revenue from an aliased Meta payload: each event is counted once."""

from __future__ import annotations

from decimal import Decimal

from ads.conversions import (
    canonical_action_type,
    count_conversions,
    event_total,
    purchase_value,
)

# One day of a sales campaign as Meta reports it: 7 website purchases appear under four
# names, plus a separate app purchase total folded into omni_purchase.
ACTIONS = [
    {"action_type": "link_click", "value": "310"},
    {"action_type": "landing_page_view", "value": "250"},
    {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "7"},
    {"action_type": "purchase", "value": "9"},
    {"action_type": "omni_purchase", "value": "9"},
    {"action_type": "onsite_web_purchase", "value": "7"},
    {"action_type": "app_custom_event.fb_mobile_purchase", "value": "2"},
    {"action_type": "lead", "value": "4"},
    {"action_type": "onsite_conversion.lead_grouped", "value": "3"},
    {"action_type": "offsite_conversion.fb_pixel_lead", "value": "1"},
    {"action_type": "leadgen_grouped", "value": "3"},
]
ACTION_VALUES = [
    {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "1500.10"},
    {"action_type": "purchase", "value": "1890.35"},
    {"action_type": "omni_purchase", "value": "1890.35"},
    {"action_type": "onsite_web_purchase", "value": "1500.10"},
]


def test_sales_objective_counts_purchases_once_not_the_sum_of_aliases():
    # Summing every alias would say 34; Meta's deduplicated total is 9.
    assert count_conversions(ACTIONS, "OUTCOME_SALES") == Decimal(9)
    assert canonical_action_type("purchase", ACTIONS) == "omni_purchase"


def test_revenue_takes_one_purchase_value():
    assert purchase_value(ACTION_VALUES) == Decimal("1890.35")


def test_leads_objective_counts_leads_once():
    assert count_conversions(ACTIONS, "OUTCOME_LEADS") == Decimal(4)
    assert count_conversions(ACTIONS, "LEAD_GENERATION") == Decimal(4)


def test_fallback_to_channel_specific_type_when_no_total_is_reported():
    pixel_only = [
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "5"},
        {"action_type": "onsite_web_purchase", "value": "5"},
    ]
    assert count_conversions(pixel_only, "OUTCOME_SALES") == Decimal(5)
    on_facebook_leads = [
        {"action_type": "onsite_conversion.lead_grouped", "value": "6"},
        {"action_type": "leadgen_grouped", "value": "6"},
    ]
    assert count_conversions(on_facebook_leads, "OUTCOME_LEADS") == Decimal(6)
    assert canonical_action_type("lead", on_facebook_leads) == "onsite_conversion.lead_grouped"


def test_unknown_objective_uses_purchases_then_leads():
    assert count_conversions(ACTIONS, None) == Decimal(9)
    only_leads = [a for a in ACTIONS if "purchase" not in a["action_type"]]
    assert count_conversions(only_leads, "") == Decimal(4)


def test_other_objectives_and_empty_payloads():
    assert count_conversions(ACTIONS, "OUTCOME_TRAFFIC") == Decimal(310)
    assert count_conversions(None, "OUTCOME_SALES") == Decimal(0)
    assert count_conversions([], "OUTCOME_LEADS") == Decimal(0)
    assert purchase_value(None) == Decimal(0)
    assert event_total("purchase", [{"action_type": "purchase", "value": "oops"}]) == 0


def test_attribution_window_entries_use_the_value_field():
    actions = [{"action_type": "omni_purchase", "value": "3", "7d_click": "3", "1d_view": "1"}]
    assert count_conversions(actions, "OUTCOME_SALES") == Decimal(3)


def test_a_type_listed_twice_is_summed_and_a_zero_purchase_total_falls_back_to_leads():
    twice = [{"action_type": "purchase", "value": "2"}, {"action_type": "purchase", "value": "3"}]
    assert event_total("purchase", twice) == Decimal(5)
    zero = [
        {"action_type": "omni_purchase", "value": "0"},
        {"action_type": "purchase", "value": "4"},
        {"action_type": "lead", "value": "2"},
    ]
    assert event_total("purchase", zero) == 0  # Meta's deduplicated total wins, even at zero
    assert count_conversions(zero) == Decimal(2)
