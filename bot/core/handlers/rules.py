"""Rules from rules tools, judged before they act: a backtest over the history, a shadow run.

``testar regra: pausar se CPA > 2x a meta por 3 dias`` replays the rule over the last
30 days (what it would have done, as it would have seen the figures then, and the
effect the brain's models estimate); ``regra em modo sombra`` watches it every night
for N days without acting and reports; ``regras`` lists the rules in shadow mode.
Nothing here writes to an ad account.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from analytics.brain.account import rule_history, view_of
from analytics.brain.backtest import Backtest, Rule, replay
from bot.core.context import TurnContext
from storage.models import ShadowRule, WorkspaceSettings
from storage.money import major_to_whole_minor
from vocabulary.i18n import Locale, register
from vocabulary.parsing import Args
from vocabulary.replies import Reply

MESSAGES: dict[str, dict[str, str]] = {
    "rules.unknown": {
        "pt-BR": "Não entendi a regra. Exemplos: *testar regra: pausar se CPA > 2x a meta por 3 dias*, *testar regra: aumentar orçamento 20% se ROAS > 4 por 7 dias*.",
        "en": "I couldn't read the rule. Examples: *test rule: pause if CPA > 2x target for 3 days*, *test rule: increase budget 20% if ROAS > 4 for 7 days*.",
    },
    "rules.no_target": {
        "pt-BR": "A regra compara com a meta de {metric}, que não está configurada (ex.: *meta de cpa 45*).",
        "en": "The rule compares with the {metric} target, which is not set (e.g. *target cpa 45*).",
    },
    "rules.title": {"pt-BR": "Teste da regra: {rule}", "en": "Rule backtest: {rule}"},
    "rules.summary": {
        "pt-BR": "Em {days} dias, com os números como estavam em cada manhã, ela teria agido {count, plural, one {# vez} other {# vezes}} ({provisional} com dias ainda provisórios na janela).",
        "en": "Over {days} days, with the figures as they stood each morning, it would have acted {count, plural, one {# time} other {# times}} ({provisional} with days still provisional in its window).",
    },
    "rules.firing": {
        "pt-BR": "• {day}: {action} {name} ({metric} {value})",
        "en": "• {day}: {action} {name} ({metric} {value})",
    },
    "rules.more": {"pt-BR": "… e mais {count}", "en": "… and {count} more"},
    "rules.effect": {
        "pt-BR": "Efeito estimado no lucro de contribuição até ontem: {profit} (pausas pelo lucro real que o item fez depois; orçamentos pelas curvas de resposta).",
        "en": "Estimated effect on contribution profit up to yesterday: {profit} (pauses by the profit the item really made afterwards; budgets by the response curves).",
    },
    "rules.no_margin": {
        "pt-BR": "Sem margem bruta configurada não estimo o efeito no lucro (ex.: *margem bruta 45%*).",
        "en": "Without a gross margin I can't estimate the effect on profit (e.g. *gross margin 45%*).",
    },
    "rules.no_lag": {
        "pt-BR": "Ainda sem modelo de atraso: li os dias recentes como fechados, o que favorece a regra.",
        "en": "No lag model yet: I read recent days as settled, which flatters the rule.",
    },
    "rules.shadow_hint": {
        "pt-BR": "Para acompanhar sem agir: *regra em modo sombra*.",
        "en": "To watch it without acting: *shadow rule*.",
    },
    "rules.action.pause": {"pt-BR": "pausaria", "en": "would pause"},
    "rules.action.raise": {"pt-BR": "aumentaria o orçamento de", "en": "would raise the budget of"},
    "rules.action.cut": {"pt-BR": "reduziria o orçamento de", "en": "would cut the budget of"},
    "rules.shadow_none": {
        "pt-BR": "Qual regra? Teste uma antes (*testar regra: ...*) ou escreva *regra em modo sombra: pausar se CPA > 2x a meta por 3 dias*.",
        "en": "Which rule? Test one first (*test rule: ...*) or write *shadow rule: pause if CPA > 2x target for 3 days*.",
    },
    "rules.shadow_started": {
        "pt-BR": "Regra em modo sombra por {days} dias: toda noite registro o que ela faria, sem agir. O relatório chega aqui em {end}.",
        "en": "Rule in shadow mode for {days} days: every night I log what it would do, without acting. The report comes here on {end}.",
    },
    "rules.list_title": {"pt-BR": "Regras em modo sombra", "en": "Rules in shadow mode"},
    "rules.list_none": {
        "pt-BR": "Nenhuma regra em modo sombra. Teste uma com *testar regra: ...*.",
        "en": "No rule in shadow mode. Test one with *test rule: ...*.",
    },
    "rules.list_line": {
        "pt-BR": "• {rule}: {status}, {count, plural, one {# ação} other {# ações}} registradas (até {end})",
        "en": "• {rule}: {status}, {count, plural, one {# action} other {# actions}} logged (until {end})",
    },
    "rules.status.running": {"pt-BR": "rodando", "en": "running"},
    "rules.status.reported": {"pt-BR": "encerrada", "en": "finished"},
}
register(MESSAGES)

#: Days a backtest replays.
BACKTEST_DAYS = 30
MAX_LINES = 8


def rule_of(args: Args) -> Rule | None:
    data = args.get("rule")
    return Rule.from_json(data) if data else None


def targets_of(prefs: WorkspaceSettings) -> dict[str, Decimal | None]:
    """The workspace's targets in the units a rule reads (money in minor units)."""
    return {
        "cpa": Decimal(prefs.target_cpa) if prefs.target_cpa else None,
        "roas": Decimal(prefs.target_roas) if prefs.target_roas else None,
        "ctr": Decimal(prefs.target_ctr) if prefs.target_ctr else None,
        "spend": None,
        "conversions": None,
    }


