"""Messages of the smart alerts and of their chat settings (pt-BR first, English second)."""

from __future__ import annotations

from vocabulary.i18n import register

#: Alert kinds as people name them (also what the chat commands accept).
KIND_NAMES: dict[str, dict[str, str]] = {
    "cpm_spike": {"pt-BR": "CPM em alta", "en": "CPM spike"},
    "cpa_rise": {"pt-BR": "CPA em alta", "en": "CPA rise"},
    "roas_drop": {"pt-BR": "ROAS em queda", "en": "ROAS drop"},
    "ctr_collapse": {"pt-BR": "CTR despencou", "en": "CTR collapse"},
    "delivery_stall": {"pt-BR": "entrega parada", "en": "delivery stalled"},
    "tracking_broken": {"pt-BR": "rastreamento quebrado", "en": "tracking broken"},
    "ads_disapproved": {"pt-BR": "anúncios reprovados", "en": "ads disapproved"},
    "spend_spike": {"pt-BR": "gasto acima do normal", "en": "spend spike"},
    "budget_exhausting": {"pt-BR": "orçamento acabando cedo", "en": "budget running out early"},
    "scale_opportunity": {"pt-BR": "oportunidade de escalar", "en": "room to scale"},
    "rising_segment": {"pt-BR": "público em alta", "en": "rising audience"},
}

