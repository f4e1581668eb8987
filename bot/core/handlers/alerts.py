"""Budget alert settings in chat: see them, set the monthly limit."""

from __future__ import annotations

from bot.core.context import TurnContext
from bot.core.handlers import smart_alerts
from storage.money import major_to_whole_minor
from storage.repositories import audit
from vocabulary.parsing import Args
from vocabulary.platform_limits import platform_limits
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Reply


def show_alerts(ctx: TurnContext, args: Args) -> None:
    prefs = ctx.prefs
    thresholds = ", ".join(f"{t}%" for t in (prefs.alert_thresholds or []))
    limit = (
        ctx.locale.money(prefs.monthly_budget_limit, prefs.currency)
        if prefs.monthly_budget_limit
        else ctx.t("alerts.no_limit")
    )
    budget = ctx.t("alerts.summary", limit=limit, thresholds=thresholds or "—")
    for name, amount in platform_limits(prefs).items():  # a platform's own (issue 18)
        info = PLATFORMS.get(name)
        budget += "\n" + ctx.t(
            "alerts.platform_limit",
            platform=info.label if info is not None else name,
            limit=ctx.locale.money(amount, prefs.currency),
        )
    smart = smart_alerts.summary(ctx)  # the smart alerts (issue 17), kind by kind
    ctx.say(Reply(f"{budget}\n\n{smart.text}", sections=smart.sections))


def set_monthly_limit(ctx: TurnContext, args: Args) -> None:
    amount = major_to_whole_minor(args["amount"], ctx.prefs.currency)
    ctx.prefs.monthly_budget_limit = amount
    audit(
        ctx.session,
        ctx.workspace.id,
        actor=f"user:{ctx.user.id}",
        action="settings.monthly_limit",
        channel=ctx.inbound.channel.value,
        detail={"amount_minor": str(amount)},
    )
    ctx.say(Reply(ctx.t("alerts.limit_set", limit=ctx.locale.money(amount, ctx.prefs.currency))))
