"""Incomplete or out-of-range requests answered with a question or a clear error, and the
deletion of a campaign as a critical change (issue 15).

"pausar" with no campaign lists the campaigns it could mean (numbered, so "pausar 3"
works next, as the third button would); "limite mensal -100" says what a limit must be;
"excluir campanha X" proposes archiving X, which always needs an approval and whose card
says it cannot be undone.
"""

from __future__ import annotations

from ads.base import Level, Status
from bot.core import trust_messages  # noqa: F401  (registers the words used here)
from bot.core.context import TurnContext
from bot.core.handlers.choose import find_campaign, list_order, remember_campaign
from supervisor.proposals import ActionKind, ActionProposal, Proposer
from supervisor.submit import submit
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Button, Reply

#: Which campaigns each verb can apply to, and how a choice re-issues the request.
_WANTS = {
    "pause": ({"ACTIVE"}, {"pt-BR": "pausar", "en": "pause"}),
    "resume": ({"PAUSED"}, {"pt-BR": "ativar", "en": "resume"}),
    "budget": ({"ACTIVE", "PAUSED"}, {"pt-BR": "orçamento", "en": "budget"}),
    "delete": ({"ACTIVE", "PAUSED"}, {"pt-BR": "excluir campanha", "en": "delete campaign"}),
}
MAX_BUTTONS = 10


def ask_target(ctx: TurnContext, args: Args) -> None:
    """ "pausar" alone: which campaign? The campaigns it can apply to, numbered."""
    verb = args["verb"]
    statuses, words = _WANTS[verb]
    account = ctx.account()
    ordered = list_order(ctx.ads(account).list_campaigns(account.external_id))
    shown = [c for c in ordered if c.status.value in statuses]
    fits = list(enumerate(shown, start=1))  # numbered as the buttons are: "pausar 3" = [3]
    ctx.conversation.state = {**(ctx.conversation.state or {}), "listed": [c.id for c in shown]}
    if not fits:
        ctx.say(Reply(ctx.t(f"target.none.{verb}"), kind="notice"))
        return
    lines = [ctx.t(f"target.which.{verb}")]
    lines += [f"{n}. {c.name}" for n, c in fits]
    example = fits[0][0]
    lines.append(ctx.t(f"target.hint.{verb}", n=example))
    buttons: tuple[Button, ...] = ()
    if verb != "budget":  # a budget needs an amount too: the hint says how
        word = words.get(ctx.lang, words["en"])
        buttons = tuple(
            Button(c.name[:75], Action("command", f"{word} id:{c.id}"))
            for _n, c in fits[:MAX_BUTTONS]
        )
    ctx.say(Reply("\n".join(lines), buttons=buttons))


def bad_monthly_limit(ctx: TurnContext, args: Args) -> None:
    """ "limite mensal -100": a limit is a positive amount (0 is not "no limit" either)."""
    ctx.say(Reply(ctx.t("limit.invalid", value=args["value"] or "—"), kind="error"))


def delete_campaign(ctx: TurnContext, args: Args) -> None:
    """ "excluir campanha X": archive X on the platform, always through an approval."""
    words = _WANTS["delete"][1]
    word = words.get(ctx.lang, words["en"])
    campaign = find_campaign(ctx, args["target"], lambda c: f"{word} id:{c.id}")
    if campaign is None:
        return
    proposal = ActionProposal(
        ActionKind.DELETE,
        Level.CAMPAIGN,
        campaign.id,
        campaign.name,
        {"status": Status.ARCHIVED.value},
        {"status": campaign.status.value},
        (ctx.inbound.text or "").replace(f"id:{campaign.id}", campaign.name),
        Proposer("user", str(ctx.user.id)),
    )
    submit(
        ctx.rt,
        ctx.workspace.id,
        ctx.account().id,
        proposal,
        conversation_id=ctx.conversation.id,
        channel=ctx.inbound.channel.value,
        requested_by_user_id=ctx.user.id,
        outbox=ctx.outbox,
    )
    remember_campaign(ctx, campaign)
