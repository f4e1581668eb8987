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

import functools
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


_ZERO = Decimal(0)


def _value(item: Mapping[str, Any]) -> Decimal:
    try:
        return Decimal(str(item.get("value", "0")))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _by_type(actions: Iterable[Mapping[str, Any]] | None) -> dict[str, Decimal]:
    """Totals per action type."""
    totals: dict[str, Decimal] = {}
    for item in actions or ():
        kind = item.get("action_type")
        if not kind:
            continue
        totals[str(kind)] = totals.get(str(kind), Decimal(0)) + _value(item)
    return totals


@functools.lru_cache(maxsize=256)
def _wanted(events: tuple[str, ...]) -> frozenset[str]:
    """Every action type that can stand for one of ``events`` (the aliases are constants)."""
    return frozenset(
        kind for event in events for kind in EVENT_ALIASES.get(event, (event,)) if kind
    )


def _items_by_type(
    actions: Iterable[Mapping[str, Any]] | None, wanted: frozenset[str]
) -> dict[str, list[Mapping[str, Any]]]:
    """The items of the ``wanted`` action types, in payload order, in ONE pass over a row.

    A Meta row lists a few dozen types and a report's sync reads ~130 rows: scanning the
    row once per event and making a Decimal of every alias's value was most of its parsing.
    """
    found: dict[str, list[Mapping[str, Any]]] = {}
    for item in actions or ():
        kind = item.get("action_type")
        if type(kind) is not str:
            if not kind:
                continue
            kind = str(kind)
        if kind in wanted:  # never "": an item without a type is no event's
            if kind in found:
                found[kind].append(item)
            else:
                found[kind] = [item]
    return found


def _preferred_total(event: str, found: Mapping[str, list[Mapping[str, Any]]]) -> Decimal | None:
    """The total of the first alias of ``event`` present (None: none is), its items summed."""
    for kind in EVENT_ALIASES.get(event, (event,)):
        items = found.get(kind)
        if items is not None:
            total = _ZERO  # a running sum from zero, as always: same rounding and exponent
            for item in items:
                total = total + _value(item)
            return total
    return None


def canonical_action_type(event: str, actions: Iterable[Mapping[str, Any]] | None) -> str | None:
    """The one action type that stands for ``event`` in this payload (None when absent)."""
    present = _by_type(actions)
    for kind in EVENT_ALIASES.get(event, (event,)):
        if kind in present:
            return kind
    return None


def event_total(event: str, actions: Iterable[Mapping[str, Any]] | None) -> Decimal:
    """The count (or value, for ``action_values``) of one event, aliases counted once."""
    total = _preferred_total(event, _items_by_type(actions, _wanted((event,))))
    return _ZERO if total is None else total


def events_for(objective: str | None) -> Sequence[str]:
    """Which events count as conversions for a campaign objective."""
    if objective and objective.upper() in OBJECTIVE_EVENT:
        return (OBJECTIVE_EVENT[objective.upper()],)
    return DEFAULT_EVENTS


def count_conversions(
    actions: Iterable[Mapping[str, Any]] | None, objective: str | None = None
) -> Decimal:
    """Conversions for the objective; unknown objective: purchases, else leads."""
    events = tuple(events_for(objective))
    found = _items_by_type(actions, _wanted(events))
    for event in events:
        total = _preferred_total(event, found)
        if total:
            return total
    return Decimal(0)


def purchase_value(action_values: Iterable[Mapping[str, Any]] | None) -> Decimal:
    """Purchase revenue in the account currency's major units (as Meta reports it)."""
    return event_total("purchase", action_values)
