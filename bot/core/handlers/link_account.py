"""An admin links an ad account from chat, checked with its platform before it is kept."""

from __future__ import annotations

import logging

from ads.errors import AdsError
from bot.core.context import TurnContext
from storage.models import AdAccount
from storage.repositories import audit, link_ad_account
from vocabulary.i18n import register
from vocabulary.parsing import Args
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)

MESSAGES: dict[str, dict[str, str]] = {
    "accounts.link.invalid": {
        "pt-BR": "Esse id não parece de uma conta {label}: {problem}",
        "en": "That id doesn't look like a {label} account: {problem}",
    },
    "accounts.link.done": {
        "pt-BR": "Pronto: a conta {label} {shown} ({name}, {currency}) está ligada a este "
        "workspace. Use *contas* para ver todas.",
        "en": "Done: {label} account {shown} ({name}, {currency}) is linked to this workspace. "
        "Type *accounts* to see them all.",
    },
    "accounts.link.already": {
        "pt-BR": "A conta {label} {shown} já está ligada a este workspace.",
        "en": "{label} account {shown} is already linked to this workspace.",
    },
    "accounts.link.refused": {
        "pt-BR": "{label} não deixou ligar {shown}: {detail}",
        "en": "{label} refused to link {shown}: {detail}",
    },
}
register(MESSAGES)


def link_account(ctx: TurnContext, args: Args) -> None:
    info = PLATFORMS[args["platform"]]
    try:
        external = info.parse_account_id(args["account_id"])
    except ValueError as exc:
        ctx.say(Reply(ctx.t("accounts.link.invalid", label=info.label, problem=exc), kind="error"))
        return
    shown = info.show_account_id(external)
    if any(a.platform == info.name and a.external_id == external for a in ctx.accounts()):
        ctx.say(Reply(ctx.t("accounts.link.already", label=info.label, shown=shown)))
        return
    workspace_id = ctx.workspace.id
    candidate = AdAccount(workspace_id=workspace_id, platform=info.name, external_id=external)
    try:  # asked of the platform before anything is stored
        details = ctx.rt.ads(candidate).get_account(external)
    except (AdsError, LookupError) as exc:
        detail = exc.message if isinstance(exc, AdsError) else str(exc)
        ctx.say(
            Reply(
                ctx.t("accounts.link.refused", label=info.label, shown=shown, detail=detail),
                kind="error",
            )
        )
        return
    link_ad_account(
        ctx.session,
        workspace_id,
        external,
        platform=info.name,
        name=details.name,
        currency=details.currency,
        timezone=details.timezone,
    )
    audit(
        ctx.session,
        workspace_id,
        actor=f"user:{ctx.user.id}",
        action="accounts.linked",
        subject=f"{info.name}:{external}",
    )
    ctx.say(
        Reply(
            ctx.t(
                "accounts.link.done",
                label=info.label,
                shown=shown,
                name=details.name,
                currency=details.currency,
            )
        )
    )
