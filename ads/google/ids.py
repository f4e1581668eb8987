"""Google Ads identifiers: customer ids and resource names.

A customer id is ten digits, shown to people as ``123-456-7890``. Objects are
named by their resource names (``customers/1234567890/campaigns/111``), so any
id the product holds says which account owns it without a lookup.
"""

from __future__ import annotations

import re

_CUSTOMER_ID = re.compile(r"^\d{3}-?\d{3}-?\d{4}$")
_RESOURCE = re.compile(r"^customers/(\d{10})(?:/([A-Za-z]+)/([\d~]+))?$")


def parse_customer_id(text: str) -> str:
    """``"123-456-7890"`` or ``"1234567890"`` → ``"1234567890"``; ValueError otherwise."""
    cleaned = text.strip().removeprefix("customers/")
    if not _CUSTOMER_ID.match(cleaned):
        raise ValueError(f"not a Google Ads customer id: {text!r} (expected 123-456-7890)")
    return cleaned.replace("-", "")


def is_customer_id(text: str) -> bool:
    try:
        parse_customer_id(text)
    except ValueError:
        return False
    return True


def format_customer_id(customer_id: str) -> str:
    """``"1234567890"`` → ``"123-456-7890"`` (how Google Ads shows it)."""
    digits = parse_customer_id(customer_id)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def customer_resource(customer_id: str) -> str:
    return f"customers/{parse_customer_id(customer_id)}"


def resource_name(customer_id: str, collection: str, object_id: str) -> str:
    return f"customers/{parse_customer_id(customer_id)}/{collection}/{object_id}"


def split_resource(name: str) -> tuple[str, str, str]:
    """``customers/1/campaigns/2`` → ``("1", "campaigns", "2")``; ValueError when malformed."""
    match = _RESOURCE.match(name)
    if not match or match.group(2) is None:
        raise ValueError(f"not a Google Ads resource name: {name!r}")
    return match.group(1), match.group(2), match.group(3)


def customer_of(name: str) -> str:
    """The customer id owning a resource name (or the id itself for a customer)."""
    match = _RESOURCE.match(name)
    if match:
        return match.group(1)
    return parse_customer_id(name)