def in_minor(rule: Rule, currency: str) -> Rule:
    """A money threshold typed in major units (CPA 150, spend 500) as minor units."""
    if rule.relative or rule.metric not in ("cpa", "spend"):
        return rule
    return Rule(
        rule.action,
        rule.metric,
        rule.op,
        major_to_whole_minor(rule.threshold, currency),
        rule.relative,
        rule.window,
        rule.step,
        rule.cooldown,
    )


def metric_text(locale: Locale, metric: str, value: float, currency: str) -> str:
    if metric in ("cpa", "spend"):
        return locale.money(Decimal(round(value)), currency) if value != float("inf") else "∞"
    if metric == "roas":
        return locale.ratio(Decimal(str(round(value, 2))))
    if metric == "ctr":
        return locale.percent(Decimal(str(round(value, 2))))
    return locale.number(Decimal(str(round(value, 1))), 1)


def backtest_lines(
    result: Backtest, locale: Locale, currency: str, *, margin: bool, lag: bool
) -> list[str]:
    lines = [
        locale.t(
            "rules.summary",
            days=(result.until - result.since).days + 1,
            count=len(result.firings),
            provisional=result.on_provisional,
        )
    ]
    for firing in sorted(result.firings, key=lambda f: f.day)[:MAX_LINES]:
        lines.append(
            locale.t(
                "rules.firing",
                day=locale.date(firing.day),
                action=locale.t(f"rules.action.{result.rule.action}"),
                name=firing.name,
                metric=result.rule.metric.upper(),
                value=metric_text(locale, result.rule.metric, firing.value, currency),
            )
        )
    if len(result.firings) > MAX_LINES:
        lines.append(locale.t("rules.more", count=len(result.firings) - MAX_LINES))
    if margin:
        profit = locale.money(Decimal(result.profit_change), currency)
        lines.append(
            locale.t("rules.effect", profit=f"+{profit}" if result.profit_change > 0 else profit)
        )
    else:
        lines.append(locale.t("rules.no_margin"))
    if not lag:
        lines.append(locale.t("rules.no_lag"))
    return lines


