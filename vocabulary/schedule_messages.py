"""Messages of the scheduled jobs and of subscription management (pt-BR first, English second)."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # --- daily report -----------------------------------------------------------------------
    "daily.title": {"pt-BR": "Relatório diário · {day}", "en": "Daily report · {day}"},
    "daily.vs_previous": {"pt-BR": "{change} vs dia anterior", "en": "{change} vs previous day"},
    "daily.vs_week": {"pt-BR": "{change} vs média 7d", "en": "{change} vs 7-day avg"},
    "daily.changed_heading": {"pt-BR": "🔀 O que mudou", "en": "🔀 What changed"},
    "daily.changed_spend_up": {
        "pt-BR": "{name} investiu {delta} a mais que no dia anterior (ROAS {before} → {after})",
        "en": "{name} spent {delta} more than the day before (ROAS {before} → {after})",
    },
    "daily.changed_spend_down": {
        "pt-BR": "{name} investiu {delta} a menos que no dia anterior (ROAS {before} → {after})",
        "en": "{name} spent {delta} less than the day before (ROAS {before} → {after})",
    },
    "daily.changed_revenue_up": {
        "pt-BR": "{name} faturou {delta} a mais que no dia anterior (ROAS {before} → {after})",
        "en": "{name} brought in {delta} more revenue than the day before (ROAS {before} → {after})",
    },
    "daily.changed_revenue_down": {
        "pt-BR": "{name} faturou {delta} a menos que no dia anterior (ROAS {before} → {after})",
        "en": "{name} brought in {delta} less revenue than the day before (ROAS {before} → {after})",
    },
    "daily.nothing_changed": {
        "pt-BR": "nenhuma campanha mudou de investimento ou receita",
        "en": "no campaign changed its spend or revenue",
    },
    "daily.no_delivery": {"pt-BR": "Nenhuma entrega em {day}.", "en": "No delivery on {day}."},
    "daily.context": {
        "pt-BR": "{account} · valores em {currency}",
        "en": "{account} · amounts in {currency}",
    },
    "daily.context_provisional": {
        "pt-BR": "{account} · valores em {currency} · conversões dos últimos 7 dias ainda podem subir",
        "en": "{account} · amounts in {currency} · conversions of the last 7 days may still rise",
    },
    "daily.chart_title": {
        "pt-BR": "{account}: investimento e ROAS, {days} dias",
        "en": "{account}: spend and ROAS, {days} days",
    },
    # --- budget alerts ----------------------------------------------------------------------
    "budget.alert_title": {
        "pt-BR": "⚠️ Orçamento do mês: {percent} do limite",
        "en": "⚠️ Monthly budget: {percent} of the limit",
    },
    "budget.limit_title": {
        "pt-BR": "🛑 Limite mensal atingido: {percent}",
        "en": "🛑 Monthly limit reached: {percent}",
    },
    "budget.projection_title": {
        "pt-BR": "📈 No ritmo atual o mês fecha acima do limite",
        "en": "📈 At the current pace the month ends above the limit",
    },
    "budget.body": {
        "pt-BR": (
            "Gasto no mês: {spent} de {limit} ({percent}).\n"
            "Projeção para o fim do mês: {projected} ({projected_percent}).\n"
            "Ritmo atual: {run_rate}/dia · para fechar no limite: {allowed}/dia."
        ),
        "en": (
            "Spent this month: {spent} of {limit} ({percent}).\n"
            "Month-end projection: {projected} ({projected_percent}).\n"
            "Current pace: {run_rate}/day · to land on the limit: {allowed}/day."
        ),
    },
    "budget.proposals_intro": {
        "pt-BR": "Proponho {count, plural, one {# ajuste} other {# ajustes}} para caber no limite; {count, plural, one {o cartão vem} other {os cartões vêm}} a seguir.",
        "en": "I propose {count, plural, one {# change} other {# changes}} to fit the limit; {count, plural, one {the card follows} other {the cards follow}}.",
    },
    "budget.no_proposals": {
        "pt-BR": "Não encontrei orçamentos diários para reduzir; revise as campanhas ativas.",
        "en": "I found no daily budgets to reduce; please review the active campaigns.",
    },
    "budget.reason_reduce": {
        "pt-BR": "Limite mensal: {percent} usado, projeção {projected}; reduzir para {new}/dia",
        "en": "Monthly limit: {percent} used, projection {projected}; reduce to {new}/day",
    },
    "budget.reason_pause": {
        "pt-BR": "Limite mensal de {limit} atingido ({percent})",
        "en": "Monthly limit of {limit} reached ({percent})",
    },
    "budget.context": {
        "pt-BR": "{workspace} · {month} · alertas em {thresholds}",
        "en": "{workspace} · {month} · alerts at {thresholds}",
    },
    # --- nightly optimization ---------------------------------------------------------------
    "optimize.digest_title": {
        "pt-BR": "☀️ Otimização da noite · {account}",
        "en": "☀️ Overnight optimization · {account}",
    },
    "optimize.digest_none": {
        "pt-BR": "Nada a mudar esta noite: nenhuma decisão tem evidência suficiente para agir.",
        "en": "Nothing to change tonight: no decision has enough evidence to act on.",
    },
    "optimize.digest_intro": {
        "pt-BR": "{count, plural, one {# decisão da noite} other {# decisões da noite}}, cada uma com seu cartão:",
        "en": "{count, plural, one {# decision from last night} other {# decisions from last night}}, each with its card:",
    },
    "optimize.budget_decision": {
        "pt-BR": "• {action} {name}: {current} → {proposed}/dia · lucro esperado {profit}/dia",
        "en": "• {action} {name}: {current} → {proposed}/day · expected profit {profit}/day",
    },
    "optimize.pause_decision": {
        "pt-BR": "• {action} {name} (gasta até {current}/dia) · lucro esperado {profit}/dia",
        "en": "• {action} {name} (spends up to {current}/day) · expected profit {profit}/day",
    },
    "optimize.month_projection": {
        "pt-BR": "📅 Projeção do mês: {before} → {after} com o plano (limite {limit}).",
        "en": "📅 Month projection: {before} → {after} with the plan (limit {limit}).",
    },
    "optimize.break_even_margin": {
        "pt-BR": "Decisões por lucro de contribuição: margem bruta {margin}, ROAS de equilíbrio {break_even}.",
        "en": "Decisions on contribution profit: gross margin {margin}, break-even ROAS {break_even}.",
    },
    "optimize.break_even_target": {
        "pt-BR": "Sem margem bruta configurada: a meta de ROAS {roas} vale como equilíbrio (configure com “margem bruta 45%”).",
        "en": "No gross margin set: the ROAS target {roas} stands in as break-even (set it with “gross margin 45%”).",
    },
    "optimize.no_break_even": {
        "pt-BR": "Sem margem bruta nem meta de ROAS: só realoco orçamento para onde rende mais, sem escalar nem pausar (configure com “margem bruta 45%”).",
        "en": "No gross margin or ROAS target: I only move budget to where it returns more, no scaling or pausing (set it with “gross margin 45%”).",
    },
    "optimize.explanation": {"pt-BR": "🧠 Análise", "en": "🧠 Analysis"},
    "optimize.explanation_whose": {  # issue 13: the agent's words, not the bot's
        "pt-BR": "nas palavras do agente",
        "en": "in the agent's words",
    },
    # --- subscriptions in chat --------------------------------------------------------------
    "subs.report_on": {
        "pt-BR": "Combinado: envio o relatório diário aqui todos os dias às {hour}h ({timezone}).",
        "en": "Done: I'll send the daily report here every day at {hour}:00 ({timezone}).",
    },
    "subs.report_off": {
        "pt-BR": "Combinado: não envio mais o relatório diário nesta conversa.",
        "en": "Done: no more daily reports in this chat.",
    },
    "subs.alerts_off": {
        "pt-BR": "Alertas de orçamento desligados nesta conversa. Para religar: *ligar alertas*.",
        "en": "Budget alerts turned off in this chat. To turn them back on: *turn on alerts*.",
    },
    "subs.alerts_on": {
        "pt-BR": "Alertas de orçamento ligados nesta conversa, em {thresholds} do limite mensal.",
        "en": "Budget alerts on in this chat, at {thresholds} of the monthly limit.",
    },
    "subs.thresholds_set": {
        "pt-BR": "Combinado: aviso nesta conversa quando o gasto do mês chegar a {thresholds} do limite.",
        "en": "Done: I'll tell this chat when the month's spend reaches {thresholds} of the limit.",
    },
    "subs.no_limit_hint": {
        "pt-BR": "Ainda não há limite mensal: defina com *limite mensal 5000*.",
        "en": "There is no monthly limit yet: set one with *monthly limit 5000*.",
    },
    "subs.bad_hour": {
        "pt-BR": "Não entendi a hora: use um horário cheio de 0 a 23, por exemplo *relatório diário às 9h*.",
        "en": "I didn't get the time: use a whole hour from 0 to 23, e.g. *daily report at 9am*.",
    },
    "subs.bad_threshold": {
        "pt-BR": "Use porcentagens entre 1% e 200%, por exemplo *alertas a 70%*.",
        "en": "Use percentages between 1% and 200%, e.g. *alerts at 70%*.",
    },
    "subs.summary": {
        "pt-BR": "Nesta conversa: relatório diário {report}; alertas {alerts}.",
        "en": "In this chat: daily report {report}; alerts {alerts}.",
    },
    "subs.report_at": {"pt-BR": "às {hour}h", "en": "at {hour}:00"},
    "subs.off": {"pt-BR": "desligado", "en": "off"},
    "subs.alerts_at": {"pt-BR": "em {thresholds}", "en": "at {thresholds}"},
}

register(MESSAGES)
