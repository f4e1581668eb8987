"""One set of money helpers: exact conversion for platform figures, rounding for typed amounts."""

from __future__ import annotations

from decimal import Decimal

from storage.money import major_to_minor, major_to_whole_minor, minor_to_major


def test_exact_conversion_keeps_sub_minor_precision_so_sums_do_not_drift() -> None:
    rows = ["0.123", "0.123", "0.124"]  # three rows of Graph spend, in BRL
    exact = sum(major_to_minor(Decimal(r), "BRL") for r in rows)
    assert exact == Decimal("37")  # 0.37 BRL, where rounding each row would say 36
    assert sum(major_to_whole_minor(Decimal(r), "BRL") for r in rows) == Decimal("36")
    assert major_to_minor(Decimal("0.1234"), "BRL") == Decimal("12.34")


def test_whole_results_print_without_an_exponent() -> None:
    assert str(major_to_minor(Decimal("1234.56"), "BRL")) == "123456"
    assert str(major_to_minor(Decimal("0.5"), "KWD")) == "500"  # three minor digits
    assert str(major_to_whole_minor(Decimal("0.5"), "KWD")) == "500"


def test_rounding_is_half_to_even_in_whole_minor_units() -> None:
    assert major_to_whole_minor(Decimal("150.505"), "BRL") == Decimal("15050")
    assert major_to_whole_minor(Decimal("150.515"), "BRL") == Decimal("15052")
    assert major_to_whole_minor(Decimal("150.5051"), "BRL") == Decimal("15051")
    assert major_to_whole_minor(Decimal("1500.4"), "JPY") == Decimal("1500")  # no minor unit


def test_minor_to_major_undoes_either_conversion() -> None:
    for typed in (Decimal("1500.50"), Decimal("0.01"), Decimal("99999.99")):
        assert minor_to_major(major_to_whole_minor(typed, "BRL"), "BRL") == typed
        assert minor_to_major(major_to_minor(typed, "BRL"), "BRL") == typed
    assert minor_to_major(Decimal("1500"), "JPY") == Decimal("1500")
