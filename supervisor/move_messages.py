"""Words for budget moves between two campaigns (issue 18): cards, outcomes, chat replies.

pt-BR first, English second; registered on import by :mod:`supervisor.moves`.
"""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "supervisor.action.move_budget": {
        "pt-BR": (
            "mover {amount}/dia de “{source}” ({source_platform}) para “{dest}” "
            "({dest_platform}): {source_old} → {source_new} e {dest_old} → {dest_new}"
        ),
        "en": (
            "move {amount}/day from “{source}” ({source_platform}) to “{dest}” "
            "({dest_platform}): {source_old} → {source_new} and {dest_old} → {dest_new}"
        ),
    },
    "supervisor.card.move_failed": {
        "pt-BR": (
            "⚠️ Não foi executado: {error}. O corte em “{source}” foi desfeito "
            "({source_old} de novo) — nada mudou."
        ),
        "en": (
            "⚠️ Not executed: {error}. The cut on “{source}” was put back "
            "({source_old} again) — nothing changed."
        ),
    },
    "supervisor.card.move_not_started": {
        "pt-BR": "⚠️ Não foi executado: {error}. Nenhuma das duas campanhas foi alterada.",
        "en": "⚠️ Not executed: {error}. Neither campaign was changed.",
    },
    "supervisor.card.move_half": {
        "pt-BR": (
            "🚨 Falhou no meio: {error}. “{source}” ficou em {source_new} e não consegui "
            "desfazer o corte; confira as duas campanhas."
        ),
        "en": (
            "🚨 Failed half way: {error}. “{source}” was left at {source_new} and the cut "
            "could not be put back; check both campaigns."
        ),
    },
    "supervisor.card.move_stale": {
        "pt-BR": "⚠️ Não foi executado: o orçamento de “{name}” mudou ({before} → {now}).",
        "en": "⚠️ Not executed: the budget of “{name}” changed ({before} → {now}).",
    },
    # --- chat ---
    "move.same_campaign": {
        "pt-BR": "Origem e destino são a mesma campanha (“{name}”): nada a mover.",
        "en": "Source and destination are the same campaign (“{name}”): nothing to move.",
    },
    "move.no_budget": {
        "pt-BR": (
            "“{name}” não tem orçamento diário próprio (o orçamento fica nos conjuntos): "
            "mova entre campanhas com orçamento na campanha."
        ),
        "en": (
            "“{name}” has no daily budget of its own (it lives on its ad sets): "
            "move between campaigns with a campaign budget."
        ),
    },
    "move.not_enough": {
        "pt-BR": "“{name}” tem {current}/dia: não dá para tirar {amount}/dia dela.",
        "en": "“{name}” has {current}/day: {amount}/day cannot be taken from it.",
    },
    "move.currencies": {
        "pt-BR": "As contas usam moedas diferentes ({source} e {dest}): não movo entre elas.",
        "en": "The accounts use different currencies ({source} and {dest}): no move between them.",
    },
    "move.not_positive": {
        "pt-BR": "Diga um valor maior que zero para mover.",
        "en": "Say an amount above zero to move.",
    },
}

register(MESSAGES)
