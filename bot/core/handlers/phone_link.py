"""Linking WhatsApp numbers from any chat; a hint for WhatsApp messages that are not text."""

from __future__ import annotations

import logging

from bot.core.context import TurnContext
from storage.repositories import add_user, audit, find_user, workspace_of_user
from vocabulary.i18n import register
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)

MESSAGES: dict[str, dict[str, str]] = {
    "whatsapp.unsupported": {
        "pt-BR": "Por enquanto só entendo mensagens de texto. Digite *ajuda* para ver o que sei fazer.",
        "en": "For now I only understand text messages. Type *help* to see what I can do.",
    },
    "whatsapp.link.done": {
        "pt-BR": "Pronto: o número +{number} agora é {role} neste workspace. Ele já pode falar comigo.",
        "en": "Done: +{number} is now {role} in this workspace. They can message me now.",
    },
    "whatsapp.link.invalid": {
        "pt-BR": (
            "Não entendi o número. Use o formato internacional só com dígitos, "
            "ex.: *vincular 5511999999999 operador*."
        ),
        "en": (
            "I couldn't read that number. Use the international format with digits only, "
            "e.g. *link 5511999999999 operator*."
        ),
    },
    "whatsapp.link.elsewhere": {
        "pt-BR": "O número +{number} já está vinculado a outro workspace; nada foi alterado.",
        "en": "+{number} is already linked to another workspace; nothing was changed.",
    },
}
register(MESSAGES)


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
