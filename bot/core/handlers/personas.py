"""``quem compra?`` / ``personas`` / ``who buys?``: the account's personas with a chart, and a
button that proposes a paused ad set aimed at the best one (through the supervisor).

The figures come from :mod:`analytics.audience` (Meta's breakdowns clustered
with scikit-learn); the button's persona is the one listed, kept in the
conversation's state, so a click creates what the person saw.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from babel.numbers import get_currency_precision

import vocabulary.alert_messages  # noqa: F401  (registers the messages used here)
from analytics.alert_charts import persona_chart
from analytics.audience import Audience, audience, persona_line, persona_targeting
from analytics.sync import local_today
from bot.core.context import TurnContext
from supervisor.proposals import Proposer, create_draft
from supervisor.submit import submit
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Button, Reply

ACTION = "persona.adset"


def _name(ctx: TurnContext, persona_names: tuple[str, str]) -> str:
    return persona_names[0] if ctx.lang == "pt-BR" else persona_names[1]


def show_personas(ctx: TurnContext, args: Args) -> None:
    account = ctx.account()
    today = local_today(ctx.rt.now(), account.timezone)
    found = audience(ctx.rt.ads(account), account.external_id, account.currency, today)
    personas = found.report.personas
    if not personas:
        ctx.say(Reply(ctx.t("persona.none")))
        return
    title = ctx.t("persona.title", account=account.name or account.external_id)
    lines = [persona_line(p, account.currency, ctx.locale) for p in personas]
    where = [
        ctx.t("persona.where_line", name=p.name, roas=ctx.locale.ratio(p.roas))
        for p in found.placements[:3]
    ]
    silhouette = found.report.silhouette
    context = ctx.t(
        "persona.context",
        since=ctx.locale.date(found.since),
        until=ctx.locale.date(found.until),
        silhouette=ctx.locale.number(Decimal(str(round(silhouette, 2))), digits=2)
        if silhouette is not None
        else "—",
    )
    body = "\n".join([*lines, *([ctx.t("persona.where"), *where] if where else [])])
    chart = persona_chart(
        [_name(ctx, (p.name_pt, p.name_en)) for p in personas],
        [float(p.share_of_spend) for p in personas],  # plotting only
        [float(p.roas or 0) for p in personas],
        ctx.locale,
    )
    best = personas[0]
    _remember(ctx, found)
    button = Button(
        ctx.t("persona.button", name=_name(ctx, (best.name_pt, best.name_en))),
        Action(ACTION, "0"),
        style="primary",
    )
    ctx.say(
        Reply(
            f"*{title}*\n{body}\n_{context}_",
            kind="report",
            title=title,
            sections=((title, body),),
            chart=chart,
            context=context,
            buttons=(button,),
        )
    )


def _remember(ctx: TurnContext, found: Audience) -> None:
    """The listed personas' names, targeting and daily spend, for the button to use as shown."""
    days = (found.until - found.since).days + 1
    listed = [
        {
            "name_pt": p.name_pt,
            "name_en": p.name_en,
            "roas": str(p.roas) if p.roas is not None else None,
            "targeting": persona_targeting(p, found.rows),
            "daily_spend": str(p.spend // days),
        }
        for p in found.report.personas
    ]
    ctx.conversation.state = {**(ctx.conversation.state or {}), "personas": listed}


def on_action(ctx: TurnContext, action: Action) -> None:
    """ActionRoute "persona.": propose a paused draft holding one ad set aimed at the persona."""
    listed = (ctx.conversation.state or {}).get("personas") or []
    index = int(action.value) if action.value.isdigit() else -1
    if action.name != ACTION or not 0 <= index < len(listed):
        ctx.say(Reply(ctx.t("persona.gone"), kind="error"))
        return
    persona = listed[index]
    account = ctx.account()
    name = persona["name_pt"] if ctx.lang == "pt-BR" else persona["name_en"]
    unit = Decimal(10 ** get_currency_precision(account.currency))
    budget = (Decimal(persona["daily_spend"]) / unit).quantize(Decimal(1), ROUND_DOWN) * unit
    budget = max(budget, unit)
    adset_name = ctx.t("persona.adset_name", name=name)[:100]
    spec = {
        "campaign": {
            "name": adset_name,
            "objective": "OUTCOME_SALES",
            "status": "PAUSED",
            "daily_budget": None,
            "special_ad_categories": [],
        },
        "adsets": [
            {
                "ref": "adset_1",
                "name": adset_name,
                "status": "PAUSED",
                "daily_budget": str(int(budget)),
                "optimization_goal": "OFFSITE_CONVERSIONS",
                "billing_event": "IMPRESSIONS",
                "targeting": persona["targeting"],
            }
        ],
        "creatives": [],
        "ads": [],
    }
    roas = ctx.locale.ratio(Decimal(persona["roas"])) if persona.get("roas") else "—"
    proposal = create_draft(
        account.external_id,
        spec,
        reason=ctx.t("persona.reason", roas=roas, name=name),
        proposer=Proposer("user", str(ctx.user.id)),
    )
    submit(
        ctx.rt,
        ctx.workspace.id,
        account.id,
        proposal,
        conversation_id=ctx.conversation.id,
        channel=ctx.inbound.channel.value,
        requested_by_user_id=ctx.user.id,
        outbox=ctx.outbox,
    )
