"""Routine requests in natural word order, understood without an LLM (issue 15, item 7).

The strict matchers in :mod:`bot.core.intents` read commands ("orçamento remarketing 150");
these read the way people talk: "aumenta 10% no remarketing", "increase the remarketing
budget by 10%", "qual campanha está pior?", "ROAS por campanha". Each is a pure function of
normalized text, paired with its handler in :mod:`bot.core.routes`.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args, parse_amount
from vocabulary.periods import DEFAULT_PERIOD, parse_period

_UP = {
    "aumenta", "aumentar", "aumente", "sobe", "subir", "suba", "eleva", "elevar", "eleve",
    "increase", "raise", "boost", "bump",
}  # fmt: skip
_DOWN = {
    "reduz", "reduzir", "reduza", "diminui", "diminuir", "diminua", "baixa", "baixar", "baixe",
    "corta", "cortar", "corte", "decrease", "reduce", "lower", "cut",
}  # fmt: skip
#: Words that only glue a sentence together; what remains besides verb and amount is the target.
_GLUE = {
    "o", "a", "os", "as", "no", "na", "nos", "nas", "do", "da", "dos", "das", "de", "em", "ao",
    "por", "pro", "pra", "mais", "menos", "orcamento", "verba", "diario", "campanha", "reais",
    "the", "of", "on", "in", "for", "by", "budget", "daily", "campaign", "its", "my", "meu",
    "minha", "please", "favor", "more", "less", "dia", "day", "per", "up", "down", "it",
}  # fmt: skip
#: A request about a metric, not a budget ("aumenta o ROAS em 10%") is for the crew.
_METRICS = {"roas", "cpa", "ctr", "cpc", "cpm", "conversoes", "vendas", "receita", "revenue"}
_TO = {"para", "pra", "to"}
_AMOUNT = re.compile(r"^(?:r\$|\$)?\d[\d.,]*(?:k|mil)?%?$")
_MAX_WORDS = 10


def match_relative_budget(text: str, language: str = "pt-BR") -> Args | None:
    """A budget change in any word order: "aumenta 10% no remarketing", "corta 50 reais da
    black friday", "increase the remarketing budget by 10%", "sobe o remarketing para 300"."""
    words = re.sub(r"(\d)\s+%", r"\1%", text).replace("r$ ", "r$").split()
    if not 3 <= len(words) <= _MAX_WORDS:
        return None
    verbs = [w for w in words if w in _UP or w in _DOWN]
    amounts = [i for i, w in enumerate(words) if _AMOUNT.match(w)]
    percents = [i for i in amounts if words[i].endswith("%")]
    if len(amounts) > 1 and len(percents) == 1:  # "aumenta 10% na 3": the other is a list number
        amounts = percents
    if len(verbs) != 1 or len(amounts) != 1:
        return None
    index = amounts[0]
    raw = words[index]
    amount = parse_amount(raw.rstrip("%"), language)
    if amount is None or amount <= 0:
        return None
    absolute = index > 0 and words[index - 1] in _TO
    rest = [
        w
        for i, w in enumerate(words)
        if i != index and w not in _UP and w not in _DOWN and w not in _GLUE and w not in _TO
    ]
    if not rest or any(w in _METRICS for w in rest):
        return None
    target = " ".join(rest)
    sign = -1 if verbs[0] in _DOWN else 1
    if raw.endswith("%"):
        return {"target": target, "percent": sign * amount}
    if absolute:
        return {"target": target, "amount": amount}
    return {"target": target, "delta": sign * amount}


_RANK = re.compile(
    r"\b(?P<worst>pior|piores|worst|weakest)\b|\b(?P<best>melhor|melhores|best|top)\b"
)
_CAMPAIGN_WORD = re.compile(r"\b(campanhas?|campaigns?)\b")


def match_rank(text: str, language: str = "pt-BR") -> Args | None:
    """ "qual campanha está pior?", "qual a melhor campanha do mês?", "which campaign is the
    worst?": the worst or best campaign of a period (7 days unless named)."""
    if len(text.split()) > _MAX_WORDS or not _CAMPAIGN_WORD.search(text):
        return None
    match = _RANK.search(text)
    if match is None:
        return None
    which = "worst" if match.group("worst") else "best"
    return {"which": which, "period": parse_period(text) or DEFAULT_PERIOD}


_PER_CAMPAIGN = re.compile(
    r"^(?:(?:ver|mostrar|mostre|show|qual|quais|what is|what's|whats)\s+)?(?:o |a |the |my |meu )?"
    r"(?P<metric>roas|cpa|ctr|cpc|gasto|gastos|investimento|spend|receita|revenue|conversoes|"
    r"conversions|vendas|sales|resultados|results|numeros|numbers|metricas|metrics)"
    r"\s+(?:por|by|per|de cada|each|for each|of each)\s+(?:campanha|campaign)s?\b(?P<rest>.*)$"
)
_METRIC_KEY = {
    "gasto": "spend",
    "gastos": "spend",
    "investimento": "spend",
    "receita": "revenue",
    "conversoes": "conversions",
    "vendas": "conversions",
    "sales": "conversions",
}


def match_per_campaign(text: str, language: str = "pt-BR") -> Args | None:
    """ "ROAS por campanha", "gasto por campanha ontem", "CPA by campaign last 30 days": one
    table, a line per campaign (not the account's totals)."""
    match = _PER_CAMPAIGN.match(text)
    if match is None:
        return None
    metric = match.group("metric")
    metric = _METRIC_KEY.get(metric, metric)
    if metric not in ("roas", "cpa", "ctr", "cpc", "spend", "revenue", "conversions"):
        metric = "roas"  # "resultados por campanha": the whole line, sorted by ROAS
    return {"metric": metric, "period": parse_period(match.group("rest")) or DEFAULT_PERIOD}
