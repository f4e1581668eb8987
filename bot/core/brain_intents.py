"""The brain's chat requests as pure matchers (pt-BR and English, normalized text in).

``por que?`` / ``why?`` (after a card), ``explique a proposta 2``; ``previsão`` /
``forecast``; ``simular orçamento remarketing 300`` / ``simulate budget remarketing 300``.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_WHY = re.compile(
    r"^(?:e\s+)?(?:por\s*que|pq|why)"
    r"(?:\s+(?:isso|essa proposta|esta proposta|essa mudanca|this|that|this change|so))?$"
)
_EXPLAIN = re.compile(
    r"^(?:explique|explica|explicar|explain|por que|why)\s+(?:a\s+|the\s+)?"
    r"(?:proposta|proposal|pedido|request|sugestao|suggestion)\s*#?\s*(?P<ref>[0-9a-f]{1,36})$"
)
_FORECAST = re.compile(
    r"^(?:(?:qual|what)\s+(?:e\s+|is\s+)?(?:a\s+|the\s+)?)?"
    r"(?:previsao|projecao|forecast|projection)"
    r"(?:\s+(?:do|de|pro|para o|for the|of the|this)?\s*(?:mes|month|fim do mes|month end))?$"
)
_SIMULATE = re.compile(
    r"^(?:simular|simule|simula|simulate|e se)\s+(?:o\s+|the\s+)?(?:orcamento|budget)\s+"
    r"(?:(?:do|da|de|of|for)\s+)?(?:campanha\s+|campaign\s+)?(?P<target>.+?)\s+"
    r"(?:(?:for|fosse|para|pra|em|=|to|at|a)\s+)?(?P<amount>(?:r\$\s*)?\d[\d.,]*\s*(?:k|mil)?)"
    r"(?:\s*(?:reais|por dia|/dia|a day|per day))?$"
)


def match_why(text: str, language: str = "pt-BR") -> Args | None:
    match = _EXPLAIN.match(text)
    if match:
        return {"ref": match.group("ref")}
    return {"ref": None} if _WHY.match(text) else None


def match_forecast(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _FORECAST.match(text) else None


def match_simulate(text: str, language: str = "pt-BR") -> Args | None:
    match = _SIMULATE.match(text)
    if not match:
        return None
    amount = re.sub(r"^r\$\s*", "", match.group("amount")).strip()
    return {"target": match.group("target").strip(), "amount": amount}
