"""Why a proposal needs approval or is denied: a message key, its parameters and the figures
behind it, stored with the proposal (JSON) and rendered in each reader's language.

The rules (:mod:`supervisor.policy`) produce these; cards, decisions and agent tool
results show them. Money figures are Decimal minor units of the workspace currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

import supervisor.messages  # noqa: F401  (registers the words warnings render with)
from vocabulary.i18n import Locale

Unit = Literal["money", "percent", "change", "count", "text", "datetime"]


@dataclass(frozen=True)
class Figure:
    """A number a rule looked at, with how to show it (money in minor units, percent in %)."""

    name: str
    value: Decimal | int | str | datetime | None
    unit: Unit = "text"

    def format(self, locale: Locale, currency: str) -> str:
        value = self.value
        if value is None:
            return "—"
        if self.unit == "money":
            return locale.money(Decimal(str(value)), currency)
        if self.unit == "percent":
            return locale.percent(Decimal(str(value)))
        if self.unit == "change":
            return locale.change(Decimal(str(value))) or "—"
        if self.unit == "count":
            return locale.number(int(Decimal(str(value))))
        if self.unit == "datetime":
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            return locale.datetime(moment)
        return str(value)

    def to_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        return {"name": self.name, "value": value, "unit": self.unit}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figure:
        unit = data.get("unit", "text")
        value = data.get("value")
        if value is not None and unit in ("money", "percent", "change"):
            value = Decimal(str(value))
        return cls(str(data["name"]), value, unit)


@dataclass(frozen=True)
class PolicyWarning:
    """One reason a proposal needs approval (or is denied): a message key, its parameters
    and the figures behind it. ``severity`` is ``approval``, ``deny`` or ``info``."""

    key: str
    figures: tuple[Figure, ...] = ()
    severity: Literal["approval", "deny", "info"] = "approval"
    params: Mapping[str, str] = field(default_factory=dict)  # plain text params (names, kinds)

    def render(self, locale: Locale, currency: str) -> str:
        values: dict[str, str] = dict(self.params)
        if "status" in values:  # a platform status, shown in the reader's words
            values["status"] = locale.t(f"status.{values['status'].lower()}")
        values.update({f.name: f.format(locale, currency) for f in self.figures})
        return locale.t(self.key, **values)

    def figure(self, name: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "severity": self.severity,
            "params": dict(self.params),
            "figures": [f.to_json() for f in self.figures],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PolicyWarning:
        return cls(
            key=str(data["key"]),
            figures=tuple(Figure.from_json(f) for f in data.get("figures") or ()),
            severity=data.get("severity", "approval"),
            params=dict(data.get("params") or {}),
        )
