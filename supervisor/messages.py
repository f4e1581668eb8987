"""The supervisor's words: approval cards, warnings, refusals and history, pt-BR first."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # --- what an action does ----------------------------------------------------------------
    "supervisor.level.campaign": {"pt-BR": "a campanha", "en": "campaign"},
    "supervisor.level.adset": {"pt-BR": "o conjunto de anúncios", "en": "ad set"},
    "supervisor.level.ad": {"pt-BR": "o anúncio", "en": "ad"},
    "supervisor.level.account": {"pt-BR": "a conta", "en": "account"},
    "supervisor.level_of.campaign": {"pt-BR": "da campanha", "en": "of campaign"},
    "supervisor.level_of.adset": {"pt-BR": "do conjunto de anúncios", "en": "of ad set"},
    "supervisor.level_of.ad": {"pt-BR": "do anúncio", "en": "of ad"},
    "supervisor.level_of.account": {"pt-BR": "da conta", "en": "of account"},
    "supervisor.action.pause": {"pt-BR": "pausar {level} “{name}”", "en": "pause {level} “{name}”"},
    "supervisor.action.resume": {
        "pt-BR": "ativar {level} “{name}”",
        "en": "resume {level} “{name}”",
    },
    "supervisor.action.activate": {
        "pt-BR": "ativar pela primeira vez {level} “{name}”",
        "en": "activate {level} “{name}” for the first time",
    },
    "supervisor.action.delete": {
        "pt-BR": "excluir {level} “{name}”",
        "en": "delete {level} “{name}”",
    },
    "supervisor.action.set_budget": {
        "pt-BR": "mudar o orçamento diário {level_of} “{name}” de {current} para {new}",
        "en": "change the daily budget {level_of} “{name}” from {current} to {new}",
    },
    "supervisor.action.create_draft": {
        "pt-BR": "criar o rascunho de campanha “{name}” (pausado)",
        "en": "create the campaign draft “{name}” (paused)",
    },
    "supervisor.proposer.user": {"pt-BR": "{name}", "en": "{name}"},
    "supervisor.proposer.agent": {"pt-BR": "agente {name}", "en": "agent {name}"},
    "supervisor.proposer.schedule": {"pt-BR": "rotina {name}", "en": "schedule {name}"},
    "supervisor.proposer.system": {"pt-BR": "sistema", "en": "system"},
    "supervisor.verdict.allow": {"pt-BR": "liberado", "en": "allowed"},
    "supervisor.verdict.approval": {"pt-BR": "precisa de aprovação", "en": "needs approval"},
    "supervisor.verdict.deny": {"pt-BR": "negado", "en": "denied"},
    "supervisor.state.pending": {"pt-BR": "aguardando aprovação", "en": "awaiting approval"},
    "supervisor.state.approved": {"pt-BR": "aprovado", "en": "approved"},
    "supervisor.state.rejected": {"pt-BR": "rejeitado", "en": "rejected"},
    "supervisor.state.expired": {"pt-BR": "expirado", "en": "expired"},
    "supervisor.state.executing": {"pt-BR": "em execução", "en": "executing"},
    "supervisor.state.executed": {"pt-BR": "executado", "en": "executed"},
    "supervisor.state.failed": {"pt-BR": "não executado", "en": "not executed"},
    "supervisor.state.denied": {"pt-BR": "negado", "en": "denied"},
    "supervisor.state.cancelled": {  # issue 13: its ad account was unlinked
        "pt-BR": "cancelado (conta desvinculada)",
        "en": "cancelled (account unlinked)",
    },
    # --- the approval card ----------------------------------------------------------------
    "supervisor.card.title": {"pt-BR": "Aprovação necessária", "en": "Approval needed"},
    "supervisor.card.title_decided": {"pt-BR": "Pedido de alteração", "en": "Change request"},
    "supervisor.card.action": {"pt-BR": "Ação: {action}", "en": "Action: {action}"},
    "supervisor.card.requested": {
        "pt-BR": "Pedido por {who} · {reason}",
        "en": "Requested by {who} · {reason}",
    },
    "supervisor.card.reason_label": {  # issue 13: whose words, never the card's own
        "pt-BR": "motivo, nas palavras de quem pediu",
        "en": "reason, in the requester's words",
    },
    "supervisor.card.requested_no_reason": {
        "pt-BR": "Pedido por {who}",
        "en": "Requested by {who}",
    },
    "supervisor.card.warnings": {"pt-BR": "Atenção:", "en": "Warnings:"},
    "supervisor.card.expires": {
        "pt-BR": "Expira em {at} se ninguém decidir.",
        "en": "Expires {at} if nobody decides.",
    },
    "supervisor.card.figure.ctr": {"pt-BR": "CTR 7 dias", "en": "7-day CTR"},
    "supervisor.card.figure.spend": {"pt-BR": "Gasto 7 dias", "en": "7-day spend"},
    "supervisor.card.figure.budget": {"pt-BR": "Orçamento diário", "en": "Daily budget"},
    "supervisor.card.figure.projected": {
        "pt-BR": "Projeção do mês",
        "en": "Month projection",
    },
    "supervisor.card.figure.limit": {"pt-BR": "Limite mensal", "en": "Monthly limit"},
    "supervisor.button.approve": {"pt-BR": "Aprovar", "en": "Approve"},
    "supervisor.button.reject": {"pt-BR": "Rejeitar", "en": "Reject"},
    "supervisor.button.undo": {"pt-BR": "Desfazer", "en": "Undo"},
    "supervisor.confirm.approve": {
        "pt-BR": "Confirmar: {action}?",
        "en": "Confirm: {action}?",
    },
    "supervisor.card.approved_by": {
        "pt-BR": "✅ Aprovado por {who} ({channel}) em {at}.",
        "en": "✅ Approved by {who} ({channel}) at {at}.",
    },
    "supervisor.card.rejected_by": {
        "pt-BR": "❌ Rejeitado por {who} ({channel}) em {at}. Nada foi alterado.",
        "en": "❌ Rejected by {who} ({channel}) at {at}. Nothing was changed.",
    },
    "supervisor.card.auto": {
        "pt-BR": "Dentro das regras: executado sem precisar de aprovação.",
        "en": "Within the rules: runs without approval.",
    },
    "supervisor.card.expired": {
        "pt-BR": "⌛ Expirou sem decisão. Nada foi alterado.",
        "en": "⌛ Expired without a decision. Nothing was changed.",
    },
    "supervisor.card.executing": {"pt-BR": "⏳ Executando…", "en": "⏳ Executing…"},
    "supervisor.card.executed": {
        "pt-BR": "✔️ Feito na conta {platform} em {at}.",
        "en": "✔️ Done on {platform} at {at}.",
    },
    "supervisor.card.undone": {
        "pt-BR": "↩️ Desfeito por {who} em {at}.",
        "en": "↩️ Undone by {who} at {at}.",
    },
    "supervisor.card.undo_until": {
        "pt-BR": "Dá para desfazer até {at}.",
        "en": "You can undo it until {at}.",
    },
    "supervisor.card.failed": {
        "pt-BR": "⚠️ Não foi executado: {error}",
        "en": "⚠️ Not executed: {error}",
    },
    "supervisor.card.stale": {
        "pt-BR": (
            "⚠️ O alvo mudou desde o pedido ({before} → {now}); não apliquei às cegas e "
            "reavaliei com os dados novos."
        ),
        "en": (
            "⚠️ The target changed since the request ({before} → {now}); I did not apply it "
            "blindly and re-evaluated with the new data."
        ),
    },
    "supervisor.card.stale_done": {
        "pt-BR": "Já está no valor pedido; nada a fazer.",
        "en": "It already has the requested value; nothing to do.",
    },
    "supervisor.card.denied": {
        "pt-BR": "⛔ Não posso {action}:",
        "en": "⛔ I can't {action}:",
    },
    "supervisor.error.ambiguous": {
        "pt-BR": "a plataforma não confirmou a alteração; confira na conta antes de tentar de novo",
        "en": "the platform did not confirm the change; check the account before trying again",
    },
    # --- warnings (needs approval) -------------------------------------------------------
    "supervisor.warn.high_ctr": {
        "pt-BR": "CTR dos últimos 7 dias de {ctr} (acima de {threshold}): parar pode derrubar resultados.",
        "en": "7-day CTR of {ctr} (above {threshold}): stopping it may hurt results.",
    },
    "supervisor.warn.high_spend": {
        "pt-BR": "Gasto de {spend} nos últimos 7 dias (acima de {threshold}).",
        "en": "Spend of {spend} over the last 7 days (above {threshold}).",
    },
    "supervisor.warn.last_active": {
        "pt-BR": "É a última campanha ativa: a conta ficará sem anúncios no ar.",
        "en": "It is the last active campaign: the account would have no ads running.",
    },
    "supervisor.warn.learning_phase": {
        "pt-BR": (
            "Mudança de {change} no orçamento ({current} → {new}), acima de {threshold}: "
            "pode reiniciar a fase de aprendizado."
        ),
        "en": (
            "Budget change of {change} ({current} → {new}), above {threshold}: it may reset "
            "the learning phase."
        ),
    },
    "supervisor.warn.recent_change": {
        "pt-BR": "Já foi alterado {count}x nas últimas {hours} h (última vez em {last}).",
        "en": "Already changed {count}x in the last {hours} h (last at {last}).",
    },
    "supervisor.warn.month_projection": {
        "pt-BR": "A projeção do mês iria a {projected}, acima do limite mensal de {limit} (gasto até agora: {month_spend}).",
        "en": "The month projection would reach {projected}, above the monthly limit of {limit} (spent so far: {month_spend}).",
    },
    "supervisor.warn.always": {
        "pt-BR": "Esse tipo de ação sempre precisa de aprovação.",
        "en": "This kind of action always needs approval.",
    },
    "supervisor.warn.agent_created": {
        "pt-BR": "Foi criado por um agente: ativar sempre precisa de aprovação humana.",
        "en": "An agent created it: activating it always needs human approval.",
    },
    "supervisor.warn.automated_activation": {
        "pt-BR": "Ativação pedida por automação: precisa de aprovação humana.",
        "en": "Activation requested by automation: it needs human approval.",
    },
    "supervisor.warn.autonomy_manual": {
        "pt-BR": "Autonomia manual: propostas de agentes e rotinas esperam uma pessoa.",
        "en": "Manual autonomy: proposals from agents and schedules wait for a person.",
    },
    "supervisor.warn.autonomy_assisted": {
        "pt-BR": "Autonomia assistida: só mudanças protetivas rodam sozinhas; esta espera uma pessoa.",
        "en": "Assisted autonomy: only protective changes run by themselves; this one waits for a person.",
    },
    "supervisor.warn.fast_track": {
        "pt-BR": "Via rápida: o gasto do mês ({month_spend}) já passou do limite ({limit}); pausar interrompe o excesso agora.",
        "en": "Fast track: month spend ({month_spend}) is already past the limit ({limit}); pausing stops the overspend now.",
    },
    # --- denials ----------------------------------------------------------------------------
    "supervisor.deny.token_invalid": {
        "pt-BR": "o acesso à conta de anúncios está inválido; um administrador precisa reconectá-la.",
        "en": "access to the ad account is invalid; an admin needs to reconnect it.",
    },
    "supervisor.deny.not_found": {
        "pt-BR": "não encontrei esse objeto na conta de anúncios.",
        "en": "that object was not found in the ad account.",
    },
    "supervisor.deny.noop": {
        "pt-BR": "o status já é “{status}”; nada a fazer.",
        "en": "the status is already “{status}”; nothing to do.",
    },
    "supervisor.deny.deleted": {
        "pt-BR": "o objeto foi excluído.",
        "en": "the object was deleted.",
    },
    "supervisor.deny.too_many_automated": {
        "pt-BR": "já houve {count} mudanças automáticas nesta conta hoje (máximo {max} por dia).",
        "en": "there were already {count} automated changes to this account today (at most {max} a day).",
    },
    "supervisor.deny.bad_budget": {
        "pt-BR": "o orçamento precisa ser maior que zero.",
        "en": "the budget must be greater than zero.",
    },
    "supervisor.deny.no_budget": {
        "pt-BR": "não há orçamento diário neste nível (o orçamento está nos conjuntos de anúncios).",
        "en": "there is no daily budget at this level (the budget is on the ad sets).",
    },
    "supervisor.deny.same_budget": {
        "pt-BR": "o orçamento diário já é {new}.",
        "en": "the daily budget already is {new}.",
    },
    # --- issue 13: resume/activate by the money they turn on; runs capped at their requester ---
    "supervisor.warn.resume_budget": {
        "pt-BR": "Reativar volta a gastar {budget} por dia (a partir de {threshold} precisa de "
        "aprovação).",
        "en": "Resuming spends {budget} a day again (from {threshold} it needs approval).",
    },
    "supervisor.deny.resume_above_max": {
        "pt-BR": "reativar voltaria a gastar {budget} por dia, acima do orçamento diário máximo "
        "do workspace ({max}).",
        "en": "resuming would spend {budget} a day again, above the workspace's maximum daily "
        "budget ({max}).",
    },
    "supervisor.deny.requester_role": {
        "pt-BR": "quem pediu não tem (mais) o papel de operador, necessário para pedir mudanças.",
        "en": "whoever asked does not have (any more) the operator role needed to ask for changes.",
    },
    # --- end of issue 13 ---
    "supervisor.deny.above_max": {
        "pt-BR": "{new} passa do orçamento diário máximo do workspace ({max}).",
        "en": "{new} is above the workspace's maximum daily budget ({max}).",
    },
    "supervisor.deny.step_too_big": {
        "pt-BR": "aumento de {change} de uma vez ({current} → {new}); o máximo por passo é {max_step}.",
        "en": "a {change} increase in one step ({current} → {new}); at most {max_step} per step.",
    },
    # --- refusals (deciding and undoing) -------------------------------------------------------
    "supervisor.refuse.not_approver": {
        "pt-BR": "Desculpe, só aprovadores ou administradores deste workspace podem decidir esse pedido. Registrei sua tentativa.",
        "en": "Sorry, only approvers or admins of this workspace can decide this request. Your attempt was recorded.",
    },
    "supervisor.refuse.over_authority": {
        "pt-BR": "Isso passa do seu limite diário de aprovação ({limit}; já aprovado hoje: {used}; este pedido: {amount}). Um administrador precisa aprovar.",
        "en": "That is above your daily approval limit ({limit}; approved today: {used}; this request: {amount}). An admin must approve it.",
    },
    "supervisor.refuse.already": {
        "pt-BR": "Esse pedido já foi decidido ({state}).",
        "en": "That request was already decided ({state}).",
    },
    "supervisor.reason.ask": {
        "pt-BR": "Rejeitado. Se quiser, diga o motivo (ex.: “motivo: ainda está em teste”) e eu levo isso em conta nas próximas propostas.",
        "en": "Rejected. If you like, tell me why (e.g. “reason: still testing it”) and I'll take it into account next time.",
    },
    "supervisor.reason.noted": {
        "pt-BR": "Anotado: “{reason}” ({action}). Vou levar isso em conta nas próximas propostas.",
        "en": "Noted: “{reason}” ({action}). I'll take it into account in future proposals.",
    },
    "supervisor.reason.nothing": {
        "pt-BR": "Não encontrei uma decisão sua nas últimas 2 horas para anexar esse motivo.",
        "en": "I found no decision of yours in the last 2 hours to attach that reason to.",
    },
    "supervisor.refuse.expired": {
        "pt-BR": "Esse pedido expirou sem decisão; nada foi alterado. Peça de novo se ainda fizer sentido.",
        "en": "That request expired without a decision; nothing was changed. Ask again if it still makes sense.",
    },
    "supervisor.refuse.unknown": {
        "pt-BR": "Não encontrei esse pedido.",
        "en": "I couldn't find that request.",
    },
    "supervisor.refuse.undo_expired": {
        "pt-BR": "O prazo para desfazer ({hours} h) já passou.",
        "en": "The undo window ({hours} h) has passed.",
    },
    "supervisor.refuse.undo_already": {
        "pt-BR": "Isso já foi desfeito (ou o desfazer está em andamento).",
        "en": "That was already undone (or the undo is under way).",
    },
    "supervisor.refuse.not_undoable": {
        "pt-BR": "Essa ação não pode ser desfeita.",
        "en": "That action cannot be undone.",
    },
    "supervisor.refuse.cannot_propose": {
        "pt-BR": "Desculpe, desfazer precisa do papel de operador ou acima.",
        "en": "Sorry, undoing needs the operator role or above.",
    },
    # --- history ------------------------------------------------------------------------------
    "history.title": {"pt-BR": "Histórico", "en": "History"},
    "history.empty": {
        "pt-BR": "Nada registrado ainda: nenhuma alteração foi proposta.",
        "en": "Nothing recorded yet: no change was proposed.",
    },
    "history.line": {"pt-BR": "{at} · {who} · {what}", "en": "{at} · {who} · {what}"},
    "history.proposal.created": {
        "pt-BR": "pediu para {action} → {verdict}",
        "en": "asked to {action} → {verdict}",
    },
    "history.proposal.approved": {"pt-BR": "aprovou: {action}", "en": "approved: {action}"},
    "history.settings.changed": {
        "pt-BR": "mudou {field}: {before} → {after}",
        "en": "changed {field}: {before} → {after}",
    },
    "history.proposal.reason": {
        "pt-BR": "explicou a decisão sobre {action}: “{reason}”",
        "en": "explained the decision on {action}: “{reason}”",
    },
    "history.proposal.rejected": {"pt-BR": "rejeitou: {action}", "en": "rejected: {action}"},
    "history.proposal.expired": {
        "pt-BR": "expirou sem decisão: {action}",
        "en": "expired without a decision: {action}",
    },
    "history.proposal.executed": {
        "pt-BR": "executado na plataforma: {action}",
        "en": "executed on the platform: {action}",
    },
    "history.proposal.failed": {
        "pt-BR": "não executado: {action} ({error})",
        "en": "not executed: {action} ({error})",
    },
    "history.proposal.stale": {
        "pt-BR": "o alvo mudou antes de executar, reavaliado: {action}",
        "en": "the target changed before execution, re-evaluated: {action}",
    },
    "history.approval.refused": {
        "pt-BR": "tentou decidir sem permissão: {action}",
        "en": "tried to decide without permission: {action}",
    },
    "history.approval.ignored": {
        "pt-BR": "clicou em um pedido já {state}: {action}",
        "en": "clicked a request already {state}: {action}",
    },
    "history.undo": {"pt-BR": " (desfazer)", "en": " (undo)"},
    "history.more": {
        "pt-BR": "Mostrando os últimos {count}. Todo o registro: mediabrain audit",
        "en": "Showing the latest {count}. Full log: mediabrain audit",
    },
    # --- issue 15: undo as a restoration, budget floors ---
    "supervisor.deny.changed_since": {
        "pt-BR": "o alvo mudou desde aquela mudança (agora {now}); desfazer não volta mais ao valor anterior.",
        "en": "the target changed since that change (now {now}); undo no longer restores the previous value.",
    },
    "supervisor.deny.changed_since_status": {
        "pt-BR": "o alvo mudou desde aquela mudança (agora “{status}”); desfazer não volta mais ao estado anterior.",
        "en": "the target changed since that change (now “{status}”); undo no longer restores the previous state.",
    },
    "supervisor.card.no_undo_archive": {
        "pt-BR": "🗄️ Não dá para desfazer: a campanha é arquivada na Meta e uma campanha arquivada não volta a rodar (os dados e relatórios ficam).",
        "en": "🗄️ This cannot be undone: the campaign is archived on Meta and an archived campaign never runs again (its data and reports stay).",
    },
    "supervisor.warn.below_floor": {
        "pt-BR": "O novo orçamento ({new}) é menor que {floor}% do atual ({current}) ou que o mínimo de {minimum}: confira se não é um erro de digitação.",
        "en": "The new budget ({new}) is under {floor}% of the current one ({current}) or under the minimum of {minimum}: check it is not a typo.",
    },
    # --- who asked, by name (issue 15: no raw ids on a card) ---------------------------------
    "supervisor.schedule_name.nightly-optimization": {
        "pt-BR": "otimização noturna",
        "en": "nightly optimization",
    },
    "supervisor.schedule_name.budget-check": {
        "pt-BR": "verificação de orçamento",
        "en": "budget check",
    },
    "supervisor.schedule_name.daily-report": {"pt-BR": "relatório diário", "en": "daily report"},
    "supervisor.schedule_name.morning-digest": {"pt-BR": "resumo da manhã", "en": "morning digest"},
    "supervisor.schedule_name.metrics-sync": {
        "pt-BR": "sincronização de métricas",
        "en": "metrics sync",
    },
    "supervisor.schedule_name.expire-approvals": {
        "pt-BR": "expiração de pedidos",
        "en": "request expiry",
    },
    "supervisor.agent_name.strategist": {"pt-BR": "Estrategista", "en": "Strategist"},
    "supervisor.agent_name.creative": {"pt-BR": "Diretor criativo", "en": "Creative director"},
    "supervisor.agent_name.copywriter": {"pt-BR": "Copywriter", "en": "Copywriter"},
    "supervisor.agent_name.optimizer": {"pt-BR": "Otimizador", "en": "Optimizer"},
    "supervisor.agent_name.analyst": {"pt-BR": "Analista", "en": "Analyst"},
}

register(MESSAGES)