def test_rule(ctx: TurnContext, args: Args) -> None:
    """ "testar regra: pausar se CPA > 2x a meta por 3 dias"."""
    rule = rule_of(args)
    if rule is None:
        ctx.say(Reply(ctx.t("rules.unknown"), kind="error"))
        return
    account = ctx.account()
    targets = targets_of(ctx.prefs)
    if rule.relative and targets.get(rule.metric) is None:
        ctx.say(Reply(ctx.t("rules.no_target", metric=rule.metric.upper()), kind="error"))
        return
    rule = in_minor(rule, account.currency)
    today = ctx.rt.now().astimezone(ZoneInfo(account.timezone)).date()
    since = today - timedelta(days=BACKTEST_DAYS)
    history, share, lag = rule_history(
        ctx.rt, account, since - timedelta(days=rule.window), today - timedelta(days=1)
    )
    view = view_of(ctx.rt, account)
    curves = {o.object_id: o.curve for o in view.snapshot.objects if o.curve is not None}
    margin = Decimal(ctx.prefs.gross_margin) / 100 if ctx.prefs.gross_margin else None
    result = replay(
        rule,
        history,
        targets=targets,
        margin=margin,
        curves=curves,
        since=since,
        until=today - timedelta(days=1),
        share=share,
    )
    state = dict(ctx.conversation.state or {})
    state["last_rule"] = {"rule": rule.to_json(), "text": args.get("text", "")}
    ctx.conversation.state = state
    title = ctx.t("rules.title", rule=args.get("text", ""))
    lines = backtest_lines(result, ctx.locale, account.currency, margin=margin is not None, lag=lag)
    lines.append(ctx.t("rules.shadow_hint"))
    ctx.say(Reply("\n".join([f"*{title}*", *lines]), kind="report", title=title))


def shadow_rule(ctx: TurnContext, args: Args) -> None:
    """ "regra em modo sombra [por 14 dias][: <regra>]"."""
    rule = rule_of(args)
    text = str(args.get("text") or "")
    if rule is not None:
        rule = in_minor(rule, ctx.account().currency)
    else:
        last = (ctx.conversation.state or {}).get("last_rule")
        if not last:
            ctx.say(Reply(ctx.t("rules.shadow_none"), kind="error"))
            return
        rule, text = Rule.from_json(last["rule"]), str(last.get("text", ""))
    account = ctx.account()
    today = ctx.rt.now().astimezone(ZoneInfo(account.timezone)).date()
    days = max(1, min(int(args.get("days") or 14), 60))
    row = ShadowRule(
        workspace_id=ctx.workspace.id,
        ad_account_id=account.id,
        conversation_id=ctx.conversation.id,
        created_by=ctx.user.id,
        text=text[:300],
        rule=rule.to_json(),
        started_on=today,
        ends_on=today + timedelta(days=days),
        log=[],
        status="running",
    )
    ctx.session.add(row)
    end = ctx.locale.date(row.ends_on)
    ctx.say(Reply(ctx.t("rules.shadow_started", days=days, end=end)))


def list_rules(ctx: TurnContext, args: Args) -> None:
    rows = ctx.session.scalars(
        select(ShadowRule)
        .where(ShadowRule.workspace_id == ctx.workspace.id)
        .order_by(ShadowRule.id.desc())
        .limit(10)
    ).all()
    if not rows:
        ctx.say(Reply(ctx.t("rules.list_none")))
        return
    title = ctx.t("rules.list_title")
    lines = [f"*{title}*"]
    for row in rows:
        lines.append(
            ctx.t(
                "rules.list_line",
                rule=row.text,
                status=ctx.t(f"rules.status.{row.status}"),
                count=len(row.log or []),
                end=ctx.locale.date(row.ends_on),
            )
        )
    ctx.say(Reply("\n".join(lines), title=title))
