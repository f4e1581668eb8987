"""Named periods people ask for ("ontem", "últimos 30 dias", "this month") and their dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class PeriodSpec:
    """A named period, turned into dates in the account's timezone by :func:`resolve_period`."""

    kind: str  # today | yesterday | last_n | this_month | last_month
    days: int = 0


_PERIODS: list[tuple[re.Pattern[str], PeriodSpec | None]] = [
    (re.compile(r"\b(hoje|today|hj)\b"), PeriodSpec("today")),
    (re.compile(r"\b(ontem|yesterday)\b"), PeriodSpec("yesterday")),
    (re.compile(r"\b(mes passado|last month|previous month)\b"), PeriodSpec("last_month")),
    (
        re.compile(
            r"\b(este mes|esse mes|deste mes|desse mes|neste mes|nesse mes|mes atual|this month|mtd|do mes)\b"
        ),
        PeriodSpec("this_month"),
    ),
    (re.compile(r"\b(semana|week|7d|7 d)\b"), PeriodSpec("last_n", 7)),
    (re.compile(r"\b(30d|30 d|mes|month)\b"), PeriodSpec("last_n", 30)),
]
_LAST_N = re.compile(r"\b(?:ultimos|ultimas|last|past|nos ultimos)\s+(\d{1,3})\s*(?:dias|days|d)\b")

DEFAULT_PERIOD = PeriodSpec("last_n", 7)


def parse_period(text: str) -> PeriodSpec | None:
    match = _LAST_N.search(text)
    if match:
        days = int(match.group(1))
        return PeriodSpec("last_n", max(1, min(days, 90)))
    for pattern, spec in _PERIODS:
        if pattern.search(text):
            return spec
    return None


def resolve_period(spec: PeriodSpec, today: date) -> tuple[date, date]:
    """Inclusive (since, until). "Last N days" means N complete days ending yesterday, as Meta."""
    if spec.kind == "today":
        return today, today
    if spec.kind == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if spec.kind == "this_month":
        return today.replace(day=1), today
    if spec.kind == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    until = today - timedelta(days=1)
    return until - timedelta(days=spec.days - 1), until
