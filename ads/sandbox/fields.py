"""Graph's ``fields`` syntax: ``id,name,creative{id,title},insights.date_preset(last_7d){spend}``.

Connectors lean on field expansion to fetch a tree in one call, so the
sandbox parses it properly: comma-separated fields, nested ``{...}``
sub-selections and ``.modifier(argument)`` chains, at any depth.

Validation uses the official SDK's generated field lists (the same names
Graph's schema exposes): an unknown name is Graph's "nonexisting field" error,
a known but unmodelled one is simply absent from the answer, as on Graph when
a value is empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ads.sandbox.errors import invalid_param


@dataclass(frozen=True)
class FieldSpec:
    name: str
    children: tuple[FieldSpec, ...] | None = None
    modifiers: tuple[tuple[str, str], ...] = ()

    def modifier_params(self) -> dict[str, str]:
        return dict(self.modifiers)


def parse_fields(raw: str | None) -> list[FieldSpec]:
    if raw is None:
        return []
    text = raw.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            names = json.loads(text)
        except ValueError as exc:
            raise invalid_param("(#100) Param fields must be a list of strings") from exc
        text = ",".join(str(n) for n in names)
    return list(_parse_list(text))


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    if depth != 0:
        raise invalid_param("(#100) Syntax error in fields: unbalanced brackets")
    return [p.strip() for p in parts if p.strip()]


def _parse_list(text: str) -> tuple[FieldSpec, ...]:
    return tuple(_parse_one(part) for part in _split_top(text))


def _parse_one(text: str) -> FieldSpec:
    index = 0
    while index < len(text) and (text[index].isalnum() or text[index] in "_"):
        index += 1
    name = text[:index]
    if not name:
        raise invalid_param(f'(#100) Syntax error "Expected field name" in fields: {text}')
    modifiers: list[tuple[str, str]] = []
    children: tuple[FieldSpec, ...] | None = None
    rest = text[index:]
    while rest:
        if rest.startswith("."):
            open_at = rest.find("(")
            if open_at < 0:
                raise invalid_param(f"(#100) Syntax error in fields modifier: {text}")
            close_at = _matching(rest, open_at)
            modifiers.append((rest[1:open_at], rest[open_at + 1 : close_at]))
            rest = rest[close_at + 1 :]
        elif rest.startswith("{"):
            close_at = _matching(rest, 0)
            children = _parse_list(rest[1:close_at])
            rest = rest[close_at + 1 :]
        else:
            raise invalid_param(f"(#100) Syntax error in fields: {text}")
    return FieldSpec(name, children, tuple(modifiers))


def _matching(text: str, open_at: int) -> int:
    pairs = {"(": ")", "{": "}", "[": "]"}
    depth = 0
    for position in range(open_at, len(text)):
        char = text[position]
        if char in pairs:
            depth += 1
        elif char in pairs.values():
            depth -= 1
            if depth == 0:
                return position
    raise invalid_param("(#100) Syntax error in fields: unbalanced brackets")


# --- validation against the SDK's schema ---------------------------------------------------

_SDK_CLASSES = {
    "AdAccount": ("facebook_business.adobjects.adaccount", "AdAccount"),
    "Campaign": ("facebook_business.adobjects.campaign", "Campaign"),
    "AdSet": ("facebook_business.adobjects.adset", "AdSet"),
    "Ad": ("facebook_business.adobjects.ad", "Ad"),
    "AdCreative": ("facebook_business.adobjects.adcreative", "AdCreative"),
    "User": ("facebook_business.adobjects.user", "User"),
    "AdReportRun": ("facebook_business.adobjects.adreportrun", "AdReportRun"),
    "AdsInsights": ("facebook_business.adobjects.adsinsights", "AdsInsights"),
}

#: Edges (and extra fields) that can be selected on a node through field expansion.
EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "AdAccount": frozenset({"campaigns", "adsets", "ads", "adcreatives", "insights"}),
    "Campaign": frozenset({"adsets", "ads", "insights"}),
    "AdSet": frozenset({"ads", "insights"}),
    "Ad": frozenset({"adcreatives", "insights"}),
    "User": frozenset({"adaccounts"}),
    "AdsInsights": frozenset(),
}


@cache
def known_fields(node_type: str) -> frozenset[str] | None:
    """Field names Graph knows for ``node_type`` (None: no schema, accept all)."""
    target = _SDK_CLASSES.get(node_type)
    if target is None:
        return None
    try:
        module = __import__(target[0], fromlist=[target[1]])
    except ImportError:  # pragma: no cover - the SDK is a dependency
        return None
    field_class = getattr(module, target[1]).Field
    names = {
        v for k, v in vars(field_class).items() if not k.startswith("_") and isinstance(v, str)
    }
    return frozenset(names) | EXTRA_FIELDS.get(node_type, frozenset())
