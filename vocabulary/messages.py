"""The core's message catalog, pt-BR first. Other packages register their own with ``register``."""

from __future__ import annotations

from vocabulary.i18n import register

CORE: dict[str, dict[str, str]] = {
    # --- help -----------------------------------------------------------------
    "help.title": {"pt-BR": "O que eu sei fazer", "en": "What I can do"},
    "help.text": {
        "pt-BR": (
            "*O que eu sei fazer*\n"
            "• *relatório* [hoje | ontem | últimos 7 dias | últimos 30 dias | este mês]: números reais da conta\n"
            "• *campanhas*: orçamento, gasto e ROAS de 7 dias, numeradas\n"
            "• *pausar* / *ativar* <campanha>: por nome ou número (ex.: pausar black friday)\n"
            "• *orçamento* <campanha> <valor>: novo orçamento diário\n"
            "• *alertas*, *limite mensal* <valor>: alertas de orçamento\n"
            "• *relatório diário às 9h*, *enviar relatório agora*, *alertas a 70%*, *desligar alertas*: o que chega aqui\n"
            "• *configurações*, *meta de cpa* <valor>: metas, limites e perfil\n"
            "• *histórico*: propostas, aprovações e execuções\n"
            "• *pendentes*: o que espera decisão ou dá para desfazer (*aprovar 2*, *rejeitar 2*, *desfazer 3*)\n"
            "• *excluir campanha* <campanha>: arquiva, sempre com aprovação (sem desfazer)\n"
            '• *teste A/B* no remarketing: "texto A" vs "texto B"; *testes*, *parar teste 2*, *o que funciona?*\n'
            "• *english*: responder em inglês\n"
            "{llm}"
        ),
        "en": (
            "*What I can do*\n"
            "• *report* [today | yesterday | last 7 days | last 30 days | this month]: real account numbers\n"
            "• *campaigns*: numbered list with budget, spend and 7-day ROAS\n"
            "• *pause* / *resume* <campaign>: by name or number (e.g. pause black friday)\n"
            "• *budget* <campaign> <amount>: new daily budget\n"
            "• *alerts*, *monthly limit* <amount>: budget alerts\n"
            "• *daily report at 9am*, *send the report now*, *alerts at 70%*, *turn off alerts*: what this chat receives\n"
            "• *settings*, *cpa target* <amount>: targets, limits and the account profile\n"
            "• *history*: what was proposed, approved and executed\n"
            "• *pending*: what waits for a decision or can be undone (*approve 2*, *reject 2*, *undo 3*)\n"
            "• *delete campaign* <campaign>: archives it, always with an approval (no undo)\n"
            '• *A/B test* on remarketing: "text A" vs "text B"; *tests*, *stop test 2*, *what works?*\n'
            "• *português*: answer in Portuguese\n"
            "{llm}"
        ),
    },
    "help.llm_on": {
        "pt-BR": "• Ou escreva livremente: planejar campanhas, criar copy, analisar resultados (*uso* mostra o custo).",
        "en": "• Or just write: plan campaigns, write copy, analyse results (*usage* shows the cost).",
    },
    "help.llm_off": {
        "pt-BR": "• Planejar campanhas e escrever copy precisam de um LLM (MEDIABRAIN_LLM_MODEL).",
        "en": "• Planning campaigns and writing copy need an LLM (MEDIABRAIN_LLM_MODEL).",
    },
    "help.button.report": {"pt-BR": "Relatório 7 dias", "en": "7-day report"},
    "help.button.campaigns": {"pt-BR": "Campanhas", "en": "Campaigns"},
    "prefs.language_set": {
        "pt-BR": "Combinado: vou responder em português.",
        "en": "Got it: I'll answer in English.",
    },
    "freeform.no_llm": {
        "pt-BR": (
            "Para conversar livremente (planejar, escrever, analisar) eu preciso de um LLM "
            "configurado (MEDIABRAIN_LLM_MODEL). Sem ele, estes comandos funcionam:"
        ),
        "en": (
            "Free conversation (planning, writing, analysis) needs an LLM configured "
            "(MEDIABRAIN_LLM_MODEL). Without one, these commands work:"
        ),
    },
    "freeform.analysis_needs_llm": {
        "pt-BR": (
            "A análise em palavras precisa de um LLM (MEDIABRAIN_LLM_MODEL). "
            "Enquanto isso, aqui estão os números:"
        ),
        "en": "A written analysis needs an LLM (MEDIABRAIN_LLM_MODEL). Meanwhile, here are the numbers:",
    },
    "freeform.unknown_command": {
        "pt-BR": "Não entendi “{text}”. Veja o que funciona:",
        "en": "I didn't understand “{text}”. Here is what works:",
    },
    # --- reports ----------------------------------------------------------------
    "report.title": {"pt-BR": "Relatório · {period}", "en": "Report · {period}"},
    "report.title_campaign": {
        "pt-BR": "Relatório · {campaign} · {period}",
        "en": "Report · {campaign} · {period}",
    },
    "report.best_adset": {"pt-BR": "🏆 Melhor conjunto", "en": "🏆 Best ad set"},
    "report.worst_adset": {"pt-BR": "⚠️ Pior conjunto", "en": "⚠️ Worst ad set"},
    "report.best": {"pt-BR": "🏆 Melhor campanha", "en": "🏆 Best campaign"},
    "report.worst": {"pt-BR": "⚠️ Pior campanha", "en": "⚠️ Worst campaign"},
    "report.campaign_line": {
        "pt-BR": "{name}: ROAS {roas}, CPA {cpa}, gasto {spend}",
        "en": "{name}: ROAS {roas}, CPA {cpa}, spend {spend}",
    },
    "report.context": {
        "pt-BR": "{account} · {period} · valores em {currency} · variação vs {previous}",
        "en": "{account} · {period} · amounts in {currency} · change vs {previous}",
    },
    "report.same_pace": {
        "pt-BR": "{previous} no mesmo ritmo",
        "en": "{previous} at the same pace",
    },
    "campaigns.adset_budget": {"pt-BR": "{amount} (conjuntos)", "en": "{amount} (ad sets)"},
    "report.no_delivery": {
        "pt-BR": "Nenhuma entrega no período.",
        "en": "No delivery in this period.",
    },
    "chart.spend_roas": {
        "pt-BR": "{account}: investimento e ROAS por dia",
        "en": "{account}: spend and ROAS per day",
    },
    "metric.spend": {"pt-BR": "Investimento", "en": "Spend"},
    "metric.impressions": {"pt-BR": "Impressões", "en": "Impressions"},
    "metric.clicks": {"pt-BR": "Cliques", "en": "Clicks"},
    "metric.ctr": {"pt-BR": "CTR", "en": "CTR"},
    "metric.cpc": {"pt-BR": "CPC", "en": "CPC"},
    "metric.conversions": {"pt-BR": "Conversões", "en": "Conversions"},
    "metric.cpa": {"pt-BR": "CPA", "en": "CPA"},
    "metric.revenue": {"pt-BR": "Receita", "en": "Revenue"},
    "metric.roas": {"pt-BR": "ROAS", "en": "ROAS"},
    # --- campaigns ----------------------------------------------------------------
    "campaigns.title": {"pt-BR": "Campanhas ({count})", "en": "Campaigns ({count})"},
    "campaigns.line": {
        "pt-BR": "{n}. {name} · {status} · orçamento/dia {budget} · 7d: {spend}, ROAS {roas}",
        "en": "{n}. {name} · {status} · budget/day {budget} · 7d: {spend}, ROAS {roas}",
    },
    "accounts.title": {"pt-BR": "Contas de anúncio ({count})", "en": "Ad accounts ({count})"},
    "accounts.hint": {
        "pt-BR": "✅ é a conta desta conversa. Para trocar: “usar conta 2” ou “usar conta <nome>”.",
        "en": "✅ is this chat's account. To switch: “use account 2” or “use account <name>”.",
    },
    "accounts.none": {
        "pt-BR": "Nenhuma conta de anúncio ligada a este workspace. Um admin liga com `mediabrain accounts add act_…`.",
        "en": "No ad account is linked to this workspace. An admin links one with `mediabrain accounts add act_…`.",
    },
    "accounts.not_found": {
        "pt-BR": "Não encontrei a conta “{query}”. Digite *contas* para ver as ligadas a este workspace.",
        "en": "I couldn't find the account “{query}”. Type *accounts* to see the linked ones.",
    },
    "accounts.chosen": {
        "pt-BR": "Certo: nesta conversa agora trabalho com a conta {name} ({currency}).",
        "en": "Done: in this chat I now work on the account {name} ({currency}).",
    },
    "campaigns.confirm_number": {
        "pt-BR": "Na lista de *campanhas*, o nº {n} é esta. Confirma?",
        "en": "In the *campaigns* list, number {n} is this one. Confirm?",
    },
    "budget.no_current": {
        "pt-BR": "“{name}” não tem um orçamento diário próprio para aumentar ou reduzir; diga o valor novo (ex.: orçamento {name} 150).",
        "en": "“{name}” has no daily budget of its own to raise or lower; say the new amount (e.g. budget {name} 150).",
    },
    "budget.which_way": {
        "pt-BR": "Aumentar ou reduzir {percent}? Diga, por exemplo, “aumentar o orçamento de {target} em {percent}” ou “reduzir o orçamento de {target} em {percent}”.",
        "en": "Raise or lower it by {percent}? Say, e.g., “increase the budget of {target} by {percent}” or “reduce the budget of {target} by {percent}”.",
    },
    "budget.which_adset": {
        "pt-BR": "O orçamento de “{name}” está nos conjuntos de anúncios. Qual deles?",
        "en": "The budget of “{name}” lives on its ad sets. Which one?",
    },
    "budget.not_positive": {
        "pt-BR": "Com essa redução o orçamento de “{name}” ficaria zerado ou negativo. Para parar a campanha, use *pausar*.",
        "en": "That cut would leave “{name}” with no budget. To stop the campaign, use *pause*.",
    },
    "campaigns.hint": {
        "pt-BR": "Use o número: “pausar 3”, “orçamento 2 150”.",
        "en": "Use the number: “pause 3”, “budget 2 150”.",
    },
    "campaigns.col.name": {"pt-BR": "Campanha", "en": "Campaign"},
    "campaigns.col.status": {"pt-BR": "Status", "en": "Status"},
    "campaigns.col.budget": {"pt-BR": "Orçamento/dia", "en": "Budget/day"},
    "campaigns.col.spend7": {"pt-BR": "Gasto 7d", "en": "7d spend"},
    "campaigns.ambiguous": {
        "pt-BR": "Encontrei mais de uma campanha para “{query}”. Qual delas?",
        "en": "More than one campaign matches “{query}”. Which one?",
    },
    "campaigns.not_found": {
        "pt-BR": "Não encontrei nenhuma campanha parecida com “{query}”. Digite *campanhas* para ver a lista.",
        "en": "No campaign looks like “{query}”. Type *campaigns* to see the list.",
    },
    "status.active": {"pt-BR": "ativa", "en": "active"},
    "status.paused": {"pt-BR": "pausada", "en": "paused"},
    "status.archived": {"pt-BR": "arquivada", "en": "archived"},
    "status.deleted": {"pt-BR": "excluída", "en": "deleted"},
    # --- alerts -------------------------------------------------------------------
    "alerts.no_limit": {"pt-BR": "sem limite definido", "en": "no limit set"},
    "alerts.summary": {
        "pt-BR": "Limite mensal: {limit}. Alertas em: {thresholds} do limite.",
        "en": "Monthly limit: {limit}. Alerts at: {thresholds} of the limit.",
    },
    "alerts.platform_limit": {
        "pt-BR": "Limite mensal do {platform}: {limit}.",
        "en": "{platform} monthly limit: {limit}.",
    },
    "alerts.limit_set": {
        "pt-BR": "Limite mensal definido: {limit}.",
        "en": "Monthly limit set: {limit}.",
    },
    # --- roles and errors -----------------------------------------------------------
    "role.viewer": {"pt-BR": "leitor", "en": "viewer"},
    "role.operator": {"pt-BR": "operador", "en": "operator"},
    "role.approver": {"pt-BR": "aprovador", "en": "approver"},
    "role.admin": {"pt-BR": "administrador", "en": "admin"},
    "onboarding.unknown_user": {
        "pt-BR": (
            "Olá! Ainda não conheço este número. Peça a um administrador da sua equipe para "
            "vinculá-lo (mediabrain users add --whatsapp {user})."
        ),
        "en": (
            "Hello! I don't know this number yet. Ask an admin of your team to link it "
            "(mediabrain users add --whatsapp {user})."
        ),
    },
    "error.forbidden": {
        "pt-BR": "Desculpe, isso precisa do papel de {role} neste workspace (o seu é {have}).",
        "en": "Sorry, that needs the {role} role in this workspace (yours is {have}).",
    },
    "error.too_long": {
        "pt-BR": "Mensagem longa demais (limite de {limit} caracteres). Pode resumir?",
        "en": "That message is too long (limit {limit} characters). Could you shorten it?",
    },
    "error.unknown_action": {
        "pt-BR": "Esse botão não vale mais. Digite *ajuda* para ver as opções.",
        "en": "That button is no longer valid. Type *help* to see the options.",
    },
    "error.no_account": {
        "pt-BR": "Nenhuma conta de anúncios vinculada a este workspace ainda.",
        "en": "No ad account is linked to this workspace yet.",
    },
    "error.token_expired": {
        "pt-BR": (
            "O acesso à conta de anúncios expirou ou foi revogado. Um administrador precisa "
            "reconectar a conta; até lá, nada será alterado nela."
        ),
        "en": (
            "Access to the ad account expired or was revoked. An admin needs to reconnect it; "
            "until then nothing will be changed there."
        ),
    },
    "error.throttled": {
        "pt-BR": "A plataforma ({platform}) pediu uma pausa nas consultas. Tente de novo em cerca de {minutes} min.",
        "en": "{platform} asked us to slow down. Try again in about {minutes} min.",
    },
    "error.platform_unstable": {
        "pt-BR": "A plataforma ({platform}) está instável agora e não respondeu mesmo após novas tentativas. Tente em instantes.",
        "en": "{platform} is unstable right now and did not answer even after retries. Try again shortly.",
    },
    "error.permission": {
        "pt-BR": "A plataforma ({platform}) recusou por falta de permissão: {detail}",
        "en": "{platform} refused for lack of permission: {detail}",
    },
    "error.not_found": {
        "pt-BR": "Não encontrei esse objeto na conta de anúncios.",
        "en": "That object was not found in the ad account.",
    },
    "error.platform": {
        "pt-BR": "A plataforma ({platform}) recusou a operação: {detail} (ref {ref})",
        "en": "{platform} refused the operation: {detail} (ref {ref})",
    },
    "error.unexpected": {
        "pt-BR": "Algo deu errado do meu lado (ref {ref}). Nada foi perdido; a equipe pode rastrear pela referência.",
        "en": "Something went wrong on my side (ref {ref}). Nothing was lost; the team can trace it by the reference.",
    },
    "error.queue_down": {
        "pt-BR": "Não consegui registrar seu pedido agora (fila indisponível). Tente de novo em instantes.",
        "en": "I couldn't register your request right now (queue unavailable). Please try again shortly.",
    },
}

register(CORE)

# The reliability catalog (lost turns, interrupted changes): registered with the core's.
import vocabulary.reliability_messages  # noqa: E402, F401
