"""Budget moves asked for in chat: two campaigns, found across all the workspace's accounts.

"mover R$ 200/dia do Prospecção para o Search Marca" becomes ONE move proposal (cut and
raise) for the supervisor (:mod:`supervisor.moves`); a name that fits several campaigns is
asked back with buttons that re-issue the request for the one chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ads.base import Campaign, Level
from bot.core.context import TurnContext
from bot.core.platform_intents import platform_in
from bot.core.resolve import resolve
from storage.models import AdAccount
from storage.money import major_to_whole_minor
from supervisor.moves import Leg, move_budget
from supervisor.proposals import Proposer
from supervisor.submit import submit
from vocabulary.inbound import Action
from vocabulary.parsing import Args, as_typed
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Button, Reply

MAX_CHOICES = 5


@dataclass(frozen=True)
class Found:
    """A campaign on one of the workspace's accounts (``id`` is ``<account pk>.<campaign id>``)."""

    id: str
    name: str
    account: AdAccount
    campaign: Campaign


def move(ctx: TurnContext, args: Args) -> None:
    amount: Decimal = args["amount"]
    source = _find(ctx, args, "source")
    if source is None:
        return
    dest = _find(ctx, args, "dest")
    if dest is None:
        return
    if source.id == dest.id:
        ctx.say(Reply(ctx.t("move.same_campaign", name=source.name), kind="error"))
        return
    currency = source.account.currency
    if dest.account.currency != currency:
        ctx.say(
            Reply(
                ctx.t("move.currencies", source=currency, dest=dest.account.currency),
                kind="error",
            )
        )
        return
    minor = major_to_whole_minor(amount, currency)
    if minor <= 0:
        ctx.say(Reply(ctx.t("move.not_positive"), kind="error"))
        return
    for found in (source, dest):
        if found.campaign.daily_budget is None:
            ctx.say(Reply(ctx.t("move.no_budget", name=found.name), kind="error"))
            return
    current = source.campaign.daily_budget or Decimal(0)
    if minor >= current:
        ctx.say(
            Reply(
                ctx.t(
                    "move.not_enough",
                    name=source.name,
                    current=ctx.locale.money(current, currency),
                    amount=ctx.locale.money(minor, currency),
                ),
                kind="error",
            )
        )
        return
    proposal = move_budget(
        _leg(source, current - minor),
        _leg(dest, (dest.campaign.daily_budget or Decimal(0)) + minor),
        reason=ctx.inbound.text or "",
        proposer=Proposer("user", str(ctx.user.id)),
    )
    submit(
        ctx.rt,
        ctx.workspace.id,
        source.account.id,
        proposal,
        conversation_id=ctx.conversation.id,
        channel=ctx.inbound.channel.value,
        requested_by_user_id=ctx.user.id,
        outbox=ctx.outbox,
    )


def _leg(found: Found, new: Decimal) -> Leg:
    return Leg(
        found.account.id,
        found.account.platform,
        Level.CAMPAIGN,
        found.campaign.id,
        found.campaign.name,
        found.campaign.daily_budget or Decimal(0),
        new,
    )


def _find(ctx: TurnContext, args: Args, side: str) -> Found | None:
    """The campaign one side names, on any account (a platform word narrows the search)."""
    query = str(args[side])
    platform, rest = platform_in(query)
    words = rest if platform and rest else query
    items = [
        Found(f"{account.id}.{campaign.id}", campaign.name, account, campaign)
        for account in ctx.accounts()
        if platform is None or account.platform == platform
        for campaign in ctx.ads(account).list_campaigns(account.external_id)
        if campaign.status.value != "DELETED"
    ]
    found = resolve(words, items)
    if found.match is not None:
        return found.match
    typed = as_typed(ctx.inbound.text or "", query)
    if not found.candidates:
        ctx.say(Reply(ctx.t("campaigns.not_found", query=typed), kind="error"))
        return None
    choices = found.candidates[:MAX_CHOICES]
    lines = [ctx.t("campaigns.ambiguous", query=typed)]
    lines += [f"{n}. {c.name} ({_label(c)})" for n, c in enumerate(choices, start=1)]
    buttons = tuple(
        Button(f"{c.name} ({_label(c)})"[:75], Action("command", _reissue(ctx, args, side, c)))
        for c in choices
    )
    ctx.say(Reply("\n".join(lines), buttons=buttons))
    return None


def _label(found: Found) -> str:
    info = PLATFORMS.get(found.account.platform)
    return info.label if info is not None else found.account.platform


def _reissue(ctx: TurnContext, args: Args, side: str, choice: Found) -> str:
    """The same move with one side named by its id (``id:<account>.<campaign>``)."""
    names = {"source": str(args["source"]), "dest": str(args["dest"]), side: f"id:{choice.id}"}
    amount = f"r${args['amount']:.2f}"
    if ctx.lang == "pt-BR":
        return f"mover {amount}/dia do {names['source']} para o {names['dest']}"
    return f"move {amount}/day from {names['source']} to {names['dest']}"
