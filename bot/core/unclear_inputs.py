"""Requests that are incomplete or out of range, caught before they are misread (issue 15):
"pausar" with no campaign, "limite mensal -100", and "excluir campanha X" / "delete
campaign X". Pure matchers over normalized text; handlers in :mod:`bot.core.handlers.inputs`.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_BARE = {
    "pause": r"pausar|pausa|pause|desligar",
    "resume": r"ativar|ativa|reativar|retomar|despausar|ligar|resume|activate|enable|unpause",
    "budget": r"(?:mudar |alterar |definir |set |change )?(?:o |the )?(?:orcamento|budget|verba)"
    r"(?: diario| daily)?",
    "delete": r"excluir|exclui|apagar|apaga|deletar|delete|remover|remove|arquivar|archive",
}
_THE_CAMPAIGN = r"(?:\s+(?:a |o |the |uma |an? )?(?:campanha|campaign))?"
_DELETE = re.compile(
    rf"^(?:{_BARE['delete']})\s+(?:a |o |the )?(?:campanha|campaign)\s+(?:de |da |do |of )?"
    r"(?P<target>.+)$"
    rf"|^(?:{_BARE['delete']})\s+(?:the\s+)?(?P<before>.+?)\s+campaign$"
)
_MONTHLY = re.compile(
    r"^(?:definir |set )?(?:o |the )?(?:limite|limit|orcamento|budget)\s+"
    r"(?:mensal|monthly|do mes|per month)\b(?P<rest>.*)$"
)


def match_bare(text: str, language: str = "pt-BR") -> Args | None:
    """ "pausar", "ativar a campanha", "orçamento", "excluir": a change with no target."""
    for verb, pattern in _BARE.items():
        if re.fullmatch(f"(?:{pattern}){_THE_CAMPAIGN}", text):
            return {"verb": verb}
    return None


def match_delete(text: str, language: str = "pt-BR") -> Args | None:
    """ "excluir campanha X", "delete campaign X", "delete the X campaign"."""
    match = _DELETE.match(text)
    if not match:
        return None
    return {"target": (match.group("target") or match.group("before")).strip()}


def match_bad_monthly_limit(text: str, language: str = "pt-BR") -> Args | None:
    """ "limite mensal -100", "monthly limit abc": a monthly limit nobody can set (the valid
    ones were taken by ``match_monthly_limit`` before this)."""
    match = _MONTHLY.match(text)
    return {"value": match.group("rest").strip()} if match else None
