"""The daily LLM budget as people type it (issue 13), a pure matcher (pt-BR and English).

``limite de uso do LLM 200000 tokens`` / ``LLM usage limit 200k tokens`` set the
token cap; ``limite de uso do LLM US$ 5`` or ``limite de custo do LLM 5`` the
estimated-dollar cap; ``... nenhum`` / ``... none`` clears it. Text arrives
normalized (lowercase, accents removed).
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_LIMIT = re.compile(
    r"^(?:(?:definir|defina|set|mudar|alterar|change)\s+)?(?:o |a |the )?"
    r"(?:limite (?:diario )?(?:de )?(?P<pt>uso|custo) (?:diario )?do llm|"
    r"llm (?:daily )?(?P<en>usage|cost) (?:limit|cap)|daily llm (?P<en2>usage|cost) (?:limit|cap))"
    r"\s*(?:(?:para|pra|em|de|=|:|to|of)\s+)?(?P<value>\S.*)$"
)
_DOLLARS = re.compile(r"us\$|\$|\busd\b|\bdolar(?:es)?\b|\bdollars?\b")


def match_llm_limit(text: str, language: str = "pt-BR") -> Args | None:
    """``{"field": "llm_daily_tokens" | "llm_daily_cost_usd", "value": raw}``."""
    match = _LIMIT.match(text)
    if not match:
        return None
    value = match.group("value").strip()
    about_cost = (match.group("pt") or match.group("en") or match.group("en2")) == "custo" or (
        match.group("en") or match.group("en2")
    ) == "cost"
    field = "llm_daily_cost_usd" if about_cost or _DOLLARS.search(value) else "llm_daily_tokens"
    return {"field": field, "value": value}
