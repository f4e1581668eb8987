"""Money between major units (R$ 150,50) and the minor units stored (15050 centavos).

The one set of conversions for every layer. Amounts are ``Decimal`` end to end;
the currency's minor unit comes from Babel (BRL 2 digits, JPY 0, KWD 3). Two
ways into minor units, because they answer different questions:

* :func:`major_to_minor` is exact: a platform's figure ("0.123" BRL of spend)
  keeps its sub-centavo precision, so sums over many rows do not drift;
* :func:`major_to_whole_minor` rounds to whole minor units (half to even): an
  amount a person typed or a model estimated, about to become a budget, a limit
  or a card figure.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import get_currency_precision

_WHOLE = Decimal(1)


@functools.lru_cache(maxsize=512)
def _digits(currency: str) -> int:
    """Babel's minor-unit digits, remembered: CLDR's table is static, and a report's sync
    converts a few hundred amounts (each lookup walks Babel's global data)."""
    return get_currency_precision(currency)


def minor_to_major(amount: Decimal, currency: str) -> Decimal:
    """Minor units as major units (15050 BRL -> 150.50)."""
    return Decimal(amount).scaleb(-_digits(currency))


def major_to_minor(amount: Decimal, currency: str) -> Decimal:
    """Major units as *exact* minor units: 1234.56 BRL -> 123456; 0.1234 BRL -> 12.34.

    A whole result carries no exponent (``str()`` prints "123456", not "1.23456E+5").
    """
    minor = Decimal(amount).scaleb(_digits(currency))
    return minor.quantize(_WHOLE) if minor == minor.to_integral_value() else minor


def major_to_whole_minor(amount: Decimal, currency: str) -> Decimal:
    """Major units as minor units rounded half to even: 150.505 BRL -> 15050, 1500 JPY -> 1500."""
    minor = Decimal(amount).scaleb(_digits(currency))
    return minor.quantize(_WHOLE, rounding=ROUND_HALF_EVEN)
