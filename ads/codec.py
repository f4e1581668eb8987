"""JSON for cached ads values: the ads.base dataclasses, Decimal, date and datetime.

Not pickle: a shared Redis must never be able to make this process run code,
so decoding only ever rebuilds the known ``ads.base`` types.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ads import base

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        base.AdAccountInfo,
        base.Campaign,
        base.AdSet,
        base.Ad,
        base.Creative,
        base.Period,
        base.InsightRow,
    )
}
_ENUMS: dict[str, type[Enum]] = {"Level": base.Level, "Status": base.Status}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: the StrEnums would pass as bare strings
        return {"$enum": type(value).__name__, "v": value.value}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):  # before date: datetime is a date
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in _TYPES:
            raise TypeError(f"cannot cache {name}")
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": name, "f": fields}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"$obj": {k: _plain(v) for k, v in value.items()}}
        return {"$map": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"cannot cache {type(value).__name__}")


def _rich(value: Any) -> Any:
    if isinstance(value, list):
        return [_rich(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$dec" in value:
        return Decimal(value["$dec"])
    if "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$enum" in value:
        return _ENUMS[value["$enum"]](value["v"])
    if "$obj" in value:
        return {k: _rich(v) for k, v in value["$obj"].items()}
    if "$map" in value:
        return {_rich(k): _rich(v) for k, v in value["$map"]}
    if "$type" in value:
        cls = _TYPES[value["$type"]]
        return cls(**{k: _rich(v) for k, v in value["f"].items()})
    raise ValueError("unknown cached value shape")


def dumps(value: Any) -> str:
    """Serialize a cacheable value (ads.base objects, lists/dicts of them, scalars)."""
    return json.dumps(_plain(value), separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Rebuild a value written by :func:`dumps`."""
    return _rich(json.loads(text))
