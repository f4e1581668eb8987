"""Conversions and revenue from Meta's ``actions`` / ``action_values``, never double counted.

Meta reports one real event under several action types at once: a website
purchase shows up as ``purchase``, ``omni_purchase`` *and*
``offsite_conversion.fb_pixel_purchase`` with the same number. Summing them
triples the count, so for each event we take exactly ONE action type: the
first one present in a preference order that starts with Meta's own
deduplicated cross-channel totals (``omni_*`` / the bare event name) and falls
back to channel-specific types only when no total is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

#: Preference order per event: the first action type present is the count.
EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "purchase": (
        "omni_purchase",
        "purchase",
        "offsite_conversion.fb_pixel_purchase",
        "onsite_web_purchase",
        "onsite_web_app_purchase",
        "web_in_store_purchase",
        "app_custom_event.fb_mobile_purchase",
        "onsite_conversion.purchase",
        "offline_conversion.purchase",
    ),
    "lead": (
        "lead",
        "onsite_conversion.lead_grouped",
        "leadgen_grouped",
        "offsite_conversion.fb_pixel_lead",
        "onsite_conversion.lead",
        "onsite_web_lead",
        "offline_conversion.lead",
    ),
    "complete_registration": (
        "omni_complete_registration",
        "complete_registration",
        "offsite_conversion.fb_pixel_complete_registration",
        "app_custom_event.fb_mobile_complete_registration",
    ),
    "app_install": (
        "omni_app_install",
        "mobile_app_install",
        "app_install",
    ),
    "landing_page_view": ("omni_landing_page_view", "landing_page_view"),
    "link_click": ("link_click",),
    "post_engagement": ("post_engagement", "page_engagement"),
    "messaging_conversation": (
        "onsite_conversion.messaging_conversation_started_7d",
        "onsite_conversion.total_messaging_connection",
    ),
}

#: The event that counts as "a conversion" for each campaign objective (ODAX and legacy names).
OBJECTIVE_EVENT: dict[str, str] = {
    "OUTCOME_SALES": "purchase",
    "CONVERSIONS": "purchase",
    "PRODUCT_CATALOG_SALES": "purchase",
    "OUTCOME_LEADS": "lead",
    "LEAD_GENERATION": "lead",
    "OUTCOME_APP_PROMOTION": "app_install",
    "APP_INSTALLS": "app_install",
    "OUTCOME_TRAFFIC": "link_click",
    "LINK_CLICKS": "link_click",
    "OUTCOME_ENGAGEMENT": "post_engagement",
    "POST_ENGAGEMENT": "post_engagement",
    "MESSAGES": "messaging_conversation",
}

#: With no objective (account-level rows): purchases if any were reported, else leads.
DEFAULT_EVENTS: tuple[str, ...] = ("purchase", "lead")


def _value(item: Mapping[str, Any]) -> Decimal:
    try:
        return Decimal(str(item.get("value", "0")))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _by_type(
    actions: Iterable[Mapping[str, Any]] | None, only: Sequence[str] | None = None
) -> dict[str, Decimal]:
    """Totals per action type; ``only``: of those types alone (a Meta row lists dozens of
    types, and a report's sync parses thousands of rows: each value is a Decimal to make)."""
    totals: dict[str, Decimal] = {}
    for item in actions or ():
        kind = item.get("action_type")
        if not kind or (only is not None and str(kind) not in only):
            continue
        totals[str(kind)] = totals.get(str(kind), Decimal(0)) + _value(item)
    return totals


def canonical_action_type(event: str, actions: Iterable[Mapping[str, Any]] | None) -> str | None:
    """The one action type that stands for ``event`` in this payload (None when absent)."""
    present = _by_type(actions)
    for kind in EVENT_ALIASES.get(event, (event,)):
        if kind in present:
            return kind
    return None


def event_total(event: str, actions: Iterable[Mapping[str, Any]] | None) -> Decimal:
    """The count (or value, for ``action_values``) of one event, aliases counted once."""
    kinds = EVENT_ALIASES.get(event, (event,))
    present = _by_type(actions, kinds)
    for kind in kinds:
        if kind in present:
            return present[kind]
    return Decimal(0)


def events_for(objective: str | None) -> Sequence[str]:
    """Which events count as conversions for a campaign objective."""
    if objective and objective.upper() in OBJECTIVE_EVENT:
        return (OBJECTIVE_EVENT[objective.upper()],)
    return DEFAULT_EVENTS


def count_conversions(
    actions: Iterable[Mapping[str, Any]] | None, objective: str | None = None
) -> Decimal:
    """Conversions for the objective; unknown objective: purchases, else leads."""
    materialized = list(actions or ())
    for event in events_for(objective):
        total = event_total(event, materialized)
        if total:
            return total
    return Decimal(0)


def purchase_value(action_values: Iterable[Mapping[str, Any]] | None) -> Decimal:
    """Purchase revenue in the account currency's major units (as Meta reports it)."""
    return event_total("purchase", action_values)
