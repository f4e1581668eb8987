from __future__ import annotations

from datetime import date
from decimal import Decimal

from storage.money import major_to_whole_minor, minor_to_major
from vocabulary.i18n import Locale

PT = Locale("pt-BR")
EN = Locale("en")


def test_money_is_formatted_by_locale_from_minor_units() -> None:
    assert PT.money(Decimal("123456"), "BRL") == "R$ 1.234,56"
    assert EN.money(Decimal("123456"), "BRL") == "R$1,234.56"
    assert EN.money(Decimal("123456"), "USD") == "$1,234.56"
    assert PT.money(Decimal("1500"), "JPY").endswith("1.500")  # no minor digits in yen


def test_conversions_between_major_and_minor_units_are_exact() -> None:
    assert major_to_whole_minor(Decimal("1500.50"), "BRL") == Decimal("150050")
    assert minor_to_major(Decimal("150050"), "BRL") == Decimal("1500.50")
    assert major_to_whole_minor(Decimal("1500"), "JPY") == Decimal("1500")


def test_numbers_percents_and_changes() -> None:
    assert PT.number(1234567) == "1.234.567"
    assert PT.percent(Decimal("2.346")) == "2,35%"
    assert EN.percent(Decimal("2.346")) == "2.35%"
    assert PT.change(Decimal("12.34")) == "+12,3%"
    assert PT.change(Decimal("-5")) == "−5,0%"
    assert PT.ratio(Decimal("3.4166")) == "3,42x"


def test_dates() -> None:
    assert PT.date(date(2026, 11, 20)) == "20/11"
    assert EN.date(date(2026, 11, 20)) == "11/20"


def test_every_message_has_both_languages() -> None:
    import vocabulary.messages  # noqa: F401
    from vocabulary.i18n import _CATALOG

    assert all({"pt-BR", "en"} <= set(entry) for entry in _CATALOG.values())
