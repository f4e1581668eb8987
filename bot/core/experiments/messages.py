"""A/B tests' messages (pt-BR first, English second), registered with the i18n catalog."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "experiments.metric.ctr": {"pt-BR": "CTR", "en": "CTR"},
    "experiments.metric.cvr": {"pt-BR": "taxa de conversão", "en": "conversion rate"},
    "experiments.metric.cpa": {"pt-BR": "CPA", "en": "CPA"},
    "experiments.metric.roas": {"pt-BR": "ROAS", "en": "ROAS"},
    "experiments.design.head": {
        "pt-BR": "Teste A/B #{number}: {name}.",
        "en": "A/B test #{number}: {name}.",
    },
    "experiments.design.variants": {
        "pt-BR": "Variações — {variants}.",
        "en": "Variants — {variants}.",
    },
    "experiments.design.split": {
        "pt-BR": "Divisão {split}: um conjunto por variação com o mesmo orçamento ({budget}/dia cada, {total}/dia no total), criado pausado.",
        "en": "Split {split}: one ad set per variant with the same budget ({budget}/day each, {total}/day in all), created paused.",
    },
    "experiments.design.metric": {
        "pt-BR": "Métrica principal: {metric}.",
        "en": "Primary metric: {metric}.",
    },
    "experiments.design.mde": {
        "pt-BR": "Efeito mínimo detectável: {mde} em {weeks, plural, one {# semana} other {# semanas}} ({days} dias; poder 80%, α 5%, base: {history} dias da própria conta).",
        "en": "Minimum detectable effect: {mde} in {weeks, plural, one {# week} other {# weeks}} ({days} days; 80% power, α 5%, baseline: the account's own last {history} days).",
    },
    "experiments.design.long": {
        "pt-BR": "Para detectar {lift} seriam {weeks} semanas: o teste para antes, no máximo de 6 semanas.",
        "en": "Detecting {lift} would take {weeks} weeks: the test stops earlier, at the 6-week maximum.",
    },
    "experiments.design.next": {
        "pt-BR": "Depois de criado, para começar: “iniciar teste {number}”.",
        "en": "Once created, to begin: “start test {number}”.",
    },
    "experiments.card.title": {
        "pt-BR": "🧪 Teste #{number} · {name}",
        "en": "🧪 Test #{number} · {name}",
    },
    "experiments.status.proposed": {
        "pt-BR": "Aguardando aprovação para criar os objetos (pausados).",
        "en": "Waiting for approval to create the objects (paused).",
    },
    "experiments.status.created": {
        "pt-BR": "Criado pausado na Meta. Para começar: “iniciar teste {number}”.",
        "en": "Created paused on Meta. To begin: “start test {number}”.",
    },
    "experiments.status.starting": {
        "pt-BR": "Aguardando aprovação para iniciar.",
        "en": "Waiting for approval to start.",
    },
    "experiments.status.rejected": {
        "pt-BR": "Não foi criado (proposta recusada, expirada ou com falha).",
        "en": "Not created (proposal rejected, expired or failed).",
    },
    "experiments.status.stopped": {"pt-BR": "Teste encerrado.", "en": "Test ended."},
    "experiments.status.applied": {
        "pt-BR": "Vencedor aplicado: perdedores pausados e orçamento movido para {winner}.",
        "en": "Winner applied: losers paused and budget moved to {winner}.",
    },
    "experiments.status.waiting_data": {
        "pt-BR": "Rodando desde {since}; primeiro resultado em {first}, com o dia {since} completo.",
        "en": "Running since {since}; first result on {first}, once {since} is complete.",
    },
    "experiments.card.variant": {"pt-BR": "{label}: “{name}”", "en": "{label}: “{name}”"},
    "experiments.card.plan": {
        "pt-BR": "{metric} · {budget}/dia por variação · até {days} dias",
        "en": "{metric} · {budget}/day per variant · up to {days} days",
    },
    "experiments.card.chart": {
        "pt-BR": "{metric} acumulado por variação",
        "en": "Cumulative {metric} per variant",
    },
    "experiments.button.start": {"pt-BR": "Iniciar teste", "en": "Start test"},
    "experiments.button.stop": {"pt-BR": "Parar teste", "en": "Stop test"},
    "experiments.button.apply": {"pt-BR": "Aplicar vencedor", "en": "Apply winner"},
    "experiments.button.end": {"pt-BR": "Encerrar teste", "en": "End test"},
    "experiments.none": {
        "pt-BR": 'Nenhum teste ainda. Exemplo: teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"',
        "en": 'No tests yet. Example: A/B test on remarketing: "Free shipping today" vs "Only until Sunday"',
    },
    "experiments.list.title": {"pt-BR": "🧪 Testes A/B", "en": "🧪 A/B tests"},
    "experiments.list.line": {
        "pt-BR": "#{number} · {name} — {status}",
        "en": "#{number} · {name} — {status}",
    },
    "experiments.state.proposed": {"pt-BR": "aguardando aprovação", "en": "waiting for approval"},
    "experiments.state.created": {"pt-BR": "criado, pausado", "en": "created, paused"},
    "experiments.state.starting": {"pt-BR": "aguardando início", "en": "waiting to start"},
    "experiments.state.running": {
        "pt-BR": "rodando, dia {day} de {days}",
        "en": "running, day {day} of {days}",
    },
    "experiments.state.winner": {"pt-BR": "vencedor: {winner}", "en": "winner: {winner}"},
    "experiments.state.inconclusive": {"pt-BR": "inconclusivo", "en": "inconclusive"},
    "experiments.state.stopped_guardrail": {
        "pt-BR": "parado pelo limite de CPA",
        "en": "stopped by the CPA guardrail",
    },
    "experiments.state.stopped": {"pt-BR": "encerrado", "en": "ended"},
    "experiments.state.rejected": {"pt-BR": "não criado", "en": "not created"},
    "experiments.state.applied": {
        "pt-BR": "vencedor aplicado ({winner})",
        "en": "winner applied ({winner})",
    },
    "experiments.not_found": {
        "pt-BR": "Não encontrei o teste {number}. Diga “testes” para ver a lista.",
        "en": "I couldn't find test {number}. Say “tests” to see the list.",
    },
    "experiments.no_history": {
        "pt-BR": "Não consigo planejar esse teste: “{name}” não teve entrega nos últimos 28 dias, e sem a taxa da própria conta não há como calcular o efeito mínimo detectável nem a duração.",
        "en": "I can't plan this test: “{name}” had no delivery in the last 28 days, and without the account's own rate there is no minimum detectable effect or duration to compute.",
    },
    "experiments.no_campaign": {
        "pt-BR": "Não há campanha ativa na conta para testar.",
        "en": "There is no active campaign in the account to test on.",
    },
    "experiments.too_many": {
        "pt-BR": "Um teste compara de 2 a {max} variações; você pediu {count}.",
        "en": "A test compares 2 to {max} variants; you asked for {count}.",
    },
    "experiments.ads_missing": {
        "pt-BR": "A conta tem {count, plural, one {# anúncio ativo} other {# anúncios ativos}} (numerados por gasto nos últimos 7 dias); não há anúncio {missing}.",
        "en": "The account has {count, plural, one {# active ad} other {# active ads}} (numbered by spend over the last 7 days); there is no ad {missing}.",
    },
    "experiments.no_copies": {
        "pt-BR": "Não encontrei variações de copy recentes nesta conversa. Peça primeiro, por exemplo: “escreva 3 headlines para o remarketing”.",
        "en": "I found no recent copy variations in this conversation. Ask first, for example: “write 3 headlines for remarketing”.",
    },
    "experiments.few_copies": {
        "pt-BR": "A última resposta de copy tem {have} variações; não dá para testar {count}.",
        "en": "The last copy answer has {have} variations; I can't test {count}.",
    },
    "experiments.audience_unknown": {
        "pt-BR": "Não encontrei o público “{name}” nos conjuntos da conta. Públicos que conheço: lookalike, interesses, remarketing, amplo.",
        "en": "I couldn't find the audience “{name}” in the account's ad sets. Audiences I know: lookalike, interests, remarketing, broad.",
    },
    "experiments.cannot_start": {
        "pt-BR": "O teste {number} está “{status}”: só um teste criado e pausado pode ser iniciado.",
        "en": "Test {number} is “{status}”: only a created, paused test can be started.",
    },
    "experiments.cannot_apply": {
        "pt-BR": "O teste {number} não tem vencedor declarado ({status}).",
        "en": "Test {number} has no declared winner ({status}).",
    },
    "experiments.no_winner_yet": {
        "pt-BR": "Nenhum teste com vencedor a aplicar.",
        "en": "No test with a winner to apply.",
    },
    "experiments.already_ended": {
        "pt-BR": "O teste {number} já terminou ({status}).",
        "en": "Test {number} has already ended ({status}).",
    },
    "experiments.stop.reason": {
        "pt-BR": "Encerrar o teste A/B #{number} ({name}).",
        "en": "End A/B test #{number} ({name}).",
    },
    "experiments.start.reason": {
        "pt-BR": "Iniciar o teste A/B #{number} ({name}): ativa a campanha com seus conjuntos e anúncios.",
        "en": "Start A/B test #{number} ({name}): activates the campaign with its ad sets and ads.",
    },
    "experiments.stop.study": {
        "pt-BR": "Encerra também o teste dividido da Meta (estudo {study}): os conjuntos voltam a dividir o mesmo público.",
        "en": "Also ends Meta's split test (study {study}): the ad sets share one audience again.",
    },
    "experiments.start.study": {
        "pt-BR": "Cria também o teste dividido da Meta (split test) por {days} dias: a Meta sorteia as pessoas entre as variações, sem sobreposição.",
        "en": "Also creates Meta's split test for {days} days: Meta randomises people between the variants, with no overlap.",
    },
    "experiments.method.split_test": {
        "pt-BR": "Método: teste dividido da Meta (split test): cada pessoa cai em uma só variação, conjuntos com o mesmo orçamento; criado ao iniciar.",
        "en": "Method: Meta split test: each person falls in one variant only, ad sets with the same budget; created at the start.",
    },
    "experiments.method.ad_sets": {
        "pt-BR": "Método: um conjunto por variação com o mesmo orçamento (os públicos podem se sobrepor).",
        "en": "Method: one ad set per variant with the same budget (the audiences may overlap).",
    },
    "experiments.method.study_id": {
        "pt-BR": "Estudo na Meta: {study}.",
        "en": "Meta study: {study}.",
    },
    "experiments.placement_unknown": {
        "pt-BR": "Não reconheci o posicionamento “{name}”. Posicionamentos que conheço: feed, stories, reels, instagram, facebook, messenger, audience network, automático.",
        "en": "I didn't recognise the placement “{name}”. Placements I know: feed, stories, reels, instagram, facebook, messenger, audience network, automatic.",
    },
    "experiments.apply.pause_reason": {
        "pt-BR": "Teste #{number}: {loser} perdeu para {winner}; pausar o perdedor.",
        "en": "Test #{number}: {loser} lost to {winner}; pause the loser.",
    },
    "experiments.apply.budget_reason": {
        "pt-BR": "Teste #{number}: {winner} venceu; recebe o orçamento dos perdedores.",
        "en": "Test #{number}: {winner} won; it gets the losers' budget.",
    },
    "experiments.guardrail.reason": {
        "pt-BR": "Teste #{number}: o CPA de {variant} passou de 2x a meta; pausar essa variação.",
        "en": "Test #{number}: {variant}'s CPA went over 2x the target; pause that variant.",
    },
    "experiments.submitted": {
        "pt-BR": "Pronto: {count, plural, one {# proposta enviada} other {# propostas enviadas}} ao supervisor.",
        "en": "Done: {count, plural, one {# proposal sent} other {# proposals sent}} to the supervisor.",
    },
    "experiments.works.title": {
        "pt-BR": "📚 O que funciona (testes concluídos)",
        "en": "📚 What works (concluded tests)",
    },
    "experiments.works.none": {
        "pt-BR": 'Ainda não há testes concluídos. Crie um: teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"',
        "en": 'No concluded tests yet. Create one: A/B test on remarketing: "Free shipping today" vs "Only until Sunday"',
    },
    "experiments.learning.won": {
        "pt-BR": "Teste #{number} ({kind}, {segment}, público {audience}): “{winner}” venceu “{control}” em {metric}: {lift} (IC 90%: {low} a {high}), {days} dias, {units} por variação.",
        "en": "Test #{number} ({kind}, {segment}, audience {audience}): “{winner}” beat “{control}” on {metric}: {lift} (90% CI: {low} to {high}), {days} days, {units} per variant.",
    },
    "experiments.learning.tie": {
        "pt-BR": "Teste #{number} ({kind}, {segment}, público {audience}): sem diferença clara entre “{winner}” e “{control}” em {metric}: {lift} (IC 90%: {low} a {high}), {days} dias.",
        "en": "Test #{number} ({kind}, {segment}, audience {audience}): no clear difference between “{winner}” and “{control}” on {metric}: {lift} (90% CI: {low} to {high}), {days} days.",
    },
    "experiments.units.ctr": {"pt-BR": "{n} impressões", "en": "{n} impressions"},
    "experiments.units.cvr": {"pt-BR": "{n} cliques", "en": "{n} clicks"},
    "experiments.units.cpa": {"pt-BR": "{n} de gasto", "en": "{n} spent"},
    "experiments.units.roas": {"pt-BR": "{n} de gasto", "en": "{n} spent"},
    "experiments.kind.copy": {"pt-BR": "copy", "en": "copy"},
    "experiments.kind.creative": {"pt-BR": "criativo", "en": "creative"},
    "experiments.kind.audience": {"pt-BR": "público", "en": "audience"},
    "experiments.kind.refresh": {"pt-BR": "copy nova", "en": "fresh copy"},
    "experiments.fatigue.title": {
        "pt-BR": "😴 Criativo cansado: {ad}",
        "en": "😴 Tired creative: {ad}",
    },
    "experiments.fatigue.body": {
        "pt-BR": "O CTR de “{ad}” caiu {drop} com a frequência acumulada (IC 90% da inclinação abaixo de zero) em {days} dias. Proponho pausar o anúncio e testar uma copy nova contra o melhor anúncio atual, “{best}”.",
        "en": "“{ad}”'s CTR fell {drop} as cumulative frequency grew (90% interval of the slope below zero) over {days} days. I propose pausing the ad and testing fresh copy against the current best ad, “{best}”.",
    },
    "experiments.fatigue.pause_reason": {
        "pt-BR": "Criativo cansado: o CTR de “{ad}” caiu {drop} com a frequência.",
        "en": "Tired creative: “{ad}”'s CTR fell {drop} with frequency.",
    },
    "experiments.fatigue.no_llm": {
        "pt-BR": 'Sem um LLM configurado não escrevo copy nova; peça um teste com o seu texto: teste A/B na campanha: "texto A" vs "texto B".',
        "en": 'Without an LLM configured I can\'t write fresh copy; ask for a test with your text: A/B test on the campaign: "text A" vs "text B".',
    },
}

register(MESSAGES)
