"""The crew's messages (pt-BR first, English second), registered with the i18n catalog."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # --- starting a run -----------------------------------------------------------------------
    "crew.started.plan": {
        "pt-BR": "🧠 Vou planejar essa campanha com a equipe (estratégia, criativos, copy, estrutura e previsão). Acompanhe por aqui…",
        "en": "🧠 Planning this campaign with the team (strategy, creatives, copy, structure and forecast). Follow along here…",
    },
    "crew.started.analyse": {
        "pt-BR": "🧠 Analisando os números reais da conta…",
        "en": "🧠 Analysing the account's real numbers…",
    },
    "crew.started.copy": {
        "pt-BR": "🧠 Escrevendo variações de copy…",
        "en": "🧠 Writing copy variations…",
    },
    "crew.started.answer": {
        "pt-BR": "🧠 Pensando…",
        "en": "🧠 Thinking…",
    },
    "crew.need_budget": {
        "pt-BR": (
            "Qual o orçamento total da campanha? Diga o valor junto com o pedido, por exemplo: "
            "“planeje uma campanha de Black Friday para a loja X com R$ 5.000”."
        ),
        "en": (
            "What is the campaign's total budget? Say it with the request, for example: "
            "“plan a Black Friday campaign for store X with R$ 5,000”."
        ),
    },
    "crew.no_llm": {
        "pt-BR": "Planejar campanhas, analisar e escrever copy precisam de um LLM configurado (MEDIABRAIN_LLM_MODEL).",
        "en": "Planning campaigns, analysis and writing copy need an LLM configured (MEDIABRAIN_LLM_MODEL).",
    },
    "crew.failed": {
        "pt-BR": "Não consegui concluir esse pedido (ref {ref}). Nada foi alterado nas suas campanhas; tente de novo em instantes.",
        "en": "I couldn't finish this request (ref {ref}). Nothing changed in your campaigns; try again in a moment.",
    },
    # --- progress -----------------------------------------------------------------------------
    "crew.progress.agent": {
        "pt-BR": "{icon} {agent} trabalhando…",
        "en": "{icon} {agent} working…",
    },
    "crew.progress.tool": {"pt-BR": "🔧 {agent}: {tool}…", "en": "🔧 {agent}: {tool}…"},
    "crew.progress.task_done": {"pt-BR": "✅ {agent} concluiu", "en": "✅ {agent} done"},
    "crew.progress.revise": {
        "pt-BR": "🔁 Rodada {round}: a previsão não atinge as metas ({gaps}); o Estrategista vai revisar",
        "en": "🔁 Round {round}: the forecast misses the targets ({gaps}); the Strategist is revising",
    },
    "crew.progress.done": {"pt-BR": "✅ Pronto", "en": "✅ Done"},
    "crew.progress.failed": {
        "pt-BR": "⚠️ Não consegui concluir (ref {ref})",
        "en": "⚠️ Could not finish (ref {ref})",
    },
    "crew.agent.strategist": {"pt-BR": "Estrategista", "en": "Strategist"},
    "crew.agent.creative": {"pt-BR": "Diretor criativo", "en": "Creative director"},
    "crew.agent.creative_video": {"pt-BR": "Especialista em vídeo", "en": "Video specialist"},
    "crew.agent.creative_carousel": {
        "pt-BR": "Especialista em carrossel",
        "en": "Carousel specialist",
    },
    "crew.agent.creative_stories": {"pt-BR": "Especialista em stories", "en": "Stories specialist"},
    "crew.agent.creative_ugc": {"pt-BR": "Especialista em UGC", "en": "UGC specialist"},
    "crew.agent.creative_image": {"pt-BR": "Especialista em imagem", "en": "Image specialist"},
    "crew.agent.copywriter": {"pt-BR": "Copywriter", "en": "Copywriter"},
    "crew.agent.optimizer": {"pt-BR": "Otimizador", "en": "Optimizer"},
    "crew.agent.analyst": {"pt-BR": "Analista", "en": "Analyst"},
    "crew.agent.crew": {"pt-BR": "Equipe", "en": "Team"},
    "crew.tool.account_overview": {
        "pt-BR": "lendo os resultados da conta",
        "en": "reading the account's results",
    },
    "crew.tool.campaign_performance": {
        "pt-BR": "lendo as campanhas",
        "en": "reading the campaigns",
    },
    "crew.tool.ad_texts": {"pt-BR": "lendo os textos dos anúncios", "en": "reading the ad texts"},
    "crew.tool.propose_action": {
        "pt-BR": "enviando uma proposta ao supervisor",
        "en": "sending a proposal to the supervisor",
    },
    # --- the plan -----------------------------------------------------------------------------
    "crew.plan.title": {"pt-BR": "Plano de campanha · {name}", "en": "Campaign plan · {name}"},
    "crew.plan.intro": {
        "pt-BR": "{objective} · {days} dias · {total} no total ({daily}/dia)",
        "en": "{objective} · {days} days · {total} in total ({daily}/day)",
    },
    "crew.plan.brief": {"pt-BR": "🧭 Estratégia", "en": "🧭 Strategy"},
    "crew.plan.brief_body": {
        "pt-BR": "Público: {audience}\nMensagem: {message}\nOferta: {offer}\nFormatos: {formats}",
        "en": "Audience: {audience}\nMessage: {message}\nOffer: {offer}\nFormats: {formats}",
    },
    "crew.plan.creatives": {"pt-BR": "🎨 Criativos", "en": "🎨 Creatives"},
    "crew.plan.copies": {"pt-BR": "✍️ Copy", "en": "✍️ Copy"},
    "crew.plan.structure": {"pt-BR": "⚙️ Estrutura e orçamento", "en": "⚙️ Structure and budget"},
    "crew.plan.adset_line": {
        "pt-BR": "{name}: {budget}/dia ({share}) · {audience} · {ages} anos · {countries}",
        "en": "{name}: {budget}/day ({share}) · {audience} · ages {ages} · {countries}",
    },
    "crew.plan.col.adset": {"pt-BR": "Conjunto", "en": "Ad set"},
    "crew.plan.col.daily": {"pt-BR": "Orçamento/dia", "en": "Budget/day"},
    "crew.plan.col.share": {"pt-BR": "Parcela", "en": "Share"},
    "crew.plan.bidding": {"pt-BR": "Lance: {bid}", "en": "Bidding: {bid}"},
    "crew.plan.forecast": {"pt-BR": "📊 Previsão e riscos", "en": "📊 Forecast and risks"},
    "crew.plan.forecast_line": {
        "pt-BR": "CTR {ctr} · CPA {cpa} · ROAS {roas} (confiança {confidence})",
        "en": "CTR {ctr} · CPA {cpa} · ROAS {roas} ({confidence} confidence)",
    },
    "crew.plan.model_basis": {
        "pt-BR": "Números dos modelos, de {days} dias da conta (IC 90%): CPA {cpa_low} a {cpa_high} · ROAS {roas_low} a {roas_high} · {conv_low} a {conv_high} conversões no período",
        "en": "Figures from the models, {days} days of the account (90% CI): CPA {cpa_low} to {cpa_high} · ROAS {roas_low} to {roas_high} · {conv_low} to {conv_high} conversions over the period",
    },
    "crew.plan.no_model": {
        "pt-BR": "Sem histórico suficiente da conta para prever números (sincronize alguns dias antes).",
        "en": "Not enough account history to forecast figures (let a few days sync first).",
    },
    "crew.plan.gaps": {
        "pt-BR": "⚠️ Ainda abaixo das metas após {rounds, plural, one {# rodada} other {# rodadas}}: {gaps}",
        "en": "⚠️ Still below the targets after {rounds, plural, one {# round} other {# rounds}}: {gaps}",
    },
    "crew.plan.meets_targets": {
        "pt-BR": "✅ A previsão atinge as metas do workspace.",
        "en": "✅ The forecast meets the workspace's targets.",
    },
    "crew.plan.warnings": {"pt-BR": "Atenção", "en": "Heads-up"},
    "crew.plan.warn_monthly": {
        "pt-BR": "o gasto previsto passa do limite mensal de {limit}",
        "en": "the planned spend exceeds the monthly limit of {limit}",
    },
    "crew.plan.warn_daily": {
        "pt-BR": "o orçamento diário passa do máximo de {limit} por dia",
        "en": "the daily budget exceeds the maximum of {limit} per day",
    },
    "crew.plan.warn_small_adset": {
        "pt-BR": "algum conjunto ficou com orçamento diário muito baixo para sair do aprendizado",
        "en": "an ad set's daily budget is too small to exit the learning phase",
    },
    "crew.plan.context": {
        "pt-BR": "Valores em {currency} calculados do seu total · variante de prompt “{variant}” · {rounds, plural, one {# rodada} other {# rodadas}}",
        "en": "Amounts in {currency} computed from your total · prompt variant “{variant}” · {rounds, plural, one {# round} other {# rounds}}",
    },
    "crew.plan.next": {
        "pt-BR": "Para criar tudo como rascunhos PAUSADOS, toque no botão ou digite “criar como rascunho”. Nada é ativado sem aprovação.",
        "en": "To create everything as PAUSED drafts, tap the button or type “create as drafts”. Nothing goes live without approval.",
    },
    "crew.plan.button": {"pt-BR": "Criar como rascunhos pausados", "en": "Create as paused drafts"},
    "crew.plan.none": {
        "pt-BR": "Não há um plano pronto nesta conversa. Peça, por exemplo: “planeje uma campanha de Black Friday com R$ 5.000”.",
        "en": "There is no finished plan in this conversation. Ask, for example: “plan a Black Friday campaign with R$ 5,000”.",
    },
    "crew.plan.already": {
        "pt-BR": "Esse plano já foi enviado como rascunho (proposta {proposal}).",
        "en": "This plan was already sent as drafts (proposal {proposal}).",
    },
    "crew.plan.no_account": {
        "pt-BR": "Não há conta de anúncios vinculada para criar os rascunhos.",
        "en": "There is no ad account linked to create the drafts in.",
    },
    "crew.plan.submitted.allow": {
        "pt-BR": "✅ Plano enviado ao supervisor e aprovado pelas regras: os rascunhos são criados PAUSADOS (proposta {proposal}).",
        "en": "✅ Plan sent to the supervisor and allowed by the rules: the drafts are created PAUSED (proposal {proposal}).",
    },
    "crew.plan.submitted.approval": {
        "pt-BR": "📝 Plano enviado ao supervisor (proposta {proposal}). Os rascunhos PAUSADOS serão criados assim que alguém aprovar.",
        "en": "📝 Plan sent to the supervisor (proposal {proposal}). The PAUSED drafts are created as soon as someone approves.",
    },
    "crew.plan.submitted.deny": {
        "pt-BR": "⛔ O supervisor recusou criar esses rascunhos: {reason}",
        "en": "⛔ The supervisor refused to create these drafts: {reason}",
    },
    "crew.confidence.low": {"pt-BR": "baixa", "en": "low"},
    "crew.confidence.medium": {"pt-BR": "média", "en": "medium"},
    "crew.confidence.high": {"pt-BR": "alta", "en": "high"},
    "crew.plan.reason": {
        "pt-BR": "Plano da equipe: {name} ({objective}), {days} dias, {total} no total. {rationale}",
        "en": "Crew plan: {name} ({objective}), {days} days, {total} in total. {rationale}",
    },
    "crew.objective.OUTCOME_SALES": {"pt-BR": "Vendas", "en": "Sales"},
    "crew.objective.OUTCOME_LEADS": {"pt-BR": "Cadastros", "en": "Leads"},
    "crew.objective.OUTCOME_TRAFFIC": {"pt-BR": "Tráfego", "en": "Traffic"},
    "crew.objective.OUTCOME_AWARENESS": {"pt-BR": "Reconhecimento", "en": "Awareness"},
    "crew.objective.OUTCOME_ENGAGEMENT": {"pt-BR": "Engajamento", "en": "Engagement"},
    "crew.objective.OUTCOME_APP_PROMOTION": {"pt-BR": "Promoção de app", "en": "App promotion"},
    # --- analysis -----------------------------------------------------------------------------
    "crew.analysis.title": {"pt-BR": "Análise da conta", "en": "Account analysis"},
    "crew.analysis.findings": {
        "pt-BR": "🔎 O que os números mostram",
        "en": "🔎 What the numbers show",
    },
    "crew.analysis.recommendations": {"pt-BR": "⚙️ Recomendações", "en": "⚙️ Recommendations"},
    "crew.analysis.proposals": {
        "pt-BR": "📝 Propostas enviadas ao supervisor",
        "en": "📝 Proposals sent to the supervisor",
    },
    "crew.analysis.proposal_line": {
        "pt-BR": "{action} “{campaign}” — {verdict} (proposta {proposal})",
        "en": "{action} “{campaign}” — {verdict} (proposal {proposal})",
    },
    "crew.analysis.no_proposals": {
        "pt-BR": "Nenhuma mudança proposta: os números não pedem ação agora.",
        "en": "No change proposed: the numbers don't call for action now.",
    },
    "crew.action.pause": {"pt-BR": "Pausar", "en": "Pause"},
    "crew.action.set_budget": {
        "pt-BR": "Orçamento de {budget}/dia para",
        "en": "Daily budget of {budget} for",
    },
    "crew.verdict.allow": {"pt-BR": "liberada pelas regras", "en": "allowed by the rules"},
    "crew.verdict.approval": {"pt-BR": "aguardando aprovação", "en": "waiting for approval"},
    "crew.verdict.deny": {"pt-BR": "recusada pelas regras", "en": "refused by the rules"},
    # --- copy -----------------------------------------------------------------------------------
    "crew.copy.title": {"pt-BR": "Variações de copy", "en": "Copy variations"},
    "crew.copy.line": {
        "pt-BR": "{n}. {headline} ({hl}/40)\n{primary} ({pl}/125)\n{description}",
        "en": "{n}. {headline} ({hl}/40)\n{primary} ({pl}/125)\n{description}",
    },
    "crew.copy.context": {
        "pt-BR": "Dentro dos limites da Meta: título ≤ 40, texto ≤ 125, descrição ≤ 30 caracteres",
        "en": "Within Meta's limits: headline ≤ 40, primary text ≤ 125, description ≤ 30 characters",
    },
    # --- usage ------------------------------------------------------------------------------------
    "usage.title": {"pt-BR": "Uso do LLM · {period}", "en": "LLM usage · {period}"},
    "usage.period.month": {"pt-BR": "este mês", "en": "this month"},
    "usage.none": {
        "pt-BR": "Nenhum uso de LLM neste mês. Os comandos do dia a dia (relatório, campanhas, pausar, orçamento) não usam LLM.",
        "en": "No LLM usage this month. Everyday commands (report, campaigns, pause, budget) never use the LLM.",
    },
    "usage.total": {
        "pt-BR": "Execuções: {runs} · tokens: {tokens} ({prompt} de entrada, {completion} de saída) · custo estimado: {cost}",
        "en": "Runs: {runs} · tokens: {tokens} ({prompt} in, {completion} out) · estimated cost: {cost}",
    },
    "usage.by_flow": {"pt-BR": "Por tipo de pedido", "en": "By kind of request"},
    "usage.by_variant": {"pt-BR": "Por variante de prompt", "en": "By prompt variant"},
    "usage.line": {
        "pt-BR": "{name}: execuções {runs} · tokens {tokens} · {cost}",
        "en": "{name}: runs {runs} · tokens {tokens} · {cost}",
    },
    "usage.unpriced": {
        "pt-BR": "Sem preço conhecido (contado como zero): {models}",
        "en": "No known price (counted as zero): {models}",
    },
    "usage.context": {
        "pt-BR": "Comandos de rotina não usam LLM · modelo atual: {model}",
        "en": "Routine commands never use the LLM · current model: {model}",
    },
    "usage.flow.plan": {"pt-BR": "Planejamento", "en": "Planning"},
    "usage.flow.analyse": {"pt-BR": "Análise", "en": "Analysis"},
    "usage.flow.copy": {"pt-BR": "Copy", "en": "Copy"},
    "usage.flow.answer": {"pt-BR": "Perguntas", "en": "Questions"},
    "usage.no_model": {"pt-BR": "nenhum", "en": "none"},
}

register(MESSAGES)
