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
    # --- inputs: amounts or shares, targets asked back, limits ---
    "budget.money_or_percent.down": {
        "pt-BR": "Diminuir o orçamento de “{target}” em {money} ou em {percent}?",
        "en": "Lower the budget of “{target}” by {money} or by {percent}?",
    },
    "budget.money_or_percent.up": {
        "pt-BR": "Aumentar o orçamento de “{target}” em {money} ou em {percent}?",
        "en": "Raise the budget of “{target}” by {money} or by {percent}?",
    },
    "budget.by_money.down": {"pt-BR": "Diminuir {money}", "en": "Lower by {money}"},
    "budget.by_money.up": {"pt-BR": "Aumentar {money}", "en": "Raise by {money}"},
    "budget.by_percent.down": {"pt-BR": "Diminuir {percent}", "en": "Lower by {percent}"},
    "budget.by_percent.up": {"pt-BR": "Aumentar {percent}", "en": "Raise by {percent}"},
    "target.which.pause": {"pt-BR": "Pausar qual campanha?", "en": "Pause which campaign?"},
    "target.which.resume": {"pt-BR": "Ativar qual campanha?", "en": "Resume which campaign?"},
    "target.which.budget": {
        "pt-BR": "Mudar o orçamento de qual campanha?",
        "en": "Change the budget of which campaign?",
    },
    "target.which.delete": {"pt-BR": "Excluir qual campanha?", "en": "Delete which campaign?"},
    "target.hint.pause": {
        "pt-BR": "_Escolha abaixo ou diga “pausar {n}”._",
        "en": "_Pick one below or say “pause {n}”._",
    },
    "target.hint.resume": {
        "pt-BR": "_Escolha abaixo ou diga “ativar {n}”._",
        "en": "_Pick one below or say “resume {n}”._",
    },
    "target.hint.budget": {
        "pt-BR": "_Diga o número e o valor: “orçamento {n} 150” ou “orçamento {n} +10%”._",
        "en": "_Say the number and the amount: “budget {n} 150” or “budget {n} +10%”._",
    },
    "target.hint.delete": {
        "pt-BR": "_Escolha abaixo ou diga “excluir campanha {n}”._",
        "en": "_Pick one below or say “delete campaign {n}”._",
    },
    "target.none.pause": {
        "pt-BR": "Nenhuma campanha ativa para pausar.",
        "en": "No active campaign to pause.",
    },
    "target.none.resume": {
        "pt-BR": "Nenhuma campanha pausada para ativar.",
        "en": "No paused campaign to resume.",
    },
    "target.none.budget": {
        "pt-BR": "Nenhuma campanha com orçamento para mudar.",
        "en": "No campaign whose budget could change.",
    },
    "target.none.delete": {
        "pt-BR": "Nenhuma campanha para excluir.",
        "en": "No campaign to delete.",
    },
    "target.no_campaign_yet": {
        "pt-BR": "Ainda não falamos de nenhuma campanha nesta conversa. Qual delas? (digite *campanhas* para a lista)",
        "en": "We haven't discussed a campaign in this chat yet. Which one? (type *campaigns* for the list)",
    },
    "limit.invalid": {
        "pt-BR": "“{value}” não é um limite mensal válido: use um valor positivo em reais, por exemplo “limite mensal 45000”. Nada foi mudado.",
        "en": "“{value}” is not a valid monthly limit: use a positive amount, for example “monthly limit 45000”. Nothing changed.",
    },
}

register(MESSAGES)
