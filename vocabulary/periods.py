"""Named periods people ask for ("ontem", "últimos 30 dias", "novembro", "de 01/11 a 15/11",
"semana passada", "last month") and their dates.

:func:`parse_period` reads a period or returns None; :func:`unrecognised_period` tells
a period it could not read ("relatório trimestre passado") from text with no period at
all, so the chat asks back instead of silently answering for the last 7 days.
Dates are day/month (pt-BR and the rest of the world) or ISO ``2026-11-01``; a date or
month without a year is the latest one not in the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: Month names, pt-BR and English (accents already removed by ``normalize``).
MONTHS: dict[str, int] = {
    **{
        name: n
        for n, name in enumerate(
            [
                "janeiro",
                "fevereiro",
                "marco",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
            start=1,
        )
    },
    **{
        name: n
        for n, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
}


@dataclass(frozen=True)
class PeriodSpec:
    """A named period, turned into dates in the account's timezone by :func:`resolve_period`.

    ``kind``: today | yesterday | day_before_yesterday | last_n | this_week | last_week |
    this_month | last_month | month (``month``, ``year`` or 0 for the latest) | range
    (``dates`` = day, month, year of the start then of the end; year 0 for the latest).
    """

    kind: str
    days: int = 0
    month: int = 0
    year: int = 0
    dates: tuple[int, ...] = ()

    def words(self) -> str:
        """Words :func:`parse_period` reads back as this spec (buttons re-ask with them)."""
        if self.kind == "last_n":
            return f"ultimos {self.days} dias"
        if self.kind == "month":
            name = next(k for k, v in MONTHS.items() if v == self.month)
            return f"{name} {self.year}" if self.year else name
        if self.kind == "range":
            d1, m1, y1, d2, m2, y2 = self.dates
            first = f"{d1:02d}/{m1:02d}" + (f"/{y1}" if y1 else "")
            last = f"{d2:02d}/{m2:02d}" + (f"/{y2}" if y2 else "")
            return f"de {first} a {last}"
        return _WORDS[self.kind]


_WORDS = {
    "today": "hoje",
    "yesterday": "ontem",
    "day_before_yesterday": "anteontem",
    "this_week": "esta semana",
    "last_week": "semana passada",
    "this_month": "este mes",
    "last_month": "mes passado",
}

_PERIODS: list[tuple[re.Pattern[str], PeriodSpec]] = [
    (
        re.compile(r"\b(anteontem|antes de ontem|day before yesterday)\b"),
        PeriodSpec("day_before_yesterday"),
    ),
    (re.compile(r"\b(hoje|today|hj)\b"), PeriodSpec("today")),
    (re.compile(r"\b(ontem|yesterday)\b"), PeriodSpec("yesterday")),
    (re.compile(r"\b(mes passado|last month|previous month)\b"), PeriodSpec("last_month")),
    (
        re.compile(
            r"\b(este mes|esse mes|deste mes|desse mes|neste mes|nesse mes|mes atual|this month|mtd|do mes)\b"
        ),
        PeriodSpec("this_month"),
    ),
    (
        re.compile(r"\b(semana passada|ultima semana|semana anterior|last week|previous week)\b"),
        PeriodSpec("last_week"),
    ),
    (
        re.compile(
            r"\b(esta semana|essa semana|nesta semana|nessa semana|desta semana|dessa semana|this week|wtd)\b"
        ),
        PeriodSpec("this_week"),
    ),
    (re.compile(r"\b(semana|week|7d|7 d)\b"), PeriodSpec("last_n", 7)),
    (re.compile(r"\b(30d|30 d|mes|month)\b"), PeriodSpec("last_n", 30)),
]
_LAST_N = re.compile(r"\b(?:ultimos|ultimas|last|past|nos ultimos)\s+(\d{1,3})\s*(?:dias|days|d)\b")
_MONTH = re.compile(rf"\b(?P<name>{'|'.join(MONTHS)})(?:\s+(?:de\s+|of\s+)?(?P<year>20\d\d))?\b")
_DATE = r"(?:(?P<{0}iso>20\d\d-\d\d-\d\d)|(?P<{0}d>\d{{1,2}})/(?P<{0}m>\d{{1,2}})(?:/(?P<{0}y>\d{{2,4}}))?)"
_RANGE = re.compile(
    r"\b(?:de |do dia |desde |from |between |entre )?"
    + _DATE.format("a")
    + r"\s*(?:a|ate|-|–|to|and|e|until|through)\s*"
    + _DATE.format("b")
)

DEFAULT_PERIOD = PeriodSpec("last_n", 7)

#: Words that say a period was meant, though none was read ("trimestre passado", "32/13").
_PERIODISH = re.compile(
    r"\b(semana|semanas|week|weeks|mes|meses|month|months|ano|year|"
    r"trimestre|quarter|semestre|passad[oa]s?|anterior|retrasad[oa]|previous|desde|since|"
    r"ate|until|between|entre)\b|\d{1,4}[/-]\d{1,2}|\b\d+\s*(?:d|dias|days)\b"
)


def parse_period(text: str) -> PeriodSpec | None:
    """The period in normalized ``text``, or None when there is none it can read."""
    match = _RANGE.search(text)
    if match:
        spec = _range(match)
        if spec is not None:
            return spec
        return None
    match = _LAST_N.search(text)
    if match:
        days = int(match.group(1))
        return PeriodSpec("last_n", max(1, min(days, 90)))
    match = _MONTH.search(text)
    if match and not _is_may_the_verb(text, match.group("name")):
        year = int(match.group("year")) if match.group("year") else 0
        return PeriodSpec("month", month=MONTHS[match.group("name")], year=year)
    for pattern, spec in _PERIODS:
        if pattern.search(text):
            return spec
    return None


def unrecognised_period(text: str) -> bool:
    """``text`` speaks of a period (words, dates) that :func:`parse_period` could not read."""
    return parse_period(text) is None and bool(_PERIODISH.search(text))


def without_period(text: str) -> str:
    """``text`` with the period words this module reads taken out ("ugc outubro" → "ugc"),
    so a campaign named in the same breath is found by its own words."""
    for pattern in (_RANGE, _MONTH, _LAST_N, *(p for p, _ in _PERIODS[:7])):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def month_in_name(spec: PeriodSpec, name: str) -> bool:
    """Whether the month ``spec`` was read from is a word of a (normalized) campaign name,
    as in "Teste Criativos UGC - Abril": then the words named the campaign, not a period."""
    if spec.kind != "month" or spec.year:
        return False
    words = set(re.findall(r"[a-z]+", name))
    return any(MONTHS[word] == spec.month for word in words if word in MONTHS)


def _is_may_the_verb(text: str, name: str) -> bool:
    return name == "may" and not re.search(r"\b(in|for|of|during)\s+may\b|\bmay\s+20\d\d\b", text)


def _range(match: re.Match[str]) -> PeriodSpec | None:
    parts: list[int] = []
    for side in ("a", "b"):
        iso = match.group(f"{side}iso")
        if iso:
            y, m, d = (int(x) for x in iso.split("-"))
        else:
            d, m = int(match.group(f"{side}d")), int(match.group(f"{side}m"))
            raw = match.group(f"{side}y")
            y = 0 if raw is None else (int(raw) + 2000 if len(raw) == 2 else int(raw))
        if not (1 <= m <= 12 and 1 <= d <= 31):
            return None
        parts += [d, m, y]
    return PeriodSpec("range", dates=tuple(parts))


def _latest(day: int, month: int, year: int, today: date) -> date:
    """The date, in ``year`` or else the latest one not after ``today`` (Feb 29 clamps)."""
    candidates = [year] if year else [today.year, today.year - 1]
    for y in candidates:
        moment = _safe_date(y, month, day)
        if year or moment <= today:
            return moment
    return _safe_date(today.year - 1, month, day)


def _safe_date(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def resolve_period(spec: PeriodSpec, today: date) -> tuple[date, date]:
    """Inclusive (since, until). "Last N days" means N complete days ending yesterday, as Meta.

    Weeks are calendar weeks, Monday to Sunday; a period that reaches past today ends today.
    """
    if spec.kind == "today":
        return today, today
    if spec.kind == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if spec.kind == "day_before_yesterday":
        day = today - timedelta(days=2)
        return day, day
    if spec.kind == "this_week":
        return today - timedelta(days=today.weekday()), today
    if spec.kind == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if spec.kind == "this_month":
        return today.replace(day=1), today
    if spec.kind == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if spec.kind == "month":
        first = _latest(1, spec.month, spec.year, today)
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return first, min(following - timedelta(days=1), today)
    if spec.kind == "range":
        d1, m1, y1, d2, m2, y2 = spec.dates
        until = _latest(d2, m2, y2, today)
        since = _safe_date(y1 or until.year, m1, d1)
        if since > until:  # "de 20/12 a 05/01": the start is in the year before
            since = _safe_date(since.year - 1, m1, d1) if not y1 else until
        return since, min(until, today)
    until = today - timedelta(days=1)
    return until - timedelta(days=spec.days - 1), until
