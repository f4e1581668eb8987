"""Typed approvals, reachable in every channel and after a restart: "pendentes", "aprovar 2",
"rejeitar 2", "desfazer 3" (and English "pending", "approve 2", "reject 2", "undo 3").

Pure matchers over normalized text; the handler is :mod:`bot.core.handlers.pending`.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_LIST = re.compile(
    r"^(?:ver |listar |list |show |meus |minhas |my |os |as |the )?"
    r"(?:pendentes|pendencias|pending|pedidos pendentes|aprovacoes pendentes|aprovacoes|"
    r"pending approvals|pending requests|approvals|open requests)$"
)
_VERB = {
    "approve": r"aprovar|aprova|aprove|approve",
    "reject": r"rejeitar|rejeita|rejeite|recusar|recusa|reject|decline",
    "undo": r"desfazer|desfaz|desfaca|undo|revert|reverter",
}
_DECIDE = re.compile(
    rf"^(?P<verb>{'|'.join(_VERB.values())})(?:\s+(?:o |a |no |n[oº°]\.?\s*|#)?(?P<n>\d{{1,3}}))?$"
)


def match_pending(text: str, language: str = "pt-BR") -> Args | None:
    """ "pendentes" / "pending": the open requests and the changes that can still be undone."""
    return {} if _LIST.match(text) else None


def match_decide(text: str, language: str = "pt-BR") -> Args | None:
    """ "aprovar 2", "rejeitar 2", "desfazer 3", "undo": a numbered request of *pendentes*."""
    match = _DECIDE.match(text)
    if not match:
        return None
    verb = next(k for k, v in _VERB.items() if re.fullmatch(v, match.group("verb")))
    number = match.group("n")
    return {"verb": verb, "number": int(number) if number else None}
