"""Linking an ad account from chat: "vincular google 123-456-7890", "link meta act_123" (pure)."""

from __future__ import annotations

import re

from vocabulary.parsing import Args
from vocabulary.platforms import platform_named

_LINK = re.compile(
    r"^\s*(?:vincular|vincula|ligar|conectar|link|connect)\s+(?:(?:a\s+)?conta\s+|account\s+)?"
    r"(?P<platform>google(?:\s+ads)?|meta|facebook)\s+(?:(?:conta|account)\s+)?"
    r"(?P<id>(?:act_)?[\d-]+)\s*$",
    re.IGNORECASE,
)


def match_link_account(text: str, language: str = "pt-BR") -> Args | None:
    match = _LINK.match(text)
    if match is None:
        return None
    info = platform_named(match.group("platform").split()[0])
    if info is None:
        return None
    return {"platform": info.name, "account_id": match.group("id")}