MESSAGES: dict[str, dict[str, str]] = {
    **{f"smart.kind.{kind}": names for kind, names in KIND_NAMES.items()},
    "smart.title_one": {"pt-BR": "⚠️ {kind} · {account}", "en": "⚠️ {kind} · {account}"},
    "smart.title_many": {
        "pt-BR": "⚠️ {count} alertas · {account}",
        "en": "⚠️ {count} alerts · {account}",
    },
    "smart.title_resolved": {
        "pt-BR": "✅ Resolvido: {kind} · {account}",
        "en": "✅ Resolved: {kind} · {account}",
    },
    "smart.line": {
        "pt-BR": "{kind}: {metric} {observed} (normal {expected}, {change}) desde {since} · "
        "{money}/dia em jogo",
        "en": "{kind}: {metric} {observed} (usual {expected}, {change}) since {since} · "
        "{money}/day at stake",
    },
    "smart.line_disapproved": {
        "pt-BR": "{kind}: {count, plural, one {# anúncio reprovado} other {# anúncios reprovados}} desde {since} · {money}/dia em jogo",
        "en": "{kind}: {count, plural, one {# ad} other {# ads}} disapproved since {since} · {money}/day at stake",
    },
    "smart.disapproved_ads": {"pt-BR": "Reprovados: {ads}", "en": "Disapproved: {ads}"},
    "smart.disapproved_more": {"pt-BR": "{ads} e mais {more}", "en": "{ads} and {more} more"},
    "smart.line_resolved": {
        "pt-BR": "✅ {kind}: voltou ao normal às {at} (desde {since})",
        "en": "✅ {kind}: back to normal at {at} (since {since})",
    },
    "smart.action.pause": {
        "pt-BR": "Sugestão: pausar o que piorou (cartão de aprovação abaixo).",
        "en": "Suggestion: pause what got worse (approval card below).",
    },
    "smart.action.cut_budget": {
        "pt-BR": "Sugestão: reduzir o orçamento até normalizar (cartão de aprovação abaixo).",
        "en": "Suggestion: cut the budget until it recovers (approval card below).",
    },
    "smart.action.check_pixel": {
        "pt-BR": "Verifique o pixel/Conversions API: cliques normais, compras sumiram.",
        "en": "Check the pixel / Conversions API: clicks are normal, purchases vanished.",
    },
    "smart.action.review_ads": {
        "pt-BR": "Revise os anúncios afetados no Gerenciador de Anúncios.",
        "en": "Review the affected ads in Ads Manager.",
    },
    "smart.action.check_delivery": {
        "pt-BR": "Verifique pagamento, limites de gasto e status das campanhas.",
        "en": "Check billing, spending limits and the campaigns' status.",
    },
    "smart.action.raise_budget": {
        "pt-BR": "O orçamento pode acabar antes do melhor horário.",
        "en": "The budget may run out before the best hours.",
    },
    "smart.action.watch": {"pt-BR": "Acompanhando.", "en": "Watching."},
    "smart.reason": {
        "pt-BR": "Alerta {kind}: {metric} {change} desde {since}",
        "en": "{kind} alert: {metric} {change} since {since}",
    },
    "smart.chart_title": {
        "pt-BR": "{metric}: observado × esperado (48h)",
        "en": "{metric}: observed vs expected (48h)",
    },
    "smart.observed": {"pt-BR": "observado", "en": "observed"},
    "smart.expected": {"pt-BR": "esperado", "en": "expected"},
    "smart.metric.cpm": {"pt-BR": "CPM", "en": "CPM"},
    "smart.metric.cpa": {"pt-BR": "CPA", "en": "CPA"},
    "smart.metric.roas": {"pt-BR": "ROAS", "en": "ROAS"},
    "smart.metric.ctr": {"pt-BR": "CTR", "en": "CTR"},
    "smart.metric.spend": {"pt-BR": "gasto", "en": "spend"},
    "smart.metric.conversions": {"pt-BR": "compras", "en": "purchases"},
    "smart.metric.ads": {"pt-BR": "anúncios", "en": "ads"},
    # --- opportunities (a budget-limited winner, a rising segment) --------------------------
    "smart.opp_title_one": {"pt-BR": "💡 {kind} · {account}", "en": "💡 {kind} · {account}"},
    "smart.opp_title_many": {
        "pt-BR": "💡 {count} oportunidades · {account}",
        "en": "💡 {count} opportunities · {account}",
    },
    "smart.opp_title_over": {
        "pt-BR": "Oportunidade encerrada: {kind} · {account}",
        "en": "Opportunity over: {kind} · {account}",
    },
    "smart.opp_line_scale": {
        "pt-BR": "{kind}: {name}: {metric} {observed} (meta {target}, {change}) nos últimos "
        "{days} dias, com o orçamento esgotado em {limited} deles · até {money}/dia a ganhar",
        "en": "{kind}: {name}: {metric} {observed} (target {target}, {change}) over the last "
        "{days} days, its budget used up on {limited} of them · up to {money}/day to gain",
    },
    "smart.opp_line_segment": {
        "pt-BR": "{kind}: {segment}: ROAS {observed} nos últimos 7 dias (o histórico dava "
        "{expected}, {change}) · {money}/dia a mais na verba atual",
        "en": "{kind}: {segment}: ROAS {observed} over the last 7 days (its history gave "
        "{expected}, {change}) · {money}/day more at today's spend",
    },
    "smart.opp_line_over": {
        "pt-BR": "{kind}: {name} não se confirma mais ({at})",
        "en": "{kind}: {name} no longer holds ({at})",
    },
    "smart.opp_action.scale_opportunity": {
        "pt-BR": "Sugestão: aumentar o orçamento em {share} (cartão de aprovação abaixo; o ganho "
        "é um teto: o retorno costuma cair com a escala).",
        "en": "Suggestion: raise the budget by {share} (approval card below; the gain is a "
        "ceiling: returns usually fall with scale).",
    },
    "smart.opp_action.rising_segment": {
        "pt-BR": "Sugestão: dar mais verba a esse público ou posicionamento; *quem compra?* "
        "mostra as personas e cria um conjunto pausado para a melhor.",
        "en": "Suggestion: give this audience or placement more budget; *who buys?* shows the "
        "personas and creates a paused ad set for the best one.",
    },
    "smart.opp_reason": {
        "pt-BR": "Oportunidade: {name} com {metric} {observed} (meta {target}) e orçamento "
        "esgotado em {limited} de {days} dias",
        "en": "Opportunity: {name} at {metric} {observed} (target {target}) with its budget "
        "used up on {limited} of {days} days",
    },
    "smart.segment.age": {"pt-BR": "{value} anos", "en": "ages {value}"},
    "smart.segment.gender.female": {"pt-BR": "mulheres", "en": "women"},
    "smart.segment.gender.male": {"pt-BR": "homens", "en": "men"},
    "smart.segment.publisher_platform": {"pt-BR": "{value}", "en": "{value}"},
    "smart.segment.device_platform.mobile_app": {
        "pt-BR": "app no celular",
        "en": "mobile app",
    },
    "smart.segment.device_platform.mobile_web": {
        "pt-BR": "site no celular",
        "en": "mobile web",
    },
    "smart.segment.device_platform.desktop": {"pt-BR": "computador", "en": "desktop"},
    "smart.segment.other": {"pt-BR": "{name} {value}", "en": "{name} {value}"},
    # --- chat settings --------------------------------------------------------------------
    "smart.settings_title": {
        "pt-BR": "Alertas inteligentes neste chat",
        "en": "Smart alerts in this chat",
    },
    "smart.settings_line": {"pt-BR": "• {kind}: {state}", "en": "• {kind}: {state}"},
    "smart.state_on": {"pt-BR": "ativo", "en": "on"},
    "smart.state_threshold": {
        "pt-BR": "ativo, só variações acima de {percent}",
        "en": "on, only changes above {percent}",
    },
    "smart.state_muted": {"pt-BR": "silenciado até {until}", "en": "muted until {until}"},
    "smart.state_off": {
        "pt-BR": "este chat não recebe alertas",
        "en": "this chat does not receive alerts",
    },
    "smart.settings_hint": {
        "pt-BR": "Ex.: “silenciar alertas de CPM por 24h”, “alertas de CPA acima de 30%”, "
        "“silenciar alertas de oportunidade por 3 dias”.",
        "en": "E.g. “mute CPM alerts for 24h”, “CPA alerts above 30%”, "
        "“mute opportunity alerts for 3 days”.",
    },
    "smart.muted": {
        "pt-BR": "Alertas de {kind} silenciados até {until}.",
        "en": "{kind} alerts muted until {until}.",
    },
    "smart.muted_opportunities": {
        "pt-BR": "Alertas de oportunidades silenciados até {until}.",
        "en": "Opportunity alerts muted until {until}.",
    },
    "smart.muted_all": {
        "pt-BR": "Todos os alertas inteligentes silenciados até {until}.",
        "en": "All smart alerts muted until {until}.",
    },
    "smart.threshold_set": {
        "pt-BR": "Alertas de {kind} só para variações acima de {percent}.",
        "en": "{kind} alerts only for changes above {percent}.",
    },
    "smart.unknown_kind": {
        "pt-BR": "Não conheço alertas de “{name}”. Tipos: {kinds}.",
        "en": "I don't know “{name}” alerts. Kinds: {kinds}.",
    },
    "smart.bad_duration": {
        "pt-BR": "Por quanto tempo? Ex.: “por 24h”, “por 2 dias” (até 30 dias).",
        "en": "For how long? E.g. “for 24h”, “for 2 days” (up to 30 days).",
    },
    "smart.bad_threshold": {
        "pt-BR": "O limite vai de 1% a 500%.",
        "en": "The threshold goes from 1% to 500%.",
    },
    # --- personas ("quem compra?") --------------------------------------------------------
    "persona.title": {"pt-BR": "Quem compra · {account}", "en": "Who buys · {account}"},
    "persona.line": {
        "pt-BR": "{name}: {share} do investimento · ROAS {roas} · CPA {cpa}",
        "en": "{name}: {share} of spend · ROAS {roas} · CPA {cpa}",
    },
    "persona.where": {"pt-BR": "Onde compram melhor:", "en": "Where they buy best:"},
    "persona.where_line": {"pt-BR": "{name}: ROAS {roas}", "en": "{name}: ROAS {roas}"},
    "persona.context": {
        "pt-BR": "Segmentos de idade × gênero de {since} a {until}, agrupados por desempenho "
        "(k-means, silhueta {silhouette}).",
        "en": "Age × gender segments from {since} to {until}, grouped by performance "
        "(k-means, silhouette {silhouette}).",
    },
    "persona.none": {
        "pt-BR": "Ainda não há entrega suficiente nos últimos 30 dias para montar personas.",
        "en": "There is not enough delivery in the last 30 days to build personas yet.",
    },
    "persona.chart_title": {
        "pt-BR": "Personas: investimento e ROAS",
        "en": "Personas: spend and ROAS",
    },
    "persona.share_axis": {"pt-BR": "% do investimento", "en": "% of spend"},
    "persona.button": {
        "pt-BR": "Criar conjunto pausado para {name}",
        "en": "Create a paused ad set for {name}",
    },
    "persona.adset_name": {"pt-BR": "Persona · {name}", "en": "Persona · {name}"},
    "persona.reason": {
        "pt-BR": "Persona com melhor ROAS ({roas}) nos últimos 30 dias: {name}",
        "en": "Best-ROAS persona ({roas}) of the last 30 days: {name}",
    },
    "persona.gone": {
        "pt-BR": "Essa persona não está mais entre as atuais; peça *quem compra?* de novo.",
        "en": "That persona is no longer among the current ones; ask *who buys?* again.",
    },
}

register(MESSAGES)
