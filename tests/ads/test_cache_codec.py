"""Cached values round-trip through JSON exactly (Decimal minor units, dates, enums)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ads import codec
from ads.base import AdSet, Campaign, InsightRow, Level, Period, Status


def test_dataclasses_decimal_dates_and_enums_round_trip():
    campaign = Campaign(
        id="1",
        account_id="act_1",
        name="Promo",
        status=Status.ACTIVE,
        effective_status="ACTIVE",
        objective="OUTCOME_SALES",
        daily_budget=Decimal("123456"),
        created_time=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    row = InsightRow(
        level=Level.AD,
        object_id="9",
        object_name="Ad",
        currency="BRL",
        date_start=date(2025, 1, 1),
        date_stop=date(2025, 1, 1),
        spend=Decimal("123456"),
        impressions=10,
        clicks=1,
        conversions=Decimal("2.5"),
        breakdown={"age": "18-24"},
    )
    adset = AdSet(
        id="2",
        account_id="act_1",
        campaign_id="1",
        name="x",
        status=Status.PAUSED,
        effective_status="PAUSED",
        daily_budget=None,
        targeting={"geo_locations": {"countries": ["BR"]}, "age_min": 18},
    )
    value = [campaign, row, adset, Period(date(2025, 1, 1), date(2025, 1, 31)), {"n": 1}]
    text = codec.dumps(value)
    back = codec.loads(text)
    assert back == value
    assert isinstance(back[0].status, Status) and isinstance(back[1].level, Level)
    assert back[1].spend == Decimal("123456") and isinstance(back[1].spend, Decimal)
    assert back[0].created_time.tzinfo is not None
    assert "pickle" not in text and "Decimal" not in text


def test_unknown_types_are_refused():
    class Other:
        pass

    with pytest.raises(TypeError):
        codec.dumps(Other())
    with pytest.raises(KeyError):
        codec.loads('{"$type": "os.system", "f": {}}')
