"""Changes asked for in chat ("pausar a campanha X", "ativar 3", "orçamento X 150").

Each one becomes an ``ActionProposal`` submitted to the supervisor, which
decides whether it runs at once, needs an approval card or is denied. No
handler here writes to the ad platform.
"""

from __future__ import annotations

from decimal import Decimal

from ads.base import AdSet, Campaign, Level
from bot.core.context import TurnContext
from bot.core.intents import Args, as_typed
from bot.core.resolve import resolve
from bot.core.types import Action, Button, Reply
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
    amount: Decimal = args["amount"]
    campaign = _find(ctx, args["target"], ActionKind.SET_BUDGET, amount)
    if campaign is None:
        return
    account = ctx.account()
    new_budget = major_to_minor(amount, account.currency)
    level, target_id, name, current = Level.CAMPAIGN, campaign.id, campaign.name, None
    current = campaign.daily_budget
    if current is None:  # ABO: the budget lives on the ad set; use it when there is one
        adset = _single_budget_adset(ctx, campaign)
        if adset is not None:
            level, target_id = Level.ADSET, adset.id
            name, current = f"{campaign.name} › {adset.name}", adset.daily_budget
    proposal = proposals.set_budget(
        level,
        target_id,
        name,
        new_budget=new_budget,
        current_budget=current,
        reason=ctx.inbound.text,
        proposer=_proposer(ctx),
    )
    _submit(ctx, proposal)


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
        reason=ctx.inbound.text,
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


def _find(
    ctx: TurnContext, query: str, kind: ActionKind, amount: Decimal | None = None
) -> Campaign | None:
    """The campaign the user means; otherwise say why not (with choices when ambiguous)."""
    account = ctx.account()
    campaigns = [
        c
        for c in ctx.ads(account).list_campaigns(account.external_id)
        if c.status.value != "DELETED"
    ]
    listed = list((ctx.conversation.state or {}).get("listed") or [])
    found = resolve(query, campaigns, listed)
    if found.match is not None:
        return found.match
    query = as_typed(ctx.inbound.text or "", query)
    if not found.candidates:
        ctx.say(Reply(ctx.t("campaigns.not_found", query=query), kind="error"))
        return None
    verb = VERBS[kind].get(ctx.lang, VERBS[kind]["en"])
    suffix = f" {amount:.2f}" if amount is not None else ""
    choices = found.candidates[:MAX_CHOICES]
    lines = [ctx.t("campaigns.ambiguous", query=query)]
    lines += [f"{n}. {c.name}" for n, c in enumerate(choices, start=1)]
    ctx.say(
        Reply(
            "\n".join(lines),
            buttons=tuple(
                Button(c.name[:75], Action("command", f"{verb} id:{c.id}{suffix}")) for c in choices
            ),
        )
    )
    return None


def _single_budget_adset(ctx: TurnContext, campaign: Campaign) -> AdSet | None:
    account = ctx.account()
    adsets = [
        a
        for a in ctx.ads(account).list_adsets(account.external_id, campaign.id)
        if a.status.value != "DELETED" and a.daily_budget is not None
    ]
    return adsets[0] if len(adsets) == 1 else None
