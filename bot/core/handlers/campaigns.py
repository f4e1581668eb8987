"""List campaigns, numbered so the next message can say "pausar 3"."""

from __future__ import annotations

from decimal import Decimal

from ads.base import Level
from analytics.report import by_campaign
from bot.core.context import TurnContext
from bot.core.handlers.choose import list_order
from bot.core.handlers.reports import period_for
from bot.core.render import campaigns_reply
from vocabulary.parsing import Args
from vocabulary.periods import PeriodSpec


def list_campaigns(ctx: TurnContext, args: Args) -> None:
    account = ctx.account()
    ads = ctx.ads(account)
    campaigns = list_order(ads.list_campaigns(account.external_id))
    week = period_for(ctx, PeriodSpec("last_n", 7), account.timezone)
    totals = by_campaign(ads.insights(account.external_id, Level.CAMPAIGN, week))
    adset_budgets: dict[str, Decimal] = {}
    for adset in ads.list_adsets(account.external_id):
        if adset.daily_budget and adset.status.value == "ACTIVE":
            adset_budgets[adset.campaign_id] = (
                adset_budgets.get(adset.campaign_id, Decimal(0)) + adset.daily_budget
            )
    ctx.conversation.state = {**(ctx.conversation.state or {}), "listed": [c.id for c in campaigns]}
    ctx.say(campaigns_reply(campaigns, totals, account.currency, ctx.locale, adset_budgets))
