"""A budget move between two campaigns, typed in chat (pure): "mover R$ 200/dia do
Prospecção para o Search Marca", "move R$ 200/day from Prospecting to Search Marca"."""

from __future__ import annotations

import re

from vocabulary.parsing import Args, parse_amount

_MOVE = re.compile(
    r"^(?:mover|mova|move|transferir|transfira|transfer|passar|passe|shift)\s+"
    r"(?P<amount>(?:r\$|\$|brl|usd)?\s*\d[\d.,]*\s*(?:k|mil)?)"
    r"(?:\s*(?:reais|real|dollars|dolares))?"
    r"(?:\s*(?:/\s*dia|/\s*day|por dia|ao dia|diarios|a day|per day|daily))?"
    r"\s+(?:d[oae]s?|from)\s+(?P<source>.+?)\s+(?:para|pra|to|into)\s+"
    r"(?:(?:[oa]s?|the)\s+)?(?P<dest>.+)$"
)


def match_move(text: str, language: str = "pt-BR") -> Args | None:
    """``{"amount": Decimal (major units), "source": str, "dest": str}`` or None."""
    match = _MOVE.match(text)
    if not match:
        return None
    amount = parse_amount(match.group("amount"), language)
    if amount is None:
        return None
    source, dest = match.group("source").strip(), match.group("dest").strip()
    if not source or not dest:
        return None
    return {"amount": amount, "source": source, "dest": dest}
