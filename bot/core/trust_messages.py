"""Words for issue 15's chat (confirmations, pending requests, deletions, targets asked back).

pt-BR first, English second; registered on import by the handlers that use them.
"""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # --- a second confirmation before a likely typo ---
    "confirm.budget_floor": {
        "pt-BR": (
            "⚠️ Orçamento diário de “{name}”: {current} → {new} ({change}). "
            "Isso é menos de {floor} do atual ou menos que o mínimo de {minimum} — "
            "pode ser um erro de digitação. Confirma?"
        ),
        "en": (
            "⚠️ Daily budget of “{name}”: {current} → {new} ({change}). "
            "That is under {floor} of the current one or under the minimum of {minimum} — "
            "it may be a typo. Confirm?"
        ),
    },
    "confirm.yes": {"pt-BR": "Sim, {new}", "en": "Yes, {new}"},
    "confirm.no": {"pt-BR": "Cancelar", "en": "Cancel"},
    "confirm.cancelled": {
        "pt-BR": "Cancelado: nada foi mudado.",
        "en": "Cancelled: nothing changed.",
    },
    "confirm.gone": {
        "pt-BR": "Essa confirmação não vale mais; peça a mudança de novo.",
        "en": "That confirmation is no longer valid; ask for the change again.",
    },
    # --- approvals by number, in any channel ---
    "pending.none": {
        "pt-BR": "Nenhum pedido esperando decisão e nada para desfazer agora.",
        "en": "No requests waiting for a decision and nothing to undo right now.",
    },
    "pending.title": {
        "pt-BR": "*Pedidos esperando decisão ({count})*",
        "en": "*Requests waiting for a decision ({count})*",
    },
    "pending.undoable_title": {
        "pt-BR": "*Mudanças que ainda dá para desfazer ({count})*",
        "en": "*Changes that can still be undone ({count})*",
    },
    "pending.line": {
        "pt-BR": "{n}. {action} · expira em {until}",
        "en": "{n}. {action} · expires {until}",
    },
    "pending.line_undo": {
        "pt-BR": "{n}. {action} · desfazer até {until}",
        "en": "{n}. {action} · undo until {until}",
    },
    "pending.hint": {
        "pt-BR": "_Responda “aprovar 1”, “rejeitar 1” ou “desfazer N”._",
        "en": "_Reply “approve 1”, “reject 1” or “undo N”._",
    },
    "pending.hint_undo": {
        "pt-BR": "_Responda “desfazer N”._",
        "en": "_Reply “undo N”._",
    },
    "pending.no_such": {
        "pt-BR": "Não há o nº {n} na lista de *pendentes*. Digite “pendentes” para ver a lista.",
        "en": "There is no number {n} in the *pending* list. Type “pending” to see it.",
    },
    # --- periods ---
    "period.unknown": {
        "pt-BR": (
            "Não entendi o período em “{text}”. Diga, por exemplo: ontem, anteontem, "
            "últimos 14 dias, semana passada, este mês, mês passado, novembro, "
            "de 01/11 a 15/11. Ou escolha:"
        ),
        "en": (
            "I didn't understand the period in “{text}”. Say, for example: yesterday, "
            "day before yesterday, last 14 days, last week, this month, last month, "
            "november, from 01/11 to 15/11 (day/month). Or pick one:"
        ),
    },
    "period.last_week": {
        "pt-BR": "📅 Semana passada = a semana de calendário, de segunda {since} a domingo {until}.",
        "en": "📅 Last week = the calendar week, from Monday {since} to Sunday {until}.",
    },
    "period.this_week": {
        "pt-BR": "📅 Esta semana = desde segunda {since} até hoje, {until}.",
        "en": "📅 This week = from Monday {since} to today, {until}.",
    },
    "period.button.yesterday": {"pt-BR": "Ontem", "en": "Yesterday"},
    "period.button.last_n": {"pt-BR": "Últimos 7 dias", "en": "Last 7 days"},
    "period.button.last_week": {"pt-BR": "Semana passada", "en": "Last week"},
    "period.button.this_month": {"pt-BR": "Este mês", "en": "This month"},
    "period.button.last_month": {"pt-BR": "Mês passado", "en": "Last month"},
}

register(MESSAGES)
