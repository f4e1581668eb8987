"""The brain in chat: "por que?" behind a card, "previsão" for the month, "simular orçamento".

Every figure comes from the same models the nightly job uses
(:mod:`analytics.brain.account`); an LLM never writes a number shown here.
Nothing here writes to an ad account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from analytics.brain.account import AccountView, view_of
from analytics.brain.forecast import curve_points, forecast_month, simulate_budget
from analytics.brain.plan import ObjectState
from analytics.brain.wording import decision_lines
from analytics.charts import response_curve_chart
from bot.core.context import TurnContext
from bot.core.render import choice_buttons
from bot.core.resolve import Resolution, resolve
from storage.models import Proposal
from storage.money import major_to_whole_minor
from vocabulary.i18n import register
from vocabulary.parsing import Args, parse_amount
from vocabulary.replies import Reply

MESSAGES: dict[str, dict[str, str]] = {
    "brain.why.none": {
        "pt-BR": "Não achei uma proposta do otimizador para explicar aqui. Tente *explique a proposta 1* depois de *pendentes*.",
        "en": "I found no optimizer proposal to explain here. Try *explain proposal 1* after *pending*.",
    },
    "brain.why.which": {
        "pt-BR": "Qual das propostas?",
        "en": "Which proposal?",
    },
    "brain.why.title": {"pt-BR": "Por que: {name}", "en": "Why: {name}"},
    "brain.why.no_curve": {
        "pt-BR": "Ainda não há curva de resposta para este item (pouco histórico).",
        "en": "There is no response curve for this one yet (too little history).",
    },
    "chart.curve_title": {
        "pt-BR": "Curva de resposta · {name}",
        "en": "Response curve · {name}",
    },
    "chart.curve_band": {"pt-BR": "faixa de 90%", "en": "90% band"},
    "chart.curve_today": {"pt-BR": "hoje", "en": "today"},
    "chart.curve_proposed": {"pt-BR": "proposto", "en": "proposed"},
    "chart.curve_break_even": {"pt-BR": "receita de equilíbrio", "en": "break-even revenue"},
    "chart.curve_budget": {"pt-BR": "Orçamento diário", "en": "Daily budget"},
    "chart.curve_revenue": {"pt-BR": "Receita esperada/dia", "en": "Expected revenue/day"},
    "brain.forecast.title": {
        "pt-BR": "Previsão do mês · {account}",
        "en": "Month forecast · {account}",
    },
    "brain.forecast.scenario": {
        "pt-BR": "{label}: investimento {spend} · receita {revenue} ({low} a {high}) · ROAS {roas} ({roas_low} a {roas_high})",
        "en": "{label}: spend {spend} · revenue {revenue} ({low} to {high}) · ROAS {roas} ({roas_low} to {roas_high})",
    },
    "brain.forecast.profit": {
        "pt-BR": "   lucro de contribuição {profit} ({low} a {high})",
        "en": "   contribution profit {profit} ({low} to {high})",
    },
    "brain.forecast.now": {"pt-BR": "Nos orçamentos atuais", "en": "At current budgets"},
    "brain.forecast.pending": {
        "pt-BR": "Com as {count} propostas pendentes",
        "en": "With the {count} pending proposals",
    },
    "brain.forecast.limit": {
        "pt-BR": "Limite mensal: {limit}{over}",
        "en": "Monthly limit: {limit}{over}",
    },
    "brain.forecast.over": {
        "pt-BR": " ⚠️ a projeção passa do limite",
        "en": " ⚠️ the projection is over it",
    },
    "brain.forecast.context": {
        "pt-BR": "Faixas de 90% das curvas de resposta de cada campanha; dias provisórios completados pelo modelo de atraso quando há histórico.",
        "en": "90% ranges from each campaign's response curve; provisional days completed by the lag model when there is history.",
    },
    "brain.simulate.none": {
        "pt-BR": "Não achei “{name}” entre as campanhas e conjuntos com orçamento próprio.",
        "en": "I couldn't find “{name}” among the campaigns and ad sets with their own budget.",
    },
    "brain.simulate.bad_amount": {
        "pt-BR": "Qual orçamento diário? Ex.: *simular orçamento remarketing 300*.",
        "en": "Which daily budget? E.g. *simulate budget remarketing 300*.",
    },
    "brain.simulate.title": {
        "pt-BR": "Simulação · {name} a {budget}/dia",
        "en": "Simulation · {name} at {budget}/day",
    },
    "brain.simulate.body": {
        "pt-BR": "Gasto diário {spend_change} · receita {revenue} ({low} a {high}) por dia.",
        "en": "Daily spend {spend_change} · revenue {revenue} ({low} to {high}) per day.",
    },
    "brain.simulate.profit": {
        "pt-BR": "Lucro de contribuição {profit} ({low} a {high}) por dia.",
        "en": "Contribution profit {profit} ({low} to {high}) per day.",
    },
    "brain.simulate.marginal": {
        "pt-BR": "ROAS marginal {now} hoje → {then} nesse orçamento.",
        "en": "Marginal ROAS {now} today → {then} at that budget.",
    },
    "brain.simulate.outside": {
        "pt-BR": "⚠️ Fora da faixa de gasto já observada: a curva está extrapolando.",
        "en": "⚠️ Outside the spend range seen so far: the curve is extrapolating.",
    },
    "brain.simulate.learning": {
        "pt-BR": "⚠️ Mudança acima do passo de {step}: a fase de aprendizado recomeça.",
        "en": "⚠️ A change over the {step} step: the learning phase restarts.",
    },
    "brain.simulate.no_curve": {
        "pt-BR": "Ainda não há histórico suficiente de {name} para simular.",
        "en": "There isn't enough history for {name} to simulate yet.",
    },
    "brain.simulate.nothing_written": {
        "pt-BR": "Simulação: nada foi alterado.",
        "en": "Simulation only: nothing was changed.",
    },
}
register(MESSAGES)

#: Characters of a proposal's id a "por que?" button carries (a list number is never this long).
ID_PREFIX = 8

#: Budgets on the "por que?" chart: from a third to twice today's, in this many steps.
CURVE_STEPS = 24


def _signed(ctx: TurnContext, minor: int, currency: str) -> str:
    text = ctx.locale.money(Decimal(minor), currency)
    return f"+{text}" if minor > 0 else text


def _explained(ctx: TurnContext, ref: str | None) -> Proposal | list[Proposal] | None:
    """The proposal "por que?" is about: a number from *pendentes*, an id, else the last card
    here; several cards shown at once come back as a list, to ask which."""
    rows = ctx.session.scalars(
        select(Proposal)
        .where(Proposal.workspace_id == ctx.workspace.id)
        .order_by(Proposal.created_at.desc())
        .limit(200)
    ).all()
    explained = [row for row in rows if row.explanation]
    by_id = next((row for row in rows if ref and row.id.startswith(ref.lower())), None)
    if ref and len(ref) >= ID_PREFIX and by_id is not None:
        return by_id  # a button's id prefix, even one of digits only (1 in 43 are)
    if ref and ref.isdigit():
        pending = sorted(
            (row for row in rows if row.state == "pending"), key=lambda row: row.created_at
        )
        index = int(ref) - 1
        return pending[index] if 0 <= index < len(pending) else None
    if ref:
        return by_id
    here = [
        row
        for row in explained
        if any(
            card.get("conversation_id") == ctx.conversation.id
            for card in (row.result or {}).get("cards", [])
        )
    ]
    latest = here or explained
    if not latest:
        return None
    newest = latest[0].created_at
    tied = [row for row in latest if abs((newest - row.created_at).total_seconds()) < 60]
    return tied if len(tied) > 1 else latest[0]


def _holder(view: AccountView, object_id: str) -> ObjectState | None:
    return next((o for o in view.snapshot.objects if o.object_id == object_id), None)


def why(ctx: TurnContext, args: Args) -> None:
    """ "por que?" / "explique a proposta 2": the figures behind a proposal and its curve."""
    row = _explained(ctx, args.get("ref"))
    if isinstance(row, list):  # several cards at once: which one? (never a guess)
        options = [(r.target_name, f"explique a proposta {r.id[:ID_PREFIX]}") for r in row]
        ctx.say(Reply(ctx.t("brain.why.which"), buttons=choice_buttons(options, limit=8)))
        return
    if row is None or not row.explanation:
        ctx.say(Reply(ctx.t("brain.why.none")))
        return
    explanation: dict[str, Any] = dict(row.explanation)
    currency = explanation.get("currency") or ctx.prefs.currency
    margin = Decimal(explanation["margin"]) if explanation.get("margin") else None
    lines = decision_lines(explanation, ctx.locale, currency, margin=margin)
    title = ctx.t("brain.why.title", name=row.target_name)
    chart = None
    account = ctx.account()
    holder = _holder(view_of(ctx.rt, account), row.target_id)
    current = explanation.get("current_budget") or (holder.daily_budget if holder else None)
    if holder is not None and holder.curve is not None and current:
        proposed = explanation.get("proposed_budget")
        top = max(int(current), int(proposed or 0)) * 2
        budgets = [round(top * (i + 1) / CURVE_STEPS) for i in range(CURVE_STEPS)]
        curve = curve_points(holder, budgets)
        points = [(p.budget, p.revenue.mean, p.revenue.low, p.revenue.high) for p in curve]
        be = explanation.get("break_even")
        even = [float(be) * p.spend for p in curve] if be else []
        if points:
            chart = response_curve_chart(
                points,
                int(current),
                int(proposed) if proposed is not None else None,
                currency,
                ctx.locale,
                ctx.t("chart.curve_title", name=row.target_name),
                even,
            )
    else:
        lines.append(ctx.t("brain.why.no_curve"))
    text = "\n".join([f"*{title}*", *(f"• {line}" for line in lines)])
    ctx.say(Reply(text, title=title, chart=chart))


def forecast(ctx: TurnContext, args: Args) -> None:
    """ "previsão": month-end spend, revenue, ROAS and profit, now and with what is pending."""
    account = ctx.account()
    view = view_of(ctx.rt, account)
    currency = account.currency
    pending = ctx.session.scalars(
        select(Proposal).where(
            Proposal.ad_account_id == account.id,
            Proposal.state == "pending",
            Proposal.kind.in_(("set_budget", "pause")),
        )
    ).all()
    budgets = {
        row.target_id: 0 if row.kind == "pause" else int(Decimal(row.new_value["daily_budget"]))
        for row in pending
    }
    money = ctx.locale.money
    title = ctx.t("brain.forecast.title", account=account.name or account.external_id)
    lines = [f"*{title}*"]
    scenarios = [(ctx.t("brain.forecast.now"), forecast_month(view.snapshot))]
    if budgets:
        label = ctx.t("brain.forecast.pending", count=len(budgets))
        scenarios.append((label, forecast_month(view.snapshot, budgets)))
    for label, month in scenarios:
        lines.append(
            ctx.t(
                "brain.forecast.scenario",
                label=label,
                spend=money(Decimal(month.spend), currency),
                revenue=money(Decimal(month.revenue.mean), currency),
                low=money(Decimal(month.revenue.low), currency),
                high=money(Decimal(month.revenue.high), currency),
                roas=ctx.locale.ratio(month.roas.mean),
                roas_low=ctx.locale.ratio(month.roas.low),
                roas_high=ctx.locale.ratio(month.roas.high),
            )
        )
        if month.profit is not None:
            lines.append(
                ctx.t(
                    "brain.forecast.profit",
                    profit=_signed(ctx, month.profit.mean, currency),
                    low=_signed(ctx, month.profit.low, currency),
                    high=_signed(ctx, month.profit.high, currency),
                )
            )
    last = scenarios[-1][1]
    if last.limit:
        over = ctx.t("brain.forecast.over") if last.over_limit else ""
        lines.append(
            ctx.t("brain.forecast.limit", limit=money(Decimal(last.limit), currency), over=over)
        )
    context = ctx.t("brain.forecast.context")
    lines.append(f"_{context}_")
    ctx.say(Reply("\n".join(lines), kind="report", title=title, context=context))


def simulate(ctx: TurnContext, args: Args) -> None:
    """ "simular orçamento remarketing 300": expected change per day, with a range; writes nothing."""
    amount = parse_amount(str(args.get("amount") or ""), ctx.lang)
    if amount is None or amount <= 0:
        ctx.say(Reply(ctx.t("brain.simulate.bad_amount"), kind="error"))
        return
    account = ctx.account()
    currency = account.currency
    view = view_of(ctx.rt, account)
    holders = [_Named(o.object_id, o.name) for o in view.snapshot.objects if o.daily_budget]
    query = str(args.get("target") or "")
    found = resolve(query, holders)
    if found.match is None:  # a campaign's name finds its ad set when it has just one
        campaigns = ctx.ads(account).list_campaigns(account.external_id)
        by_campaign = resolve(query, [_Named(c.id, c.name) for c in campaigns])
        inside = [
            h
            for h in holders
            if by_campaign.match is not None
            and _holder(view, h.id) is not None
            and _holder(view, h.id).campaign_id == by_campaign.match.id  # type: ignore[union-attr]
        ]
        if len(inside) != 1:
            ctx.say(Reply(ctx.t("brain.simulate.none", name=args.get("target")), kind="error"))
            return
        found = Resolution(inside[0])
    assert found.match is not None
    holder = _holder(view, found.match.id)
    assert holder is not None
    budget = int(major_to_whole_minor(amount, currency))
    result = simulate_budget(holder, budget, view.snapshot.objective, view.snapshot.policy)
    money = ctx.locale.money
    title = ctx.t("brain.simulate.title", name=holder.name, budget=money(Decimal(budget), currency))
    if result is None:
        ctx.say(Reply(ctx.t("brain.simulate.no_curve", name=holder.name)))
        return
    lines = [
        f"*{title}*",
        ctx.t(
            "brain.simulate.body",
            spend_change=_signed(ctx, result.spend_change, currency),
            revenue=_signed(ctx, result.revenue_change.mean, currency),
            low=_signed(ctx, result.revenue_change.low, currency),
            high=_signed(ctx, result.revenue_change.high, currency),
        ),
    ]
    if result.profit_change is not None:
        lines.append(
            ctx.t(
                "brain.simulate.profit",
                profit=_signed(ctx, result.profit_change.mean, currency),
                low=_signed(ctx, result.profit_change.low, currency),
                high=_signed(ctx, result.profit_change.high, currency),
            )
        )
    lines.append(
        ctx.t(
            "brain.simulate.marginal",
            now=ctx.locale.ratio(result.marginal_roas_now.mean),
            then=ctx.locale.ratio(result.marginal_roas_then.mean),
        )
    )
    if result.outside_observed_range:
        lines.append(ctx.t("brain.simulate.outside"))
    if result.resets_learning:
        step = ctx.locale.percent(Decimal(str(view.snapshot.policy.max_step * 100)), 0)
        lines.append(ctx.t("brain.simulate.learning", step=step))
    context = ctx.t("brain.simulate.nothing_written")
    lines.append(f"_{context}_")
    ctx.say(Reply("\n".join(lines), title=title, context=context))


class _Named:
    """A budget holder as the resolver reads names."""

    def __init__(self, object_id: str, name: str) -> None:
        self.id = object_id
        self.name = name
