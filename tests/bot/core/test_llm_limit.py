"""The daily LLM budget as an admin types it, pt-BR and English, read into the stored value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core import workspace_config as config
from bot.core.limit_intents import match_llm_limit
from vocabulary.parsing import normalize


@pytest.mark.parametrize(
    ("typed", "field", "stored"),
    [
        ("limite de uso do LLM 200000 tokens", "llm_daily_tokens", 200_000),
        ("Limite de uso do LLM: 200.000 tokens por dia", "llm_daily_tokens", 200_000),
        ("limite diário de uso do llm 200 mil", "llm_daily_tokens", 200_000),
        ("LLM usage limit 1.5m tokens", "llm_daily_tokens", 1_500_000),
        ("limite de uso do LLM muitos tokens", None, None),
        ("LLM usage limit 250k tokens", "llm_daily_tokens", 250_000),
        ("set the LLM usage limit to 90,000 tokens", "llm_daily_tokens", 90_000),
        ("limite de uso do LLM US$ 5", "llm_daily_cost_usd", Decimal(5)),
        ("limite de custo do LLM 2,50", "llm_daily_cost_usd", Decimal("2.50")),
        ("LLM cost limit $3.75 a day", "llm_daily_cost_usd", Decimal("3.75")),
        ("limite de uso do LLM nenhum", "llm_daily_tokens", None),
    ],
)
def test_typed_limits(typed: str, field: str | None, stored: object) -> None:
    args = match_llm_limit(normalize(typed), "pt-BR")
    assert args is not None
    item = config.find_field(args["field"])
    assert item is not None
    language = "en" if typed.lower().startswith(("llm", "set")) else "pt-BR"
    if field is None:
        with pytest.raises(config.BadValue):
            config.parse_value(item, args["value"], language=language, currency="BRL")
        return
    assert args["field"] == field
    assert config.parse_value(item, args["value"], language=language, currency="BRL") == stored


def test_other_limits_are_not_the_llm_budget() -> None:
    assert match_llm_limit(normalize("limite mensal 5000"), "pt-BR") is None
    assert match_llm_limit(normalize("uso"), "pt-BR") is None
