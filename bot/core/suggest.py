"""Typos and near misses: "relatoro" is a report, "campanas" the campaign list (issue 15).

Pure functions of normalized text (difflib, no LLM): :func:`correct` mends words close to
the command vocabulary, :func:`closest` picks the 2–3 commands nearest to what was typed, so
an unknown message gets "did you mean…" instead of the whole help.
"""

from __future__ import annotations

import difflib

from vocabulary.parsing import normalize

#: Commands a "did you mean" button can run as they are (no argument missing), per language.
COMMANDS: dict[str, tuple[str, ...]] = {
    "pt-BR": (
        "relatório",
        "relatório de ontem",
        "relatório dos últimos 30 dias",
        "campanhas",
        "qual campanha está pior?",
        "qual campanha está melhor?",
        "ROAS por campanha",
        "quanto gastei ontem?",
        "histórico",
        "alertas",
        "configurações",
        "contas",
        "previsão",
        "uso",
        "ajuda",
    ),
    "en": (
        "report",
        "report yesterday",
        "report last 30 days",
        "campaigns",
        "which campaign is the worst?",
        "which campaign is the best?",
        "ROAS by campaign",
        "how much did I spend yesterday?",
        "history",
        "alerts",
        "settings",
        "accounts",
        "forecast",
        "usage",
        "help",
    ),
}

#: Words worth mending towards: the commands' own words plus those of changes and periods.
EXTRA_WORDS = (
    "pausar pause ativar resume orcamento budget aumentar aumenta increase reduzir reduz "
    "reduce diminuir campanha campaign hoje today ontem yesterday ultimos last dias days "
    "semana week mes month este this passado pior worst melhor best por by gasto spend "
    "remarketing limite mensal monthly limit english portugues desfazer undo aprovar approve "
    "rejeitar reject pendentes pending"
)
MIN_WORD = 4  # shorter words ("em", "by", "3") are left as typed
CUTOFF = 0.75


def _vocabulary() -> frozenset[str]:
    words = set(EXTRA_WORDS.split())
    for commands in COMMANDS.values():
        for command in commands:
            words.update(normalize(command).split())
    return frozenset(w for w in words if len(w) >= MIN_WORD)


VOCABULARY = _vocabulary()


def correct(text: str) -> str:
    """``text`` (normalized) with each unknown word replaced by its close vocabulary word."""
    fixed = []
    for word in text.split():
        if len(word) < MIN_WORD or word in VOCABULARY or any(ch.isdigit() for ch in word):
            fixed.append(word)
            continue
        close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=CUTOFF)
        fixed.append(close[0] if close else word)
    return " ".join(fixed)


def closest(text: str, language: str, *, limit: int = 3) -> list[str]:
    """The ``limit`` commands (as typed in ``language``) nearest to ``text`` (normalized)."""
    words = text.split()

    def score(command: str) -> float:
        norm = normalize(command)
        whole = difflib.SequenceMatcher(None, text, norm).ratio()
        head = norm.split()[0]
        word = max((difflib.SequenceMatcher(None, w, head).ratio() for w in words), default=0.0)
        return max(whole, word)

    ranked = sorted(COMMANDS.get(language, COMMANDS["pt-BR"]), key=score, reverse=True)
    return ranked[:limit]
