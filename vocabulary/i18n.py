"""Language and locale: message catalog (pt-BR first, English second) and Babel formatting.

Money arrives as ``Decimal`` minor units and is formatted for the reader
(``R$ 1.234,56`` in pt-BR, ``R$1,234.56`` in English); it is never a float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from string import Formatter
from typing import Any

from babel import Locale as BabelLocale
from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal, format_percent

from storage.money import minor_to_major

LANGUAGES = ("pt-BR", "en")
_BABEL_LOCALE = {"pt-BR": "pt_BR", "en": "en_US"}


def normalize_language(value: str | None, default: str = "pt-BR") -> str:
    if not value:
        return default
    value = value.replace("_", "-").lower()
    if value.startswith("pt"):
        return "pt-BR"
    if value.startswith("en"):
        return "en"
    return default


@dataclass(frozen=True)
class Locale:
    """Formatting for one reader: language plus the currency of the numbers shown."""

    language: str = "pt-BR"
    timezone: str = "America/Sao_Paulo"

    @property
    def babel(self) -> str:
        return _BABEL_LOCALE[self.language]

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.language, **params)

    def money(self, minor: Decimal | None, currency: str, *, compact: bool = False) -> str:
        if minor is None:
            return "—"
        major = minor_to_major(minor, currency)
        fmt = "¤#,##0" if compact and abs(major) >= 1000 else None
        text = format_currency(major, currency, format=fmt, locale=self.babel)
        return text.replace("\xa0", " ")

    def number(self, value: int | Decimal | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.babel)

    def percent(self, value: Decimal | None, digits: int = 2) -> str:
        """``value`` is already in percent (2.5 means 2,5%)."""
        if value is None:
            return "—"
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(Decimal(value) / 100, format=pattern, locale=self.babel).replace(
            "\xa0", ""
        )

    def change(self, value: Decimal | None) -> str | None:
        """A signed relative change in percent, e.g. ``+12,3%``."""
        if value is None:
            return None
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        return sign + self.percent(abs(value), digits=1)

    def ratio(self, value: Decimal | None) -> str:
        """A multiple such as ROAS: ``3,42x``."""
        if value is None:
            return "—"
        return format_decimal(value, format="#,##0.00", locale=self.babel) + "x"

    def date(self, value: date, style: str = "short") -> str:
        if style == "short":
            return format_date(value, "dd/MM" if self.language == "pt-BR" else "MM/dd", self.babel)
        return format_date(value, "medium", locale=self.babel)

    def datetime(self, value: datetime) -> str:
        return format_datetime(
            value, "short", tzinfo=get_timezone(self.timezone), locale=self.babel
        )


class _Missing(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_CATALOG: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add a module's messages: ``{key: {"pt-BR": ..., "en": ...}}``. Keys must be unique."""
    for key, entry in messages.items():
        if key in _CATALOG and _CATALOG[key] != entry:
            raise ValueError(f"message key {key!r} registered twice")
        if "en" not in entry or "pt-BR" not in entry:
            raise ValueError(f"message {key!r} needs both pt-BR and en")
        _CATALOG[key] = entry


def translate(key: str, language: str, **params: Any) -> str:
    import vocabulary.messages  # noqa: F401  (registers the core catalog)

    entry = _CATALOG.get(key)
    if entry is None:
        return key
    template = entry.get(language) or entry["en"]
    if not params:
        return template
    template = _PLURAL.sub(lambda m: _plural(m, language, params), template)
    return Formatter().vformat(template, (), _Missing(params))


#: ``{count, plural, one {# decisão} other {# decisões}}``: CLDR plural forms (Babel), # = count.
_PLURAL = re.compile(r"\{(\w+), plural,((?:\s*\w+\s*\{[^{}]*\})+)\s*\}")
_FORM = re.compile(r"(\w+)\s*\{([^{}]*)\}")


def _plural(match: re.Match[str], language: str, params: dict[str, Any]) -> str:
    value = params.get(match.group(1))
    forms: dict[str, str] = dict(_FORM.findall(match.group(2)))
    if value is None:
        return forms.get("other", "")
    form: str = BabelLocale.parse(_BABEL_LOCALE.get(language, "en_US")).plural_form(value)
    chosen = forms.get(form, forms.get("other", ""))
    return chosen.replace("#", str(value))
