"""Changes asked for in chat ("pausar a campanha X", "ativar 3", "orçamento X 150").

Each one becomes an ``ActionProposal`` submitted to the supervisor, which
decides whether it runs at once, needs an approval card or is denied. No
handler here writes to the ad platform.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ads.base import AdSet, Campaign, Level
from bot.core.context import TurnContext
from bot.core.handlers.choose import find_campaign
from bot.core.intents import Args
from bot.core.types import Reply
from mediabrain.i18n import major_to_minor
from supervisor import proposals
from supervisor.proposals import ActionKind, ActionProposal, Proposer
from supervisor.service import submit

#: How a choice button re-asks for the same change on one campaign.
VERBS = {
    ActionKind.PAUSE: {"pt-BR": "pausar", "en": "pause"},
    ActionKind.RESUME: {"pt-BR": "ativar", "en": "resume"},
    ActionKind.SET_BUDGET: {"pt-BR": "orçamento", "en": "budget"},
}
MAX_CHOICES = 5


def pause(ctx: TurnContext, args: Args) -> None:
    _status_change(ctx, args["target"], ActionKind.PAUSE)


def resume(ctx: TurnContext, args: Args) -> None:
    _status_change(ctx, args["target"], ActionKind.RESUME)


def set_budget(ctx: TurnContext, args: Args) -> None:
    if "unsigned_percent" in args:
        percent = ctx.locale.number(args["unsigned_percent"]) + "%"
        ctx.say(Reply(ctx.t("budget.which_way", percent=percent, target=args["target"])))
        return
    campaign = _find(ctx, args["target"], ActionKind.SET_BUDGET, _budget_words(args))
    if campaign is None:
        return
    account = ctx.account()
    level, target_id, name, current = Level.CAMPAIGN, campaign.id, campaign.name, None
    current = campaign.daily_budget
    if current is None:  # ABO: the budget lives on the ad set; use it when there is one
        adset = _single_budget_adset(ctx, campaign)
        if adset is not None:
            level, target_id = Level.ADSET, adset.id
            name, current = f"{campaign.name} › {adset.name}", adset.daily_budget
    new_budget = _new_budget(ctx, args, current, account.currency, name)
    if new_budget is None:
        return
    proposal = proposals.set_budget(
        level,
        target_id,
        name,
        new_budget=new_budget,
        current_budget=current,
        reason=_reason(ctx, campaign),
        proposer=_proposer(ctx),
    )
    _submit(ctx, proposal)


def _reason(ctx: TurnContext, campaign: Campaign) -> str:
    """What the person asked, with a choice button's ``id:…`` shown as the campaign's name."""
    return (ctx.inbound.text or "").replace(f"id:{campaign.id}", campaign.name)


def _budget_words(args: Args) -> str:
    """The change as the command re-issued from a choice button ("150.00", "+20%", "-50")."""
    if "percent" in args:
        return f"{args['percent']:+}%"
    if "delta" in args:
        return f"{args['delta']:+.2f}"
    return f"{args['amount']:.2f}"


def _new_budget(
    ctx: TurnContext, args: Args, current: Decimal | None, currency: str, name: str
) -> Decimal | None:
    """The absolute new daily budget in minor units (relative changes need a current one)."""
    if "amount" in args:
        return major_to_minor(args["amount"], currency)
    if current is None:
        ctx.say(Reply(ctx.t("budget.no_current", name=name), kind="error"))
        return None
    if "percent" in args:
        new = (current * (100 + args["percent"]) / 100).quantize(Decimal(1), ROUND_HALF_UP)
    else:
        new = current + major_to_minor(args["delta"], currency)
    if new <= 0:
        ctx.say(Reply(ctx.t("budget.not_positive", name=name), kind="error"))
        return None
    return new


def _status_change(ctx: TurnContext, query: str, kind: ActionKind) -> None:
    campaign = _find(ctx, query, kind)
    if campaign is None:
        return
    build = proposals.pause if kind is ActionKind.PAUSE else proposals.resume
    proposal = build(
        Level.CAMPAIGN,
        campaign.id,
        campaign.name,
        current_status=campaign.status.value,
        reason=_reason(ctx, campaign),
        proposer=_proposer(ctx),
    )
    _submit(ctx, proposal)


def _proposer(ctx: TurnContext) -> Proposer:
    return Proposer("user", str(ctx.user.id))


def _submit(ctx: TurnContext, proposal: ActionProposal) -> None:
    account = ctx.account()
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


def _find(ctx: TurnContext, query: str, kind: ActionKind, suffix: str = "") -> Campaign | None:
    """The campaign the user means; otherwise say why not (with choices when ambiguous)."""
    verb = VERBS[kind].get(ctx.lang, VERBS[kind]["en"])
    tail = f" {suffix}" if suffix else ""
    return find_campaign(ctx, query, lambda c: f"{verb} id:{c.id}{tail}")


def _single_budget_adset(ctx: TurnContext, campaign: Campaign) -> AdSet | None:
    account = ctx.account()
    adsets = [
        a
        for a in ctx.ads(account).list_adsets(account.external_id, campaign.id)
        if a.status.value != "DELETED" and a.daily_budget is not None
    ]
    return adsets[0] if len(adsets) == 1 else None
