"""Words for the workspace settings (``configurações`` in chat, ``mediabrain workspace``)."""

from __future__ import annotations

from vocabulary.i18n import register

CONFIG = {
    "config.title": {"pt-BR": "Configurações do workspace", "en": "Workspace settings"},
    "config.hint": {
        "pt-BR": "Admins mudam com “configurar <campo> <valor>”, ex.: “configurar meta cpa 45”, “meta de roas 3,5”, “configurar segmento moda feminina”. “configurar <campo> nenhum” limpa.",
        "en": "Admins change them with “set <field> <value>”, e.g. “set target cpa 45”, “roas target 3.5”, “set industry women's fashion”. “set <field> none” clears.",
    },
    "config.set": {
        "pt-BR": "Pronto: {label} agora é {value}.",
        "en": "Done: {label} is now {value}.",
    },
    "config.cleared": {
        "pt-BR": "Pronto: {label} foi removido(a).",
        "en": "Done: {label} cleared.",
    },
    "config.unknown_field": {
        "pt-BR": "Não conheço a configuração “{name}”. Digite *configurações* para ver as que existem.",
        "en": "I don't know the setting “{name}”. Type *settings* to see them.",
    },
    "config.yes": {"pt-BR": "sim", "en": "yes"},
    "config.no": {"pt-BR": "não", "en": "no"},
    "config.bad.required": {
        "pt-BR": "Essa configuração não pode ficar vazia.",
        "en": "That setting cannot be empty.",
    },
    "config.bad.money": {
        "pt-BR": "“{value}” não é um valor em dinheiro (ex.: 45 ou 1.500,00).",
        "en": "“{value}” is not an amount of money (e.g. 45 or 1,500.00).",
    },
    "config.bad.number": {
        "pt-BR": "“{value}” não é um número válido aqui.",
        "en": "“{value}” is not a valid number here.",
    },
    "config.bad.hour": {
        "pt-BR": "“{value}” não é uma hora entre 0 e 23.",
        "en": "“{value}” is not an hour between 0 and 23.",
    },
    "config.bad.bool": {"pt-BR": "Responda sim ou não.", "en": "Answer yes or no."},
    "config.bad.choice": {
        "pt-BR": "“{value}” não é uma opção. Opções: {choices}.",
        "en": "“{value}” is not an option. Options: {choices}.",
    },
    "config.bad.timezone": {
        "pt-BR": "“{value}” não é um fuso horário IANA (ex.: America/Sao_Paulo).",
        "en": "“{value}” is not an IANA timezone (e.g. America/New_York).",
    },
    "config.bad.thresholds": {
        "pt-BR": "“{value}”: use percentuais entre 1 e 200, separados por vírgula (ex.: 70, 100).",
        "en": "“{value}”: use percentages between 1 and 200, comma-separated (e.g. 70, 100).",
    },
    "config.bad.url": {
        "pt-BR": "“{value}” não é um endereço http(s).",
        "en": "“{value}” is not an http(s) address.",
    },
    "config.field.language": {"pt-BR": "Idioma", "en": "Language"},
    "config.field.timezone": {"pt-BR": "Fuso horário", "en": "Timezone"},
    "config.field.report_hour": {"pt-BR": "Hora do relatório diário", "en": "Daily report hour"},
    "config.field.monthly_budget_limit": {"pt-BR": "Limite mensal", "en": "Monthly limit"},
    "config.field.platform_limits.meta": {
        "pt-BR": "Limite mensal do Meta",
        "en": "Meta monthly limit",
    },
    "config.field.platform_limits.google": {
        "pt-BR": "Limite mensal do Google Ads",
        "en": "Google Ads monthly limit",
    },
    "config.field.max_daily_budget": {
        "pt-BR": "Orçamento diário máximo",
        "en": "Maximum daily budget",
    },
    "config.field.alert_thresholds": {"pt-BR": "Alertas de orçamento", "en": "Budget alerts"},
    "config.field.target_ctr": {"pt-BR": "Meta de CTR", "en": "CTR target"},
    "config.field.target_cpc": {"pt-BR": "Meta de CPC", "en": "CPC target"},
    "config.field.target_cpa": {"pt-BR": "Meta de CPA", "en": "CPA target"},
    "config.field.target_roas": {"pt-BR": "Meta de ROAS", "en": "ROAS target"},
    "config.field.gross_margin": {"pt-BR": "Margem bruta", "en": "Gross margin"},
    "config.field.autonomy": {"pt-BR": "Autonomia", "en": "Autonomy"},
    "config.margin_shown": {
        "pt-BR": "{margin} (ROAS de equilíbrio {break_even})",
        "en": "{margin} (break-even ROAS {break_even})",
    },
    "config.margin_unset": {
        "pt-BR": "— (sem margem, a meta de ROAS {roas} vale como equilíbrio)",
        "en": "— (no margin: the ROAS target {roas} stands in as break-even)",
    },
    "config.bad.margin": {
        "pt-BR": "Margem bruta é um percentual entre 0 e 100 (ex.: margem bruta 45%); recebi “{value}”.",
        "en": "Gross margin is a percentage between 0 and 100 (e.g. gross margin 45%); got “{value}”.",
    },
    "config.autonomy.manual": {
        "pt-BR": "manual (toda proposta de agente ou agenda espera uma pessoa)",
        "en": "manual (every agent or scheduled proposal waits for a person)",
    },
    "config.autonomy.assisted": {
        "pt-BR": "assistido (mudanças protetivas dentro da política rodam sozinhas)",
        "en": "assisted (protective in-policy changes run by themselves)",
    },
    "config.autonomy.autopilot": {
        "pt-BR": "piloto automático (toda mudança dentro da política roda; resumo diário com desfazer)",
        "en": "autopilot (every in-policy change runs; a daily digest with undo)",
    },
    "config.field.prompt_variant": {"pt-BR": "Variante de prompt", "en": "Prompt variant"},
    "config.field.profile.industry": {"pt-BR": "Segmento", "en": "Industry"},
    "config.field.profile.objective": {"pt-BR": "Objetivo", "en": "Objective"},
    "config.field.profile.audience": {"pt-BR": "Público", "en": "Audience"},
    "config.field.profile.tone": {"pt-BR": "Tom de voz", "en": "Tone"},
    "config.field.profile.brand": {"pt-BR": "Marca", "en": "Brand"},
    "config.field.profile.website": {"pt-BR": "Site", "en": "Website"},
    "config.field.profile.page_id": {"pt-BR": "Página do Facebook", "en": "Facebook Page"},
    "config.field.profile.formats": {"pt-BR": "Formatos", "en": "Formats"},
    # issue 13: the LLM's daily budget
    "config.field.llm_daily_tokens": {
        "pt-BR": "Limite diário de uso do LLM (tokens)",
        "en": "Daily LLM usage limit (tokens)",
    },
    "config.field.llm_daily_cost_usd": {
        "pt-BR": "Limite diário de custo do LLM (US$, estimado)",
        "en": "Daily LLM cost limit (US$, estimated)",
    },
}

register(CONFIG)
