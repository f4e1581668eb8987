"""A GAQL subset: the Google Ads Query Language as the product and the sandbox use it.

Grammar (https://developers.google.com/google-ads/api/docs/query/grammar)::

    SELECT field [, field]* FROM resource
    [WHERE condition [AND condition]*]
    [ORDER BY field [ASC|DESC] [, ...]] [LIMIT n]

    condition: field (= | != | > | >= | < | <=) value
             | field [NOT] IN (value [, value]*)
             | field [NOT] LIKE 'pattern'
             | field BETWEEN value AND value
             | field DURING LAST_7_DAYS | LAST_14_DAYS | LAST_30_DAYS | TODAY | YESTERDAY | ...

Errors carry the ``QueryError`` name Google returns for the same mistake, so the
real client raises the same ``GoogleAdsException`` it would against Google.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

DURING_RANGES = frozenset(
    {
        "TODAY",
        "YESTERDAY",
        "LAST_7_DAYS",
        "LAST_14_DAYS",
        "LAST_30_DAYS",
        "LAST_BUSINESS_WEEK",
        "THIS_WEEK_SUN_TODAY",
        "THIS_WEEK_MON_TODAY",
        "LAST_WEEK_SUN_SAT",
        "LAST_WEEK_MON_SUN",
        "THIS_MONTH",
        "LAST_MONTH",
    }
)
_OPERATORS = ("!=", ">=", "<=", "=", ">", "<")
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<unterminated>['"])
      | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
      | (?P<name>[A-Za-z_][\w.]*)
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)


class GaqlError(ValueError):
    """A query Google would refuse; ``code`` is the ``QueryErrorEnum`` name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str  # = != > >= < <= IN NOT_IN LIKE NOT_LIKE BETWEEN DURING
    values: tuple[str | float, ...]


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...]
    resource: str
    conditions: tuple[Condition, ...] = ()
    order_by: tuple[tuple[str, bool], ...] = ()  # (field, descending)
    limit: int | None = None
    date_range: tuple[date, date] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise GaqlError(
                "BAD_SYMBOL", f"Error in query: unexpected input {text[position:][:20]!r}."
            )
        kind = match.lastgroup or ""
        if kind == "unterminated":
            raise GaqlError("STRING_NOT_TERMINATED", "Error in query: string not terminated.")
        tokens.append(_Token(kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise GaqlError("UNEXPECTED_END_OF_QUERY", "Error in query: unexpected end of query.")
        self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token.kind == "name" and token.text.upper() == word:
            self.index += 1
            return True
        return False

    def expect_keyword(self, word: str, code: str) -> None:
        if not self.keyword(word):
            raise GaqlError(code, f"Error in query: expected {word}.")

    def name(self) -> str:
        token = self.take()
        if token.kind != "name":
            raise GaqlError(
                "BAD_FIELD_NAME", f"Error in query: {token.text!r} is not a field name."
            )
        return token.text

    def value(self) -> str | float:
        token = self.take()
        if token.kind == "string":
            return _unquote(token.text)
        if token.kind == "number":
            return float(token.text)
        if token.kind == "name":  # enum constants may be written bare: status = ENABLED
            return token.text
        raise GaqlError("BAD_VALUE", f"Error in query: bad value {token.text!r}.")


def parse(text: str, *, today: date) -> Query:
    """Parse ``text``; ``today`` (the customer's local date) resolves DURING ranges."""
    if "\n" in text and re.search(r"'[^']*\n", text):
        raise GaqlError("PROHIBITED_NEWLINE_IN_STRING", "Error in query: newline in string.")
    p = _Parser(text)
    p.expect_keyword("SELECT", "EXPECTED_SELECT")
    fields = [p.name()]
    while (token := p.peek()) is not None and token.text == ",":
        p.take()
        fields.append(p.name())
    p.expect_keyword("FROM", "EXPECTED_FROM")
    resource = p.name()
    if "." in resource:
        raise GaqlError(
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", f"Error in query: {resource!r} is not a resource."
        )
    conditions: list[Condition] = []
    if p.keyword("WHERE"):
        conditions.append(_condition(p))
        while p.keyword("AND"):
            conditions.append(_condition(p))
    order: list[tuple[str, bool]] = []
    if p.keyword("ORDER"):
        p.expect_keyword("BY", "EXPECTED_BY")
        while True:
            name = p.name()
            descending = p.keyword("DESC")
            if not descending:
                p.keyword("ASC")
            order.append((name, descending))
            token = p.peek()
            if token is None or token.text != ",":
                break
            p.take()
    limit = None
    if p.keyword("LIMIT"):
        token = p.take()
        if token.kind != "number" or "." in token.text:
            raise GaqlError("BAD_LIMIT_VALUE", "Error in query: LIMIT needs a whole number.")
        limit = int(token.text)
        if limit <= 0:
            raise GaqlError("LIMIT_VALUE_TOO_LOW", "Error in query: LIMIT must be positive.")
    if p.peek() is not None:
        raise GaqlError("UNEXPECTED_INPUT", f"Error in query: unexpected {p.peek().text!r}.")  # type: ignore[union-attr]
    query = Query(tuple(fields), resource, tuple(conditions), tuple(order), limit)
    return Query(
        query.fields,
        query.resource,
        query.conditions,
        query.order_by,
        query.limit,
        date_range=_date_range(query, today),
    )


def _condition(p: _Parser) -> Condition:
    name = p.name()
    token = p.take()
    upper = token.text.upper()
    if token.kind == "op":
        return Condition(name, token.text, (p.value(),))
    negated = False
    if upper == "NOT":
        negated = True
        token = p.take()
        upper = token.text.upper()
    if upper == "IN":
        return Condition(name, "NOT_IN" if negated else "IN", _list(p))
    if upper == "LIKE":
        pattern = p.value()
        if not isinstance(pattern, str):
            raise GaqlError(
                "INVALID_VALUE_WITH_LIKE_OPERATOR", "Error in query: LIKE needs a string."
            )
        return Condition(name, "NOT_LIKE" if negated else "LIKE", (pattern,))
    if negated:
        raise GaqlError("BAD_OPERATOR", "Error in query: NOT must be followed by IN or LIKE.")
    if upper == "BETWEEN":
        low = p.value()
        if not p.keyword("AND"):
            raise GaqlError(
                "EXPECTED_VALUE_WITH_BETWEEN_OPERATOR", "Error in query: BETWEEN needs two values."
            )
        return Condition(name, "BETWEEN", (low, p.value()))
    if upper == "DURING":
        token = p.take()
        if token.kind != "name" or token.text.upper() not in DURING_RANGES:
            raise GaqlError(
                "INVALID_VALUE_WITH_DURING_OPERATOR",
                f"Error in query: {token.text!r} is not a date range for DURING.",
            )
        return Condition(name, "DURING", (token.text.upper(),))
    raise GaqlError("BAD_OPERATOR", f"Error in query: unknown operator {token.text!r}.")


def _list(p: _Parser) -> tuple[str | float, ...]:
    token = p.take()
    if token.text != "(":
        raise GaqlError("EXPECTED_LIST", "Error in query: IN needs a list in parentheses.")
    values: list[str | float] = []
    if (next_token := p.peek()) is not None and next_token.text == ")":
        raise GaqlError("PROHIBITED_EMPTY_LIST_IN_CONDITION", "Error in query: empty list.")
    while True:
        values.append(p.value())
        token = p.take()
        if token.text == ")":
            return tuple(values)
        if token.text != ",":
            raise GaqlError("EXPECTED_LIST", "Error in query: malformed list.")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _date_range(query: Query, today: date) -> tuple[date, date] | None:
    """The days a ``segments.date`` filter selects (the intersection of its conditions)."""
    low: date | None = None
    high: date | None = None
    for condition in query.conditions:
        if condition.field != "segments.date":
            continue
        if condition.operator == "DURING":
            since, until = during(str(condition.values[0]), today)
        elif condition.operator == "BETWEEN":
            since, until = (_day(v) for v in condition.values)
        elif condition.operator in ("=", ">=", ">", "<=", "<"):
            day = _day(condition.values[0])
            since, until = {
                "=": (day, day),
                ">=": (day, date.max),
                ">": (day + timedelta(days=1), date.max),
                "<=": (date.min, day),
                "<": (date.min, day - timedelta(days=1)),
            }[condition.operator]
        else:
            raise GaqlError(
                "OPERATOR_FIELD_MISMATCH",
                f"Error in query: operator {condition.operator} does not apply to segments.date.",
            )
        low = since if low is None else max(low, since)
        high = until if high is None else min(high, until)
    if low is None or high is None:
        return None
    if low == date.min or high == date.max:
        raise GaqlError(
            "EXPECTED_FILTERS_ON_DATE_RANGE",
            "Error in query: segments.date needs a finite range (BETWEEN or DURING).",
        )
    return low, high


def _day(value: str | float) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GaqlError(
            "INVALID_DATE_FORMAT", f"Error in query: {value!r} is not a date (YYYY-MM-DD)."
        ) from None


def during(name: str, today: date) -> tuple[date, date]:
    """The days of a predefined range, as Google Ads counts them (today excluded from LAST_*)."""
    yesterday = today - timedelta(days=1)
    if name == "TODAY":
        return today, today
    if name == "YESTERDAY":
        return yesterday, yesterday
    if name.startswith("LAST_") and name.endswith("_DAYS"):
        days = int(name.split("_")[1])
        return today - timedelta(days=days), yesterday
    monday = today - timedelta(days=today.weekday())
    sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    if name == "THIS_WEEK_MON_TODAY":
        return monday, today
    if name == "THIS_WEEK_SUN_TODAY":
        return sunday, today
    if name == "LAST_WEEK_MON_SUN":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if name == "LAST_WEEK_SUN_SAT":
        return sunday - timedelta(days=7), sunday - timedelta(days=1)
    if name == "LAST_BUSINESS_WEEK":
        return monday - timedelta(days=7), monday - timedelta(days=3)
    first = today.replace(day=1)
    if name == "THIS_MONTH":
        return first, today
    if name == "LAST_MONTH":
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    raise GaqlError("INVALID_VALUE_WITH_DURING_OPERATOR", f"Error in query: unknown range {name}.")
