"""Chat handlers of the WhatsApp channel: an admin links a number; non-text messages get a hint."""

from __future__ import annotations

import logging

from bot.core.context import TurnContext
from bot.core.intents import Args
from bot.core.types import Action, Reply
from bot.whatsapp import messages as _messages  # noqa: F401  (registers the channel's messages)
from storage.repositories import add_user, audit, find_user, workspace_of_user

logger = logging.getLogger(__name__)


def link_number(ctx: TurnContext, args: Args) -> None:
    """``vincular 5511999999999 operador``: the number may talk to this workspace with that role."""
    number, role = args.get("number"), args.get("role")
    if number is None or role is None:
        ctx.say(Reply(ctx.t("whatsapp.link.invalid"), kind="error"))
        return
    with ctx.rt.db.session() as session:  # unscoped: is the number someone else's already?
        user = find_user(session, whatsapp_number=number)
        other = workspace_of_user(session, user.id) if user is not None else None
        elsewhere = other is not None and other.id != ctx.workspace.id
    if elsewhere:
        ctx.say(Reply(ctx.t("whatsapp.link.elsewhere", number=number), kind="error"))
        return
    membership = add_user(ctx.session, ctx.workspace, role=role, whatsapp_number=number)
    audit(
        ctx.session,
        ctx.workspace.id,
        actor=f"user:{ctx.user.id}",
        action="user.link_whatsapp",
        subject=number,
        channel=ctx.inbound.channel.value,
        detail={"role": role.value, "user_id": membership.user_id},
    )
    logger.info(
        "workspace %s: whatsapp …%s linked as %s", ctx.workspace.slug, number[-4:], role.value
    )
    ctx.say(Reply(ctx.t("whatsapp.link.done", number=number, role=ctx.t(f"role.{role.value}"))))


def on_action(ctx: TurnContext, action: Action) -> None:
    """``whatsapp.*`` actions: so far only "you sent something that is not text"."""
    ctx.say(Reply(ctx.t("whatsapp.unsupported"), kind="notice"))
