"""Meta's budget units per currency, apart from the SDK so chat handlers can round to them.

Meta counts budgets and bids in the currency's cents for most currencies and in
whole units for a few (offset 1); the product counts in Babel's minor unit.
https://developers.facebook.com/docs/marketing-api/currencies
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

#: Currencies Meta counts in whole units (offset 1) for budgets and bids; the rest use 100.
META_WHOLE_UNIT_CURRENCIES = frozenset(
    {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"}
)


def budget_shift(currency: str) -> int:
    """Decimal places between Meta's budget unit and the currency's minor unit (Babel)."""
    meta_digits = 0 if currency.upper() in META_WHOLE_UNIT_CURRENCIES else 2
    return get_currency_precision(currency) - meta_digits


def round_to_budget_unit(minor: Decimal, currency: str) -> Decimal:
    """``minor`` rounded to the smallest budget step Meta accepts in ``currency``."""
    step = Decimal(1).scaleb(max(budget_shift(currency), 0))
    return ((Decimal(minor) / step).quantize(Decimal(1), ROUND_HALF_UP) * step).quantize(Decimal(1))
