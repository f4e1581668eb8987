"""Which flow a free-text request goes to, and the numbers in it, decided by code.

Pure functions of the text (no LLM): "planeje uma campanha ... com R$ 5.000" →
plan with a total budget, "analise ..." → analyse, "escreva copy ..." → copy,
anything else → the Analyst's answer. The budget is read from the user's own
words (the first amount written as money), never from an agent.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from vocabulary.parsing import Args, normalize, parse_amount

FlowKind = Literal["plan", "analyse", "copy", "answer"]
FLOWS: tuple[FlowKind, ...] = ("plan", "analyse", "copy", "answer")

_PLAN = re.compile(
    r"^(?:(?:por favor|pf|pls|please|voce pode|vc pode|pode|can you|could you)\s+)?"
    r"(?:planej\w*|plano\b|planos\b|plan\b|plan a\b|plan an\b|monte\b|montar\b|monta\b|"
    r"crie um plano|create a plan|draft a campaign|estruture\b|estruturar\b)"
    r"|\b(?:planejar|planeje|planejamento|plan)\b.*\bcampa(?:nha|ign)"
)
_ANALYSE = re.compile(
    r"^(?:(?:por favor|pf|please|voce pode|vc pode|pode|can you|could you)\s+)?"
    r"(?:analis\w*|analyz\w*|analys\w*|diagnostic\w*|diagnos\w*|avali\w*|evaluate|review)\b"
)
_COPY = re.compile(
    r"^(?:(?:por favor|pf|please|voce pode|vc pode|pode|can you|could you)\s+)?"
    r"(?:escrev\w*|redij\w*|redigir|crie|criar|cria|gere|gerar|write|create|generate)\b"
    r".*\b(?:copy|copies|copys|textos?|headlines?|titulos?|legendas?|chamadas?|anuncios?|ads?)\b"
)

_NUMBER = r"\d(?:[\d.,]*\d)?(?:\s*(?:k|mil)\b)?"
_MONEY = re.compile(r"(?:r\$|brl|us\$|\$)\s*" + _NUMBER)
_AMOUNT_WORDS = re.compile(r"\b" + _NUMBER + r"\s*(?:reais|real|brl)\b")
_COUNT = re.compile(
    r"\b(\d{1,2})\s*(?:variac\w*|variations?|opcoes|options|versoes|versions|headlines?|"
    r"titulos?|textos?|copies|copys|anuncios?|ads)\b"
)

DEFAULT_COPY_COUNT = 5
MAX_COPY_COUNT = 10


def classify(text: str) -> FlowKind:
    """The flow for a free-text request (``text`` as typed; normalized here)."""
    norm = normalize(text)
    if _PLAN.search(norm):
        return "plan"
    if _ANALYSE.search(norm):
        return "analyse"
    if _COPY.search(norm):
        return "copy"
    return "answer"


def is_crew_request(text: str) -> bool:
    """True when the text asks the crew to plan, analyse or write, not for a report."""
    return classify(text) != "answer"


def parse_budget(text: str, language: str = "pt-BR") -> Decimal | None:
    """The campaign's total budget in major units: the first amount written as money.

    ``R$ 5.000``, ``5 mil reais`` and ``R$ 2k`` count; a bare number elsewhere
    in the text (e.g. "set budget to 50000" pasted from somewhere) does not.
    """
    norm = normalize(text)
    for pattern in (_MONEY, _AMOUNT_WORDS):
        match = pattern.search(norm)
        if match:
            token = re.sub(r"\s*(?:reais|real|brl)$", "", match.group(0)).strip()
            token = token.replace("us$", "$")
            amount = parse_amount(token, language)
            if amount is not None and amount > 0:
                return amount
    return None


def parse_copy_count(text: str) -> int:
    match = _COUNT.search(normalize(text))
    if not match:
        return DEFAULT_COPY_COUNT
    return max(1, min(int(match.group(1)), MAX_COPY_COUNT))


_CREATE_DRAFTS = re.compile(
    r"^(?:(?:pode|por favor|please|ok|sim|yes)\s+)?(?:criar|crie|cria|create|make)\s+"
    r"(?:(?:como|as|os|the|em)\s+)?(?:um |uma |a )?(?:rascunhos?|drafts?)"
    r"(?:\s+(?:pausados?|paused))?(?:\s+(?:do|of the|desse|deste|this)\s+(?:plano|plan))?$"
)


def match_create_drafts(text: str, language: str = "pt-BR") -> Args | None:
    """Typed "criar como rascunho" / "create as drafts": the last plan, as paused drafts."""
    return {} if _CREATE_DRAFTS.match(text) else None
