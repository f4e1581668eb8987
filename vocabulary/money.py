"""Money between the units people type (R$ 150,50) and the minor units stored (15050).

Amounts are ``Decimal`` end to end; the currency's minor unit comes from Babel.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_currency_precision


def minor_to_major(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-get_currency_precision(currency))


def major_to_minor(amount: Decimal, currency: str) -> Decimal:
    """Convert a typed amount (e.g. R$ 150,50) to exact minor units."""
    digits = get_currency_precision(currency)
    return Decimal(amount).scaleb(digits).quantize(Decimal(1))
