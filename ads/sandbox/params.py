"""Parsing Graph request parameters the way Graph does.

The SDK sends every parameter as a string: lists and maps JSON-encoded,
booleans as ``true``/``false``, ``fields`` comma-joined (but ``fields`` passed
through ``params`` arrives as a JSON list). Everything here accepts both forms
and answers malformed values with Graph's code-100 errors, naming the parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ads.sandbox.errors import invalid_param


def json_value(name: str, raw: str | None) -> Any:
    """A JSON-encoded parameter (maps, lists); non-JSON text is returned as is."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if text[0] in '[{"' or text in ("true", "false", "null") or _is_number(text):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise invalid_param(f"(#100) Param {name} must be a valid JSON value") from exc
    return text


def json_object(name: str, raw: str | None) -> dict[str, Any] | None:
    value = json_value(name, raw)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_param(f"(#100) Param {name} must be a JSON object")
    return value


def string_list(name: str, raw: str | None) -> list[str]:
    """``a,b`` or ``["a","b"]``."""
    if raw is None or not raw.strip():
        return []
    text = raw.strip()
    if text.startswith("["):
        value = json_value(name, text)
        if not isinstance(value, list):
            raise invalid_param(f"(#100) Param {name} must be an array")
        return [str(v) for v in value]
    return [part.strip() for part in text.split(",") if part.strip()]


def integer(name: str, raw: str | None, *, minimum: int | None = None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise invalid_param(f"(#100) Param {name} must be an integer") from exc
    if minimum is not None and value < minimum:
        raise invalid_param(f"(#100) Param {name} must be at least {minimum}")
    return value


def boolean(raw: str | None) -> bool:
    return str(raw).strip().lower() in ("1", "true", "yes")


def timestamp(name: str, raw: str | None) -> datetime | None:
    """ISO 8601 (with offset) or a UNIX timestamp, as Graph accepts for start/stop times."""
    if raw is None or raw == "" or raw == "0":
        return None
    text = str(raw).strip()
    if _is_number(text):
        return datetime.fromtimestamp(float(text), UTC)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # -0300 -> -03:00
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid_param(f"(#100) Param {name} must be a valid date time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(name: str, raw: Any) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise invalid_param(f"(#100) Param {name} must be a date in the form YYYY-MM-DD") from exc


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


# --- filtering ------------------------------------------------------------------------

OPERATORS = frozenset(
    {
        "EQUAL",
        "NOT_EQUAL",
        "GREATER_THAN",
        "GREATER_THAN_OR_EQUAL",
        "LESS_THAN",
        "LESS_THAN_OR_EQUAL",
        "IN_RANGE",
        "NOT_IN_RANGE",
        "CONTAIN",
        "NOT_CONTAIN",
        "IN",
        "NOT_IN",
        "ANY",
        "ALL",
        "NONE",
    }
)


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: Any

    def matches(self, actual: Any) -> bool:
        op, expected = self.operator, self.value
        if op in ("IN", "ANY"):
            return _norm(actual) in {_norm(v) for v in _as_list(expected)}
        if op in ("NOT_IN", "NONE"):
            return _norm(actual) not in {_norm(v) for v in _as_list(expected)}
        if op == "EQUAL":
            return _norm(actual) == _norm(expected)
        if op == "NOT_EQUAL":
            return _norm(actual) != _norm(expected)
        if op == "CONTAIN":
            return str(expected).lower() in str(actual or "").lower()
        if op == "NOT_CONTAIN":
            return str(expected).lower() not in str(actual or "").lower()
        number = _number(actual)
        if op in ("IN_RANGE", "NOT_IN_RANGE"):
            low, high = (_number(v) for v in _as_list(expected)[:2])
            inside = low <= number <= high
            return inside if op == "IN_RANGE" else not inside
        bound = _number(expected)
        compare: dict[str, Callable[[float, float], bool]] = {
            "GREATER_THAN": lambda a, b: a > b,
            "GREATER_THAN_OR_EQUAL": lambda a, b: a >= b,
            "LESS_THAN": lambda a, b: a < b,
            "LESS_THAN_OR_EQUAL": lambda a, b: a <= b,
        }
        return compare[op](number, bound)


def filters(raw: str | None) -> list[Filter]:
    """Graph's ``filtering=[{"field","operator","value"}]``."""
    value = json_value("filtering", raw)
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid_param("(#100) Param filtering must be an array")
    result = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or "field" not in item or "operator" not in item:
            raise invalid_param(
                f"(#100) Param filtering[{index}] must be an object with field and operator"
            )
        operator = str(item["operator"]).upper()
        if operator not in OPERATORS:
            raise invalid_param(
                f"(#100) Param filtering[{index}][operator] must be one of the following "
                "values: " + ", ".join(sorted(OPERATORS))
            )
        result.append(Filter(str(item["field"]), operator, item.get("value")))
    return result


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and value.startswith("["):
        return list(json.loads(value))
    return [value]


def _norm(value: Any) -> str:
    return str(value).upper() if isinstance(value, str) else str(value)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
