"""Which campaign the person means, asked back when it is not clear.

Shared by every request that names a campaign (changes, campaign reports): loose
words and list numbers resolve at once; several matches, or a number when no list
was shown in this chat, become buttons that re-issue the request for the one chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ads.base import Campaign
from bot.core.context import TurnContext
from bot.core.resolve import resolve
from vocabulary.inbound import Action
from vocabulary.parsing import as_typed, normalize
from vocabulary.replies import Button, Reply

MAX_CHOICES = 5
#: The numbering of *campanhas*: active first, then paused, then the rest.
ORDER = {"ACTIVE": 0, "PAUSED": 1, "ARCHIVED": 2, "DELETED": 3}

#: The request again, for one campaign (e.g. ``lambda c: f"pausar id:{c.id}"``).
Reissue = Callable[[Campaign], str]


def list_order(campaigns: Sequence[Campaign]) -> list[Campaign]:
    """The numbering of *campanhas*: active first, then by name (deleted ones left out)."""
    shown = [c for c in campaigns if c.status.value != "DELETED"]
    return sorted(shown, key=lambda c: (ORDER.get(c.status.value, 9), c.name))


#: "essa campanha", "ela", "this campaign": the campaign just discussed in this chat.
_THIS = re.compile(
    r"^(?:(?:a |the )?(?:essa|esta|aquela|mesma|this|that|same)(?: campanha| campaign| one)?|"
    r"ela|it|(?:a |the )?(?:campanha|campaign) (?:atual|acima|above))$"
)


def remember_campaign(ctx: TurnContext, campaign: Campaign) -> None:
    """The campaign this turn was about, for "pausa essa campanha" next.

    Call it after any submit in the turn: the turn's session writes last (SQLite has
    one writer at a time)."""
    ctx.conversation.state = {**(ctx.conversation.state or {}), "campaign": campaign.id}


def find_campaign(ctx: TurnContext, query: str, reissue: Reissue) -> Campaign | None:
    account = ctx.account()
    campaigns = [
        c
        for c in ctx.ads(account).list_campaigns(account.external_id)
        if c.status.value != "DELETED"
    ]
    state = ctx.conversation.state or {}
    if _THIS.match(normalize(query)):
        discussed = next((c for c in campaigns if c.id == state.get("campaign")), None)
        if discussed is not None:
            return discussed
        ctx.say(Reply(ctx.t("target.no_campaign_yet"), kind="notice"))
        return None
    listed = list(state.get("listed") or [])
    found = resolve(query, campaigns, listed)
    number = normalize(query).removeprefix("#")
    if found.match is None and not listed and number.isdigit():
        # No list shown in this chat: the number as *campanhas* would number it, confirmed
        # with one button first, since the person may remember another chat's list.
        ordered = list_order(campaigns)
        if 1 <= int(number) <= len(ordered):
            choice = ordered[int(number) - 1]
            offer(ctx, (choice,), ctx.t("campaigns.confirm_number", n=number), reissue)
            return None
    if found.match is not None:
        return found.match
    query = as_typed(ctx.inbound.text or "", query)
    if not found.candidates:
        ctx.say(Reply(ctx.t("campaigns.not_found", query=query), kind="error"))
        return None
    question = ctx.t("campaigns.ambiguous", query=query)
    offer(ctx, found.candidates[:MAX_CHOICES], question, reissue)
    return None


def offer(ctx: TurnContext, choices: Sequence[Campaign], question: str, reissue: Reissue) -> None:
    """Campaigns to pick from, each a button that re-issues the request for that one."""
    lines = [question]
    if len(choices) == 1:
        lines.append(f"*{choices[0].name}*")
    else:
        lines += [f"{n}. {c.name}" for n, c in enumerate(choices, start=1)]
    buttons = tuple(Button(c.name[:75], Action("command", reissue(c))) for c in choices)
    ctx.say(Reply("\n".join(lines), buttons=buttons))
