"""What goes out: ``Reply`` objects, channel-agnostic, already formatted for the reader's locale.

Adapters render each ``Reply`` in their own idiom (Block Kit, reply buttons,
numbered lines); ``text`` is always a complete plain-text rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vocabulary.inbound import Action

Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class KeyFigure:
    """A headline number: label, formatted value and the change against the previous period."""

    label: str
    value: str
    change: str | None = None  # formatted, e.g. "+12,3%"
    trend: Trend | None = None
    good: bool | None = None  # whether the change is good news (CPA up is bad)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes = field(repr=False)
    filename: str = "chart.png"
    alt: str = ""


ButtonStyle = Literal["primary", "danger"]


@dataclass(frozen=True)
class Button:
    label: str
    action: Action
    style: ButtonStyle | None = None
    confirm: str | None = None  # a question to confirm before a destructive action


ReplyKind = Literal["message", "report", "approval", "progress", "error", "notice"]


@dataclass(frozen=True)
class Reply:
    """What the core wants said. ``text`` is always a complete plain-text rendering."""

    text: str
    kind: ReplyKind = "message"
    title: str | None = None
    figures: tuple[KeyFigure, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()  # (heading, body) e.g. best/worst campaigns
    table: Table | None = None
    chart: Chart | None = None
    buttons: tuple[Button, ...] = ()
    context: str | None = None  # period and currency line
    key: str | None = None  # stable id for in-place updates (progress, approval cards)
    data: dict[str, Any] = field(default_factory=dict)  # structured extras for templates
