"""Rules as people write them in rules tools, as pure matchers (pt-BR and English).

``testar regra: pausar se CPA > 2x a meta por 3 dias``,
``test rule: increase budget 20% if roas > 4 for 7 days``,
``regra em modo sombra: ...`` (or just ``regra em modo sombra`` for the last one tested),
``regras`` / ``rules``. Text arrives normalized (lower case, accents removed).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from vocabulary.parsing import Args

_ACTION = re.compile(
    r"^(?:(?P<pause>pausar|pausa|pause|desligar|parar|stop)"
    r"|(?P<raise>aumentar|aumenta|subir|escalar|increase|raise|scale)"
    r"|(?P<cut>reduzir|reduz|diminuir|cortar|corta|decrease|cut|reduce|lower))"
    r"(?:\s+(?:o\s+|the\s+)?(?:orcamento|budget))?"
    r"(?:\s+(?:em|by)?\s*(?P<step>\d{1,3})\s*%)?"
)
_CONDITION = re.compile(
    r"(?:se|if|quando|when)\s+(?:o\s+|a\s+|the\s+)?"
    r"(?P<metric>cpa|roas|ctr|gasto|spend|conversoes|conversions|vendas|sales)\s*"
    r"(?P<op>>|<|acima de|maior que|maior do que|above|greater than|over|more than|"
    r"abaixo de|menor que|menor do que|below|less than|under)\s*"
    r"(?:r\$\s*)?(?P<value>\d[\d.,]*)\s*(?P<times>x|vezes|times)?\s*"
    r"(?P<target>(?:a |da |de |the )?(?:meta|target|alvo))?"
    r"(?:\s*(?:por|nos ultimos|nos|em|durante|for|over the last|over|in the last)\s+"
    r"(?P<window>\d{1,2})\s*(?:dias|dia|days|day|d))?"
)
_TEST = re.compile(
    r"^(?:testar|teste|testa|backtest|test)\s+(?:a\s+|the\s+)?(?:regra|rule)\s*:?\s*(?P<rule>.*)$"
)
_SHADOW = re.compile(
    r"^(?:(?:colocar|coloca|rodar|roda|deixar|put|run)\s+)?(?:a\s+|the\s+)?"
    r"(?:regra\s+em\s+modo\s+sombra|regra\s+sombra|modo\s+sombra|shadow\s+rule|shadow\s+mode|"
    r"rule\s+in\s+shadow\s+mode)"
    r"(?:\s+(?:por|for)\s+(?P<days>\d{1,2})\s*(?:dias|days))?\s*:?\s*(?P<rule>.*)$"
)
_RULES = re.compile(r"^(?:regras|minhas regras|regras em modo sombra|rules|my rules|shadow rules)$")

METRICS = {
    "cpa": "cpa",
    "roas": "roas",
    "ctr": "ctr",
    "gasto": "spend",
    "spend": "spend",
    "conversoes": "conversions",
    "conversions": "conversions",
    "vendas": "conversions",
    "sales": "conversions",
}
BELOW = {"<", "abaixo de", "menor que", "menor do que", "below", "less than", "under"}


def _number(text: str) -> Decimal | None:
    raw = text.rstrip(".,")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def parse_rule(text: str) -> Args | None:
    """A rule's parts, or None when the words are not a rule we understand."""
    action = _ACTION.match(text.strip())
    condition = _CONDITION.search(text)
    if action is None or condition is None:
        return None
    value = _number(condition.group("value"))
    if value is None:
        return None
    kind = next(k for k in ("pause", "raise", "cut") if action.group(k))
    step = Decimal(action.group("step") or 20) / 100
    return {
        "action": kind,
        "metric": METRICS[condition.group("metric")],
        "op": "<" if condition.group("op") in BELOW else ">",
        "threshold": str(value),
        "relative": bool(condition.group("target")),
        "window": int(condition.group("window") or 3),
        "step": str(step),
    }


def match_test_rule(text: str, language: str = "pt-BR") -> Args | None:
    match = _TEST.match(text)
    if not match:
        return None
    return {"rule": parse_rule(match.group("rule")), "text": match.group("rule")}


def match_shadow_rule(text: str, language: str = "pt-BR") -> Args | None:
    match = _SHADOW.match(text)
    if not match:
        return None
    words = match.group("rule").strip()
    return {
        "rule": parse_rule(words) if words else None,
        "text": words,
        "days": int(match.group("days") or 14),
    }


def match_rules(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _RULES.match(text) else None
