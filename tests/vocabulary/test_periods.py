"""Periods as people type them (issue 15): months, ranges, anteontem, calendar weeks; what is
not understood is reported as such, never read as the last 7 days."""

from __future__ import annotations

from datetime import date

import pytest

from vocabulary.parsing import normalize
from vocabulary.periods import parse_period, resolve_period, unrecognised_period

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "since", "until"),
    [
        ("relatório novembro", date(2026, 11, 1), FRIDAY),  # the month so far
        ("relatório outubro", date(2026, 10, 1), date(2026, 10, 31)),
        ("relatório dezembro", date(2025, 12, 1), date(2025, 12, 31)),  # the latest December
        ("report february 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("relatório de 01/11 a 15/11", date(2026, 11, 1), date(2026, 11, 15)),
        ("relatório 20/12 até 05/01", date(2025, 12, 20), date(2026, 1, 5)),
        ("report from 2026-10-01 to 2026-10-15", date(2026, 10, 1), date(2026, 10, 15)),
        ("relatório anteontem", date(2026, 11, 18), date(2026, 11, 18)),
        ("report day before yesterday", date(2026, 11, 18), date(2026, 11, 18)),
        ("relatório semana passada", date(2026, 11, 9), date(2026, 11, 15)),  # Monday–Sunday
        ("how did we do last week", date(2026, 11, 9), date(2026, 11, 15)),
        ("relatório desta semana", date(2026, 11, 16), FRIDAY),
        ("relatório mês passado", date(2026, 10, 1), date(2026, 10, 31)),
        ("report last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("relatório últimos 14 dias", date(2026, 11, 6), date(2026, 11, 19)),
    ],
)
def test_periods_as_typed(typed: str, since: date, until: date) -> None:
    spec = parse_period(normalize(typed))
    assert spec is not None
    assert resolve_period(spec, FRIDAY) == (since, until)
    again = parse_period(normalize(f"relatorio {spec.words()}"))  # what a button re-asks
    assert again is not None and resolve_period(again, FRIDAY) == (since, until)


@pytest.mark.parametrize(
    "typed", ["relatório trimestre passado", "relatório 32/13", "report since the launch"]
)
def test_a_period_not_understood_is_said_so(typed: str) -> None:
    assert parse_period(normalize(typed)) is None
    assert unrecognised_period(normalize(typed))


@pytest.mark.parametrize("typed", ["relatório", "como estão minhas campanhas", "how may I help"])
def test_no_period_at_all_is_not_a_misread_one(typed: str) -> None:
    assert parse_period(normalize(typed)) is None
    assert not unrecognised_period(normalize(typed))
