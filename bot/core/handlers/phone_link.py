"""Linking WhatsApp numbers from any chat (confirmed by the number's owner with a one-time
code, :mod:`bot.core.phone_verify`); a hint for WhatsApp messages that are not text."""

from __future__ import annotations

import logging

from bot.core.context import TurnContext
from bot.core.phone_verify import request_words, start_link
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
}
register(MESSAGES)


def link_number(ctx: TurnContext, args: Args) -> None:
    """``vincular 5511999999999 operador``: a code goes to the number; its owner completes it."""
    number, role = args.get("number"), args.get("role")
    if number is None or role is None:
        ctx.say(Reply(ctx.t("whatsapp.link.invalid"), kind="error"))
        return
    result = start_link(
        ctx.rt,
        ctx.workspace.id,
        number,
        role,
        requested_by=ctx.user.id,
        via=ctx.inbound.channel.value,
        language=ctx.lang,
    )
    logger.info(
        "workspace %s: link …%s as %s: %s",
        ctx.workspace.slug,
        number[-4:],
        role.value,
        result.status,
    )
    ok = result.status in ("sent", "role_changed")
    ctx.say(Reply(request_words(result, role, ctx.lang), kind="message" if ok else "error"))


def on_action(ctx: TurnContext, action: Action) -> None:
    """``whatsapp.*`` actions: so far only "you sent something that is not text"."""
    ctx.say(Reply(ctx.t("whatsapp.unsupported"), kind="notice"))
