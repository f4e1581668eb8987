"""Changes asked for in chat ("pausar a campanha X", "ativar 3", "orçamento X 150").

Each one becomes an ``ActionProposal`` submitted to the supervisor, which
decides whether it runs at once, needs an approval card or is denied. No
handler here writes to the ad platform.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ads.base import AdSet, Campaign, Level
from ads.currency import round_to_budget_unit
from bot.core import trust_messages  # noqa: F401  (registers the words asked back here)
from bot.core.context import TurnContext
from bot.core.handlers.choose import find_campaign, remember_campaign
from bot.core.handlers.confirm import needs_confirmation
from storage.money import major_to_whole_minor
from supervisor import proposals
from supervisor.proposals import ActionKind, ActionProposal, Proposer
from supervisor.submit import submit
from vocabulary.inbound import Action
from vocabulary.parsing import Args, as_typed, normalize
from vocabulary.replies import Button, Reply

#: How a choice button re-asks for the same change on one campaign.
VERBS = {
    ActionKind.PAUSE: {"pt-BR": "pausar", "en": "pause"},
    ActionKind.RESUME: {"pt-BR": "ativar", "en": "resume"},
    ActionKind.SET_BUDGET: {"pt-BR": "orçamento", "en": "budget"},
}
#: How a choice button names an ad set in a re-issued budget request.
ADSET_PREFIX = "conjunto:"


def pause(ctx: TurnContext, args: Args) -> None:
    _status_change(ctx, args["target"], ActionKind.PAUSE)


def resume(ctx: TurnContext, args: Args) -> None:
    _status_change(ctx, args["target"], ActionKind.RESUME)


def set_budget(ctx: TurnContext, args: Args) -> None:
    if "unsigned_percent" in args:
        percent = ctx.locale.number(args["unsigned_percent"]) + "%"
        ctx.say(Reply(ctx.t("budget.which_way", percent=percent, target=args["target"])))
        return
    if "delta" in args and not _MONEY_WORDS.search(normalize(ctx.inbound.text or "")):
        _ask_money_or_percent(ctx, args)  # "-50": R$ 50 or 50%? never guess
        return
    account = ctx.account()
    target = normalize(args["target"])
    if target.startswith(ADSET_PREFIX):  # an ad set picked from a campaign's list below
        adsets = ctx.ads(account).list_adsets(account.external_id)
        adset = next((a for a in adsets if a.id == target.removeprefix(ADSET_PREFIX)), None)
        if adset is None:
            ctx.say(Reply(ctx.t("campaigns.not_found", query=args["target"]), kind="error"))
            return
        campaign = next(
            c
            for c in ctx.ads(account).list_campaigns(account.external_id)
            if c.id == adset.campaign_id
        )
    else:
        found = _find(ctx, args["target"], ActionKind.SET_BUDGET, _budget_words(args))
        if found is None:
            return
        campaign, adset = found, None
    level, target_id, name, current = (
        Level.CAMPAIGN,
        campaign.id,
        campaign.name,
        campaign.daily_budget,
    )
    if current is None and adset is None:  # ABO: the budget lives on the ad sets
        budgeted = _budgeted_adsets(ctx, campaign)
        if len(budgeted) > 1:
            _offer_adsets(ctx, campaign, budgeted, _budget_words(args))
            return
        adset = budgeted[0] if budgeted else None
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
        reason=_reason(ctx, campaign, adset),
        proposer=_proposer(ctx),
    )
    if needs_confirmation(ctx, proposal):  # a likely typo ("1,5" for 150): asked back first
        return
    _submit(ctx, proposal)
    remember_campaign(ctx, campaign)


def _offer_adsets(
    ctx: TurnContext, campaign: Campaign, adsets: Sequence[AdSet], words: str
) -> None:
    """The campaign's budget lives on several ad sets: which one?"""
    verb = VERBS[ActionKind.SET_BUDGET].get(ctx.lang, VERBS[ActionKind.SET_BUDGET]["en"])
    lines = [ctx.t("budget.which_adset", name=campaign.name)]
    currency = ctx.account().currency
    lines += [
        f"{n}. {a.name} · {ctx.locale.money(a.daily_budget, currency)}"
        for n, a in enumerate(adsets, start=1)
    ]
    buttons = tuple(
        Button(a.name[:75], Action("command", f"{verb} {ADSET_PREFIX}{a.id} {words}"))
        for a in adsets[:10]
    )
    ctx.say(Reply("\n".join(lines), buttons=buttons))


def _reason(ctx: TurnContext, campaign: Campaign, adset: AdSet | None = None) -> str:
    """What the person asked, with a choice button's ``id:…`` shown as the campaign's name."""
    text = (ctx.inbound.text or "").replace(f"id:{campaign.id}", campaign.name)
    if adset is not None:
        text = text.replace(f"{ADSET_PREFIX}{adset.id}", f"{campaign.name} › {adset.name}")
    return text


def _budget_words(args: Args) -> str:
    """The change as the command re-issued from a choice button ("150.00", "+20%",
    "-r$50.00": an amount more or less says it is money, so it is not asked again)."""
    if "percent" in args:
        return f"{args['percent']:+}%"
    if "delta" in args:
        sign = "-" if args["delta"] < 0 else "+"
        return f"{sign}r${abs(args['delta']):.2f}"
    return f"{args['amount']:.2f}"


#: Words that make "+50" an amount of money rather than a share.
_MONEY_WORDS = re.compile(r"r\$|\$|\b(?:reais|real|brl|usd|dolares|dollars|bucks)\b")


def _ask_money_or_percent(ctx: TurnContext, args: Args) -> None:
    delta = args["delta"]
    verb = VERBS[ActionKind.SET_BUDGET].get(ctx.lang, VERBS[ActionKind.SET_BUDGET]["en"])
    sign = "-" if delta < 0 else "+"
    size = abs(delta)
    currency = ctx.account().currency
    money = ctx.locale.money(major_to_whole_minor(size, currency), currency)
    percent = ctx.locale.number(size) + "%"
    way = "down" if delta < 0 else "up"
    target = args["target"]
    ctx.say(
        Reply(
            ctx.t(
                f"budget.money_or_percent.{way}",
                money=money,
                percent=percent,
                target=as_typed(ctx.inbound.text or "", target),
            ),
            buttons=(
                Button(
                    ctx.t(f"budget.by_money.{way}", money=money),
                    Action("command", f"{verb} {target} {sign}r${size:.2f}"),
                ),
                Button(
                    ctx.t(f"budget.by_percent.{way}", percent=percent),
                    Action("command", f"{verb} {target} {sign}{size}%"),
                ),
            ),
        )
    )


def _new_budget(
    ctx: TurnContext, args: Args, current: Decimal | None, currency: str, name: str
) -> Decimal | None:
    """The absolute new daily budget in minor units (relative changes need a current one)."""
    if "amount" in args:
        return major_to_whole_minor(args["amount"], currency)
    if current is None:
        ctx.say(Reply(ctx.t("budget.no_current", name=name), kind="error"))
        return None
    if "percent" in args:
        new = round_to_budget_unit(current * (100 + args["percent"]) / 100, currency)
    else:
        new = round_to_budget_unit(
            current + major_to_whole_minor(args["delta"], currency), currency
        )
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
    remember_campaign(ctx, campaign)


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


def _budgeted_adsets(ctx: TurnContext, campaign: Campaign) -> list[AdSet]:
    account = ctx.account()
    return [
        a
        for a in ctx.ads(account).list_adsets(account.external_id, campaign.id)
        if a.status.value != "DELETED" and a.daily_budget is not None
    ]
