"""Pure matchers for the smart alerts' chat settings (mute a kind for a while, a threshold per
kind) and for the personas question ("quem compra?").

Same contract as :mod:`bot.core.intents` (normalized text in, arguments or
``None`` out). The kind stays as typed (``"cpm"``, ``"rastreamento"``); the
handler resolves it with :func:`alert_kind`, so an unknown name gets a clear
answer listing the kinds instead of falling through to another intent.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

#: Words people use for each alert kind (normalized: lower case, no accents).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "cpm_spike": ("cpm",),
    "cpa_rise": ("cpa", "custo por compra", "cost per purchase"),
    "roas_drop": ("roas",),
    "ctr_collapse": ("ctr",),
    "delivery_stall": ("entrega", "delivery", "veiculacao"),
    "tracking_broken": ("pixel", "rastreamento", "tracking", "conversoes", "conversions"),
    "ads_disapproved": (
        "reprovacao",
        "reprovados",
        "anuncios reprovados",
        "disapproval",
        "disapproved",
        "disapproved ads",
    ),
    "spend_spike": ("gasto", "spend", "overdelivery"),
    "budget_exhausting": ("orcamento acabando", "budget running out"),
    "scale_opportunity": (
        "escalar",
        "oportunidade de escalar",
        "oportunidades de escalar",
        "escala",
        "scale",
        "room to scale",
        "scaling",
    ),
    "rising_segment": (
        "publico em alta",
        "publicos em alta",
        "segmento",
        "segmentos",
        "rising audience",
        "rising audiences",
        "rising segment",
        "rising segments",
    ),
}
ALL_WORDS = ("todos", "todas", "tudo", "all", "every", "todos os tipos")
#: Words naming a group of kinds: the opportunities, which a chat mutes together.
OPPORTUNITY = "opportunity"
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # group: (its words, its kinds)
    OPPORTUNITY: (
        ("oportunidade", "oportunidades", "opportunity", "opportunities"),
        ("scale_opportunity", "rising_segment"),
    ),
}


def alert_kinds(word: str) -> tuple[str, ...] | None:
    """The kinds a word names: one, a group's (``"oportunidade"``), ``("*",)`` for all, or None."""
    for words, kinds in GROUPS.values():
        if word.strip() in words:
            return kinds
    kind = alert_kind(word)
    return None if kind is None else (kind,)


_ALERTS = r"(?:os |as |the |my |meus )?(?:alertas|alerta|alerts|alert)"
_KIND = r"(?P<kind>[a-z][a-z ]{1,30}?)"
_DURATION = (
    r"(?P<amount>\d{1,3})\s*(?P<unit>h|hs|hrs?|horas?|hours?|d|dias?|days?|min|minutos?|minutes?)"
)
_MUTE_VERB = r"(?:silenciar|silencie|silencia|mutar|mute|silence|snooze|calar)"

_MUTE_PT = re.compile(
    rf"^{_MUTE_VERB}\s+{_ALERTS}(?:\s+(?:de|do|da|dos|das)\s+{_KIND})?\s+(?:por|for)\s+{_DURATION}$"
)
_MUTE_EN = re.compile(rf"^{_MUTE_VERB}\s+(?:the |all )?{_KIND}\s+alerts?\s+for\s+{_DURATION}$")
_THRESHOLD_PT = re.compile(
    rf"^{_ALERTS}\s+(?:de|do|da)\s+{_KIND}\s+(?:acima de|acima|maior que|mais de|a partir de)\s+"
    r"(?P<percent>\d{1,3})\s*%$"
)
_THRESHOLD_EN = re.compile(
    rf"^(?:the )?{_KIND}\s+alerts?\s+(?:above|over|beyond|from)\s+(?P<percent>\d{{1,3}})\s*%$"
)


def alert_kind(word: str) -> str | None:
    """The alert kind a word names (``"*"`` for all of them), or ``None``."""
    word = word.strip()
    if word in ALL_WORDS:
        return "*"
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    return None


def _hours(amount: str, unit: str) -> float:
    if unit.startswith("d"):
        return int(amount) * 24.0
    if unit.startswith("m"):
        return int(amount) / 60.0
    return float(int(amount))


def match_mute(text: str, language: str = "pt-BR") -> Args | None:
    """ "silenciar alertas de CPM por 24h" / "mute CPM alerts for 24h" → kind word and hours."""
    match = _MUTE_PT.match(text) or _MUTE_EN.match(text)
    if not match:
        return None
    kind = match.group("kind") or "todos"
    return {"kind": kind, "hours": _hours(match.group("amount"), match.group("unit"))}


def match_threshold(text: str, language: str = "pt-BR") -> Args | None:
    """ "alertas de CPA acima de 30%" / "CPA alerts above 30%" → kind word and percent."""
    match = _THRESHOLD_PT.match(text) or _THRESHOLD_EN.match(text)
    if not match:
        return None
    return {"kind": match.group("kind"), "percent": int(match.group("percent"))}


_PERSONAS = re.compile(
    r"^(?:quem compra|quem (?:e|sao) (?:meu|minha|meus|minhas) (?:cliente|clientes|publico)|"
    r"(?:minhas |as |my |the |ver |show )?personas?|who buys|who is buying|who are my (?:buyers|customers))$"
)


def match_personas(text: str, language: str = "pt-BR") -> Args | None:
    """ "quem compra?" / "personas" / "who buys?" (the question mark is dropped by normalize)."""
    return {} if _PERSONAS.match(text) else None
