"""Ad accounts in chat: list the workspace's accounts and choose the one this chat works on."""

from __future__ import annotations

from bot.core.context import TurnContext
from bot.core.resolve import resolve
from storage.memory import remember
from vocabulary.inbound import Action
from vocabulary.parsing import Args, as_typed
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Button, Reply


def list_accounts(ctx: TurnContext, args: Args) -> None:
    accounts = ctx.accounts()
    if not accounts:
        ctx.say(Reply(ctx.t("accounts.none"), kind="notice"))
        return
    current = ctx.account()
    lines = [f"*{ctx.t('accounts.title', count=len(accounts))}*"]
    for n, account in enumerate(accounts, start=1):
        mark = " ✅" if account.id == current.id else ""
        name = account.name or account.external_id
        info = PLATFORMS.get(account.platform)
        shown = info.show_account_id(account.external_id) if info else account.external_id
        label = f"{info.label} " if info else ""
        lines.append(f"{n}. {name} · {label}{shown} · {account.currency}{mark}")
    lines.append(f"_{ctx.t('accounts.hint')}_")
    buttons = tuple(
        Button((a.name or a.external_id)[:75], Action("command", f"usar conta {a.external_id}"))
        for a in accounts
        if a.id != current.id
    )
    ctx.say(
        Reply("\n".join(lines), buttons=buttons[: min(10, ctx.capabilities.buttons_per_message)])
    )


def use_account(ctx: TurnContext, args: Args) -> None:
    accounts = ctx.accounts()
    query = args["account"]
    by_number = query.isdigit() and 1 <= int(query) <= len(accounts)
    found = resolve(query, [_Named(a.external_id, a.name or a.external_id) for a in accounts])
    if by_number:
        chosen = accounts[int(query) - 1]
    elif found.match is not None:
        chosen = next(a for a in accounts if a.external_id == found.match.id)
    else:
        typed = as_typed(ctx.inbound.text or "", query)
        ctx.say(Reply(ctx.t("accounts.not_found", query=typed), kind="error"))
        return
    remember(ctx.session, ctx.conversation, ctx.user.id, account_pk=chosen.id)  # chat and person
    state = dict(ctx.conversation.state or {})
    state.pop("listed", None)  # campaign numbers belonged to the other account
    ctx.conversation.state = state
    name = chosen.name or chosen.external_id
    ctx.say(Reply(ctx.t("accounts.chosen", name=name, currency=chosen.currency)))


class _Named:
    def __init__(self, id: str, name: str) -> None:
        self.id = id
        self.name = name
