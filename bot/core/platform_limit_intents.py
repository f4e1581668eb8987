"""A platform's own monthly limit as people type it (issue 18), a pure matcher.

``limite mensal google R$ 20.000``, ``limite mensal do meta 30000``, ``google monthly
limit 20000``, ``monthly limit google none`` (clears it). The value is parsed and stored
by the settings' one table (:mod:`bot.core.workspace_config`, field
``platform_limits.<platform>``), so chat and ``mediabrain workspace set`` agree.
Text arrives normalized (lowercase, accents removed).
"""

from __future__ import annotations

import re

from bot.core.platform_intents import platform_in
from vocabulary.parsing import Args

_PT = re.compile(
    r"^(?:(?:definir|defina|set|mudar|alterar)\s+)?(?:o\s+)?(?:limite|orcamento)\s+mensal\s+"
    r"(?P<rest>.+)$"
)
_EN = re.compile(
    r"^(?:set\s+)?(?:the\s+)?(?:(?P<before>\S+(?: ads)?)\s+)?monthly\s+(?:limit|budget)\s+"
    r"(?P<rest>.+)$"
)
_LEAD = re.compile(r"^(?:(?:para|pra|em|de|=|:|to|of)\s+)")


def match_platform_limit(text: str, language: str = "pt-BR") -> Args | None:
    """``{"field": "platform_limits.google", "value": raw}``, or None (no platform named)."""
    match = _PT.match(text) or _EN.match(text)
    if not match:
        return None
    rest = match.group("rest")
    before = match.groupdict().get("before")
    if before:
        rest = f"{before} {rest}"
    name, value = platform_in(rest)
    if name is None or not value.strip():
        return None
    return {"field": f"platform_limits.{name}", "value": _LEAD.sub("", value.strip())}
